import { PREFIX } from './config.js';
import { containerRunning, docker, dockerMaybe } from './docker.js';
import { ensureDockerEngine } from './docker-engine.js';
import { say, timed } from './log.js';
import { ensureNetwork } from './network.js';
import { ensureSshKey } from './secrets.js';
import { ensureServerImage, variants } from './server-image.js';
import { startServer, type ServerEntry } from './server.js';
import { sshBanner } from './ssh-banner.js';
import { ensureWorldCa } from './world-ca.js';
import { readWorldIfAny, writeWorld, type World } from './world-file.js';

const defaultServerName = 'server-debian13';

/** Keeps the default server when it still runs the current image and answers; else starts it anew. */
async function ensureDefaultServer(previous: ServerEntry | undefined): Promise<ServerEntry> {
	const containerName = `${PREFIX}${defaultServerName}`;
	const image = await ensureServerImage('debian13');
	if (previous?.containerName === containerName && (await containerRunning(containerName))) {
		const runningImage = await docker(['container', 'inspect', '--format', '{{.Config.Image}}', containerName]);
		const answers = await sshBanner(previous.host, previous.port).then(() => true, () => false);
		if (runningImage === image && answers) return previous;
	}
	await dockerMaybe(['rm', '--force', '--volumes', containerName]);
	return startServer('debian13', { name: defaultServerName });
}

/** Starts whatever part of the world is missing (idempotent) and writes .world/world.json. */
export async function up(): Promise<World> {
	const started = Date.now();
	const previous = await readWorldIfAny();
	await timed('docker engine', ensureDockerEngine);
	const [network, key, caFile] = await Promise.all([ensureNetwork(), ensureSshKey(), ensureWorldCa()]);
	// Build every variant now, so a test's startServer() never pays for an image build.
	await timed('server images', async () => {
		for (const variant of variants) await ensureServerImage(variant);
	});
	const server = await timed('default server (debian13)', () => ensureDefaultServer(previous?.server));
	const world: World = {
		network,
		ssh: { keyPath: key.keyPath, publicKeyPath: `${key.keyPath}.pub` },
		caFile,
		server,
	};
	await writeWorld(world);
	say(`world is up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	return world;
}
