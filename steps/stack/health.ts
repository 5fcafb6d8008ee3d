/**
 * The lab answers from the laptop: `https://NAME/hub/health` over the lab's real name and port 443, with the
 * server's certificate pinned: the certificate step placed and checked `certs/fullchain.pem` (chain to the
 * CA its mode implies: Let's Encrypt, Pebble, self-signed or the user's own), so the health check accepts that
 * exact certificate, for that name, and nothing else.
 */
import {lookup, Resolver} from 'node:dns/promises';
import {request} from 'node:https';
import type {TLSSocket} from 'node:tls';
import {X509Certificate} from 'node:crypto';

/** The outcome of one probe. */
export type Probe = {readonly ok: true} | {readonly ok: false; readonly reason: string};

/** The address of the name, asked of the configured resolvers (`dns.resolvers`) or of the system. */
export async function resolveName(name: string, resolvers: readonly string[] = []): Promise<string> {
	if (resolvers.length === 0) {
		return (await lookup(name, {family: 4})).address;
	}
	const resolver = new Resolver({timeout: 3000, tries: 2});
	resolver.setServers([...resolvers]);
	const [address] = await resolver.resolve4(name);
	if (!address) {
		throw new Error(`${name} has no A record`);
	}
	return address;
}

/** The SHA-256 fingerprint (as Node prints it) of the first certificate of a PEM chain. */
export function leafFingerprint(pem: string): string {
	return new X509Certificate(pem).fingerprint256;
}

/** One GET of /hub/health at `address`, for `name`, accepting only the pinned certificate. */
export function probeHealth(address: string, name: string, fingerprint: string, {port = 443, timeoutMs = 5000} = {}): Promise<Probe> {
	const judge = (status: number) => (status === 200 ? undefined : `https://${name}/hub/health answered ${status}`);
	return probePage(address, name, fingerprint, '/hub/health', judge, {port, timeoutMs});
}

/**
 * One GET of `path` at `address`, for `name`, accepting only the pinned certificate; `judge` says what is wrong
 * with the answer (its status and up to 64 KiB of its body), or undefined when it is right.
 */
export function probePage(
	address: string,
	name: string,
	fingerprint: string,
	path: string,
	judge: (status: number, body: string) => string | undefined,
	{port = 443, timeoutMs = 5000} = {},
): Promise<Probe> {
	return new Promise(resolve => {
		const req = request(
			{
				host: address,
				port,
				servername: name,
				path,
				headers: {host: name},
				rejectUnauthorized: false,
				timeout: timeoutMs,
				agent: false,
			},
			response => {
				let body = '';
				response.setEncoding('utf8');
				response.on('data', (chunk: string) => {
					if (body.length < 65_536) body += chunk;
				});
				response.on('end', () => {
					const problem = judge(response.statusCode ?? 0, body);
					resolve(problem === undefined ? {ok: true} : {ok: false, reason: problem});
				});
				response.on('error', error => resolve({ok: false, reason: error.message}));
			},
		);
		req.on('socket', socket => {
			socket.on('secureConnect', () => {
				const peer = (socket as TLSSocket).getPeerX509Certificate();
				if (peer?.fingerprint256 !== fingerprint) {
					req.destroy(new Error(`the server presented a certificate other than ${name}'s in certs/fullchain.pem`));
				} else if (peer.checkHost(name) === undefined) {
					req.destroy(new Error(`the certificate in certs/fullchain.pem does not cover ${name}`));
				}
			});
		});
		req.on('timeout', () => req.destroy(new Error(`no answer in ${timeoutMs / 1000} s`)));
		req.on('error', error => resolve({ok: false, reason: error.message}));
		req.end();
	});
}
