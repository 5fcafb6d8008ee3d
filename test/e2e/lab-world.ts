// What the lab e2e tests share: a lab's configuration on a world server, and requests to the lab by its name.
import {createHash} from 'node:crypto';
import {existsSync} from 'node:fs';
import {readdir, readFile, rm} from 'node:fs/promises';
import {request} from 'node:https';
import {isIP} from 'node:net';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {execa, type ResultPromise} from 'execa';
import {stringify} from 'yaml';
import {defaultKnownHostsFile} from '../../source/remote/known-hosts.js';
import type {Server, World} from '../world/index.js';

/** The world's OIDC provider has alice (allowed in the lab) and bob (not). */
export const user = 'alice';

/** The host key as lab.yaml pins it (`SHA256:...`), from the server's `ssh-ed25519 AAAA...` line. */
export function pinnedHostKey(server: Server): string {
	const blob = Buffer.from(server.hostKey.split(' ')[1]!, 'base64');
	return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** A complete lab configuration (flat, by lab.yaml key) for a world server: Pebble, registry images, OIDC. */
export function labConfig(w: World, server: Server, domain: string): Record<string, unknown> {
	const images = w.registry!.images;
	return {
		'server.host': server.host,
		'server.user': 'root',
		'server.identityFile': w.ssh.keyPath,
		'server.hostKey': pinnedHostKey(server),
		domain,
		'lab.root': '/srv/lab',
		'docker.source': 'distro',
		'dns.resolvers': [w.dns!.server],
		'dns.waitSeconds': 30,
		'certificate.mode': 'letsencrypt',
		'certificate.email': 'admin@lab.test',
		'certificate.staging': false,
		'certificate.directoryUrl': w.acme!.directoryUrl,
		'certificate.caFile': w.acme!.caFile,
		'certificate.renewerImage': images.renewer,
		'images.singleuser': images.singleuser,
		'images.hub': images.hub,
		'images.hubBuild': false,
		'images.nginx': images.nginx,
		'culler.timeout': 3600,
		'auth.type': 'oidc',
		'auth.issuer': w.oidc!.issuer,
		'auth.clientId': w.oidc!.clientId,
		'auth.clientSecret': w.oidc!.clientSecret,
		'auth.clientAuth': 'post',
		'auth.caFile': w.oidc!.caFile,
		'auth.allowedUsers': [user],
		'auth.admins': [user],
		// Issue 12: no backup is an explicit choice; the backup e2e tests set their own repository.
		'backup.repository': 'none',
	};
}

/** lab.yaml from flat keys (`auth.type` → `auth: {type}`); secrets stay out of it. */
export function labYaml(config: Record<string, unknown>): string {
	const nested: Record<string, Record<string, unknown> | unknown> = {};
	for (const [key, value] of Object.entries(config)) {
		if (key === 'auth.clientSecret' || key === 'backup.password') continue;
		const [section, name] = key.split('.') as [string, string | undefined];
		if (name === undefined) nested[section] = value;
		else nested[section] = {...(nested[section] as Record<string, unknown> | undefined), [name]: value};
	}
	return stringify(nested);
}

// The built CLI, as the package's bin runs it (`npm test` builds first).
const bin = path.join(fileURLToPath(new URL('../..', import.meta.url)), 'bin/labbox.js');

/**
 * Runs the built `labbox` as a user would, without a terminal (CI=true), in the lab folder and with a HOME of
 * its own: the world reuses addresses, so the user's known_hosts must not see these servers. `timeout` (ms) kills
 * a labbox that does not end.
 */
export function runLabbox(
	args: readonly string[],
	options: {lab: string; home: string; env?: Record<string, string>; timeout?: number; node?: string},
): ResultPromise<{reject: false; all: true}> {
	// `node`: another Node binary than the one on PATH (the bench's row for a current Node, issue 11).
	return execa(options.node ?? 'node', [bin, ...args], {
		cwd: options.lab,
		reject: false,
		all: true,
		timeout: options.timeout,
		env: {CI: 'true', HOME: options.home, ...options.env},
	});
}

/** The step lines of the plain output (`✔ images changed (21.6 s) ...`), as `images changed (21.6 s) ...`. */
export function stepLines(output: string): string[] {
	return output.split('\n').flatMap(line => /[✔✖–⚠] ([\w-]+ (?:ok|changed|failed|skipped|interrupted) \(.*)$/.exec(line)?.[1] ?? []);
}

/**
 * What the last run in the lab folder asked of the server, from its log: SSH logins, and remote commands (each
 * one round trip). Issue 11: a no-op run and `labbox plan` log in once and ask once.
 */
export async function remoteCounts(lab: string): Promise<{logins: number; commands: number; log: string}> {
	const folder = path.join(lab, '.labbox/logs');
	const newest = (await readdir(folder)).sort().at(-1)!;
	const log = await readFile(path.join(folder, newest), 'utf8');
	const count = (pattern: RegExp) => log.split('\n').filter(line => pattern.test(line)).length;
	return {logins: count(/\] ssh: logged in to /), commands: count(/\] \$ /), log};
}

/** Removes the host from the user's known_hosts (the connect step adds the servers it trusts there). */
export async function forgetHost(host: string, file = defaultKnownHostsFile()): Promise<void> {
	if (existsSync(file)) {
		await execa('ssh-keygen', ['-R', host, '-f', file], {reject: false});
		await rm(`${file}.old`, {force: true});
	}
}

/** The response of one bounded HTTPS request. */
export interface Fetched {
	readonly status: number;
	readonly headers: Record<string, unknown>;
	readonly body: string;
}

/** One HTTPS request (10 s at most), trusting only `ca`; `host` overrides where it connects (the name stays). */
export function fetchHttps(
	url: string,
	ca: string,
	options: {method?: string; host?: string; token?: string; body?: string} = {},
): Promise<Fetched> {
	const target = new URL(url);
	return new Promise((resolve, reject) => {
		const headers = {host: target.host, ...(options.token ? {authorization: `token ${options.token}`} : {})};
		const req = request(
			{
				host: options.host ?? target.hostname,
				port: target.port || 443,
				...(isIP(target.hostname) ? {} : {servername: target.hostname}),
				path: `${target.pathname}${target.search}`,
				method: options.method ?? 'GET',
				ca,
				timeout: 10_000,
				headers,
			},
			response => {
				let body = '';
				response.on('data', chunk => (body += chunk));
				response.on('end', () => resolve({status: response.statusCode ?? 0, headers: response.headers, body}));
			},
		);
		req.on('timeout', () => req.destroy(new Error(`${url}: no answer in 10 s`)));
		req.on('error', reject);
		req.end(options.body);
	});
}

/** The root of the certificates Pebble issues (its management API, over the world CA). */
export async function pebbleRoot(w: World): Promise<string> {
	const managementUrl = (w.acme as {managementUrl?: string}).managementUrl;
	const root = await fetchHttps(`${managementUrl}/roots/0`, await readFile(w.caFile!, 'utf8'));
	if (root.status !== 200) throw new Error(`Pebble's root: HTTP ${root.status}`);
	return root.body;
}

/** When the lab's containers started, by name: unchanged means not restarted. */
export async function startTimes(server: Server): Promise<string[]> {
	return (await server.exec("docker inspect -f '{{.Name}} {{.State.StartedAt}}' labbox-hub-1 labbox-nginx-1")).stdout.trim().split('\n');
}

/**
 * Every file and folder under the lab root with its mode, owner and mtime, one per line: equal listings mean
 * nothing was made, removed or written there. The hub's own database (data/) changes as the hub runs: names only.
 */
export async function labRootListing(server: Server, root = '/srv/lab'): Promise<string[]> {
	const script = `cd ${root} && find . -xdev \\( -path './data/*' -printf '%M %u:%g - %p\\n' \\) -o -printf '%M %u:%g %T@ %p\\n' | sort -k4`;
	return (await server.exec(script)).stdout.trim().split('\n');
}
