import {existsSync} from 'node:fs';
import {mkdir, readFile, rename, writeFile} from 'node:fs/promises';
import {worldDir, worldFile} from './config.js';
import type {WorldNetwork} from './network.js';
import type {ServerEntry} from './server.js';

export interface OidcUser {
	username: string;
	password: string;
	email: string;
}

/** What `up` writes to .world/world.json: everything an e2e test needs to reach the world. */
export interface World {
	network: WorldNetwork;
	ssh: {keyPath: string; publicKeyPath: string};
	/** The default debian13 server started by `up` (tests that need a fresh one call startServer). */
	server: ServerEntry;
	dns?: {server: string; host: string; port: number; managementUrl: string};
	acme?: {directoryUrl: string; caFile: string};
	caFile?: string;
	/** The certificate the world's services (Pebble, registry, OIDC) present, signed by caFile. */
	servicesCertFile?: string;
	registry?: {
		host: string;
		caFile: string;
		images: {
			hubBase: string;
			hub: string;
			singleuser: string;
			nginx: string;
			renewer: string;
			hubLocal?: string;
			singleuserSecond?: string;
		};
	};
	oidc?: {
		issuer: string;
		clientId: string;
		clientSecret: string;
		/** How the client authenticates at the token endpoint: client_secret_post. */
		clientAuth: 'post';
		caFile: string;
		users: {allowed: OidcUser; denied: OidcUser};
	};
	browser?: {executablePath: string; args: string[]};
}

export async function readWorld(): Promise<World> {
	if (!existsSync(worldFile)) throw new Error('no test world: run `npm run world -- up` first');
	return JSON.parse(await readFile(worldFile, 'utf8')) as World;
}

export async function writeWorld(world: World): Promise<void> {
	await mkdir(worldDir, {recursive: true});
	const temporary = `${worldFile}.tmp`;
	await writeFile(temporary, `${JSON.stringify(world, null, '\t')}\n`);
	await rename(temporary, worldFile);
}

export async function readWorldIfAny(): Promise<World | undefined> {
	return existsSync(worldFile) ? readWorld() : undefined;
}
