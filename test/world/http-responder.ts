import type {Server} from './index.js';

/**
 * Serves the folder `root` of a server over plain HTTP on `port` (python3's http.server, as a
 * transient systemd unit so it outlives the docker exec). Used as the HTTP-01 responder and as
 * the page the browser loads. Returns once it answers.
 */
export async function serveFolder(server: Server, root: string, port = 80): Promise<void> {
	const unit = `world-http-${port}`;
	const script = `set -e
mkdir -p '${root}'
systemctl stop ${unit} 2>/dev/null || true
systemd-run --quiet --unit ${unit} --working-directory='${root}' python3 -m http.server --bind 0.0.0.0 ${port}
for i in $(seq 1 50); do curl -fsS -o /dev/null http://127.0.0.1:${port}/ && exit 0; sleep 0.1; done
echo "http.server on port ${port} did not answer" >&2; exit 1`;
	const result = await server.exec(script);
	if (result.exitCode !== 0) throw new Error(`serving ${root} on ${server.containerName}: ${result.stderr}`);
}

/** Writes a file into a server container (the content goes through stdin, so any bytes are safe). */
export async function writeServerFile(server: Server, path: string, content: string): Promise<void> {
	const result = await server.exec(`mkdir -p "$(dirname '${path}')" && cat > '${path}'`, content);
	if (result.exitCode !== 0) throw new Error(`writing ${path} on ${server.containerName}: ${result.stderr}`);
}
