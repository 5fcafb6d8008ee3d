/**
 * Asks DNS resolvers from the laptop, each on its own, so a stale local cache does not fool the user:
 * the default asks a few public resolvers and the system's.
 */
import {getServers, promises as dns} from 'node:dns';
import type {Answer} from './decide.js';

/** Public resolvers asked by default (beside the system's): Cloudflare, Google, Quad9. */
export const publicResolvers = ['1.1.1.1', '8.8.8.8', '9.9.9.9'];

/** The resolvers to ask: the configured ones (`dns.resolvers`), else the public ones and the system's. */
export function resolversFor(configured: readonly string[] | undefined): string[] {
	return configured && configured.length > 0 ? [...configured] : [...new Set([...publicResolvers, ...getServers()])];
}

// Codes that mean "the resolver answered: no such record".
const missingCodes = new Set(['ENOTFOUND', 'ENODATA', 'NXDOMAIN', 'ENONAME']);

/** Which record the wanted address needs. */
export type RecordType = 'A' | 'AAAA';

/** The A (or AAAA) records of a name at one resolver (`IP` or `IP:PORT`), within about two seconds. */
export async function askResolver(
	resolver: string,
	name: string,
	options: {readonly type?: RecordType; readonly signal?: AbortSignal} = {},
): Promise<Answer> {
	const {type = 'A', signal} = options;
	const client = new dns.Resolver({timeout: 1000, tries: 2});
	client.setServers([resolver]);
	const cancel = () => client.cancel();
	signal?.addEventListener('abort', cancel, {once: true});
	try {
		const addresses = type === 'A' ? await client.resolve4(name) : await client.resolve6(name);
		return {resolver, addresses: [...new Set(addresses)].sort()};
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code ?? '';
		return missingCodes.has(code) ? {resolver, error: 'missing'} : {resolver, error: 'unreachable', detail: code || String(error)};
	} finally {
		signal?.removeEventListener('abort', cancel);
	}
}

/** Every resolver's answer for a name, asked in parallel. */
export async function askAll(
	resolvers: readonly string[],
	name: string,
	options: {readonly type?: RecordType; readonly signal?: AbortSignal} = {},
): Promise<Answer[]> {
	return Promise.all(resolvers.map(resolver => askResolver(resolver, name, options)));
}

/** The first address a name has at the first resolver that knows it (where the laptop connects to prove the path). */
export async function firstAddress(
	resolvers: readonly string[],
	name: string,
	options: {readonly type?: RecordType; readonly signal?: AbortSignal} = {},
): Promise<string | undefined> {
	for (const answer of await askAll(resolvers, name, options)) {
		if ('addresses' in answer && answer.addresses.length > 0) {
			return answer.addresses[0];
		}
	}
	return undefined;
}
