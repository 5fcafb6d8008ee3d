// The test world's API for e2e tests: real servers, DNS, ACME, registry, OIDC and a browser.
import {dockerExec} from './docker.js';
import {removeServer, startServer as startServerEntry, type ServerEntry} from './server.js';
import type {Variant} from './server-image.js';
import {readWorld, type World} from './world-file.js';

export {up} from './up.js';
export {down} from './down.js';
export {sshRun, type RunResult} from './ssh-run.js';
export {variants, type Variant} from './server-image.js';
export type {ServerEntry} from './server.js';
export type {World} from './world-file.js';

/** The world as `up` wrote it to .world/world.json. */
export function world(): Promise<World> {
	return readWorld();
}

export interface Server extends ServerEntry {
	/** Runs a shell command as root inside the server container (docker exec, not SSH). */
	exec(command: string, input?: string): Promise<{stdout: string; stderr: string; exitCode: number}>;
	/** Removes the container and its volumes. */
	remove(): Promise<void>;
}

export function asServer(entry: ServerEntry): Server {
	return {
		...entry,
		async exec(command, input) {
			const result = await dockerExec(entry.containerName, command, {input});
			return {stdout: String(result.stdout), stderr: String(result.stderr), exitCode: result.exitCode ?? -1};
		},
		remove: () => removeServer(entry.containerName),
	};
}

/** A fresh server of the variant (the world must be up). */
export async function startServer(variant: Variant = 'debian13'): Promise<Server> {
	return asServer(await startServerEntry(variant));
}

export {setDnsRecord, clearDnsRecord, setDnsTxt, clearDnsTxt, resolveInWorld} from './dns.js';
export {serveFolder, writeServerFile} from './http-responder.js';
export {freshServer} from './fresh-server.js';
export {launchBrowser, spkiHash, type BrowserOptions} from './browser.js';
export {ensureOAuthStandIns, registerOAuthApp, type OAuthStandIns, type StandIn} from './oauth-standins.js';

/** The default debian13 server that `up` started (shared: tests that change it should start their own). */
export async function defaultServer(): Promise<Server> {
	return asServer((await readWorld()).server);
}
