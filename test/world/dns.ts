import {Resolver} from 'node:dns/promises';
import {readWorld} from './world-file.js';

async function managementUrl(): Promise<string> {
	const {dns} = await readWorld();
	if (!dns) throw new Error('the world has no DNS: run `npm run world -- up`');
	return dns.managementUrl;
}

/** Calls challtestsrv's management API (one bounded request). */
export async function manageDns(management: string, path: string, body: unknown): Promise<void> {
	const response = await fetch(`${management}${path}`, {
		method: 'POST',
		body: JSON.stringify(body),
		signal: AbortSignal.timeout(5_000),
	});
	if (!response.ok) throw new Error(`challtestsrv ${path}: HTTP ${response.status} ${await response.text()}`);
}

/**
 * Sets the A record of `name` (replacing any it had) in the world's DNS (pebble-challtestsrv). Its mock DNS matches
 * exact names only: for a wildcard like `*.lab.test`, set each name a test uses.
 */
export async function setDnsRecord(name: string, address: string): Promise<void> {
	await replaceARecord(await managementUrl(), name, address);
}

/** challtestsrv's add-a appends to what a name had: clear it first, so the name has only this address. */
export async function replaceARecord(management: string, name: string, address: string): Promise<void> {
	await manageDns(management, '/clear-a', {host: name});
	await manageDns(management, '/add-a', {host: name, addresses: [address]});
}

/**
 * A TXT record (for DNS-01 challenges, the only way to a wildcard certificate such as `*.lab.test`):
 * pass `_acme-challenge.lab.test` and the key authorization digest acme-client gives.
 */
export async function setDnsTxt(name: string, value: string): Promise<void> {
	await manageDns(await managementUrl(), '/set-txt', {host: `${name.replace(/\.$/, '')}.`, value});
}

export async function clearDnsTxt(name: string): Promise<void> {
	await manageDns(await managementUrl(), '/clear-txt', {host: `${name.replace(/\.$/, '')}.`});
}

export function clearDnsRecord(name: string): Promise<void> {
	return managementUrl().then(url => manageDns(url, '/clear-a', {host: name}));
}

/** Asks the world's DNS (not the machine's resolver) for the A records of `name`. */
export async function resolveInWorld(name: string, server?: string): Promise<string[]> {
	const resolver = new Resolver({timeout: 2_000, tries: 2});
	resolver.setServers([server ?? (await readWorld()).dns!.server]);
	return resolver.resolve4(name);
}
