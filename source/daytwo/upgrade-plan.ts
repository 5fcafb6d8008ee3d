/**
 * `labbox upgrade [--check]` (issue 13 item 3), as data: the images the lab runs (read from the files labbox
 * wrote on the server: compose.yaml, the hub's Dockerfile, settings.json), the images it should run (lab.yaml,
 * else this labbox's pins), and the plan from → to. The hub database is copied aside before the hub starts on a
 * new image (which upgrades the database: `--upgrade-db`), and put back on a rollback.
 */
import path from 'node:path/posix';
import {chain, combine, shell, type Command} from '../remote/command.js';
import {fieldByKey} from '../config/fields.js';

/** The three images a lab runs, by lab.yaml key. */
export interface Pins {
	readonly 'images.hub': string;
	readonly 'images.nginx': string;
	readonly 'images.singleuser': string;
}
export const pinKeys = ['images.hub', 'images.nginx', 'images.singleuser'] as const;

export interface PinChange {
	readonly key: (typeof pinKeys)[number];
	readonly from: string;
	readonly to: string;
}

const mark = (name: string): Command => ['echo', `== ${name}`];

/** Prints the files the running images are read from, in sections. */
export function runningFiles(root: string): Command {
	const file = (name: string) => ['cat', path.join(root, name)];
	return shell(
		chain(
			mark('compose'),
			file('compose.yaml'),
			mark('dockerfile'),
			file('jupyterhub/Dockerfile'),
			mark('settings'),
			file('jupyterhub/settings.json'),
		),
	);
}

/** The lab's images by what its files say; undefined when there is no lab there (never set up, or destroyed --purge). */
export function parseRunning(output: string): Pins | undefined {
	const sections = new Map<string, string>();
	for (const part of output.split(/^== /m).slice(1)) {
		const newline = part.indexOf('\n');
		sections.set(part.slice(0, newline), part.slice(newline + 1));
	}
	const compose = sections.get('compose') ?? '';
	// compose.yaml quotes a value that has a colon in its registry part: `image: "registry:5000/hub:5.4.6"`.
	const image = (service: string) => new RegExp(`^  ${service}:\\n(?: {4}.*\\n)*? {4}image: "?([^"\\s]+)"?`, 'm').exec(compose)?.[1];
	let hub = image('hub');
	const nginx = image('nginx');
	// A hub built on the server runs `labbox-hub:HASH`, built FROM images.hub.
	if (hub?.startsWith('labbox-hub:')) {
		hub = /^FROM (\S+)/m.exec(sections.get('dockerfile') ?? '')?.[1];
	}
	let singleuser: string | undefined;
	try {
		singleuser = (JSON.parse(sections.get('settings') ?? '') as {images?: {singleuser?: string}}).images?.singleuser;
	} catch {}
	return hub && nginx && singleuser ? {'images.hub': hub, 'images.nginx': nginx, 'images.singleuser': singleuser} : undefined;
}

/** What the lab should run: lab.yaml's images.* keys, else this labbox's pins. */
export function wantedPins(config: Readonly<Record<string, unknown>>): Pins {
	const pin = (key: (typeof pinKeys)[number]) => String(config[key] ?? fieldByKey.get(key)?.defaultValue);
	return {'images.hub': pin('images.hub'), 'images.nginx': pin('images.nginx'), 'images.singleuser': pin('images.singleuser')};
}

export function pinChanges(from: Pins, to: Pins): PinChange[] {
	return pinKeys.filter(key => from[key] !== to[key]).map(key => ({key, from: from[key], to: to[key]}));
}

/** Keys lab.yaml pins to something else than this labbox's own pins: `labbox upgrade` follows lab.yaml. */
export function ownPins(fileValues: Readonly<Record<string, unknown>>): string[] {
	return pinKeys.flatMap(key => {
		const own = fieldByKey.get(key)?.defaultValue;
		return fileValues[key] !== undefined && fileValues[key] !== own
			? [`lab.yaml pins ${key} to ${String(fileValues[key])} (this labbox pins ${String(own)}; remove the key to follow labbox)`]
			: [];
	});
}

/** Where the database is copied before an upgrade. */
export const databaseCopy = (root: string) => path.join(root, 'data', 'jupyterhub.sqlite.before-upgrade');
const database = (root: string) => path.join(root, 'data', 'jupyterhub.sqlite');
const compose = (root: string, ...args: string[]): Command => ['docker', 'compose', '--file', path.join(root, 'compose.yaml'), ...args];

/** Stops the hub (notebook servers keep running) and copies its database aside, keeping mode and owner. */
export function saveDatabase(root: string): Command {
	return combine(compose(root, 'stop', 'hub'), ['cp', '-p', database(root), databaseCopy(root)]);
}

/** Rollback: stops the hub and puts the database copy back. */
export function restoreDatabase(root: string): Command {
	return combine(compose(root, 'stop', 'hub'), ['cp', '-p', databaseCopy(root), database(root)]);
}

/** The plan's lines. */
export function upgradePlan(changes: readonly PinChange[], root: string, backups: boolean): string[] {
	return [
		...changes.map(change => `${change.key}: ${change.from} → ${change.to}`),
		backups ? 'take a backup first (labbox backup)' : 'no backups are set up: only the hub database is copied aside',
		'labbox run images: pull or build the new images (the lab runs on meanwhile)',
		`stop the hub and copy its database to ${databaseCopy(root)} (running notebook servers keep running)`,
		'labbox run stack: start the lab on the new images (the hub upgrades its database), check https://NAME/hub/health and the login page',
		'on a failure: the previous images and database come back, and labbox says why',
	];
}
