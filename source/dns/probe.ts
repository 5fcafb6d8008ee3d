/**
 * The end-to-end proof: the server answers the lab's token on port 80 and the laptop fetches it through the
 * lab's name. A temporary responder needs nothing but systemd (`systemd-socket-activate` runs a tiny shell
 * HTTP answer per connection) and removes itself after `probeSeconds` even if the laptop goes away.
 */
import {request} from 'node:http';
import {setTimeout as sleep} from 'node:timers/promises';
import path from 'node:path/posix';
import {chain, quiet, type Command} from '../remote/command.js';

/** The transient unit of the temporary responder. */
export const probeUnit = 'labbox-http-probe';
/** The responder stops by itself after this long (it is stopped at once when the proof is done). */
export const probeSeconds = 120;

/**
 * Where the token is served: under the ACME challenge path, which the lab's nginx serves from its webroot
 * over plain HTTP (no redirect to HTTPS), so the proof takes the very path the CA will take.
 */
export const probePath = '/.well-known/acme-challenge/labbox-probe';

/**
 * The token's file in the lab's nginx webroot, made once and then only read: with the lab's nginx on port 80 a
 * no-op run proves the path without writing on the server (issue 9 item 18).
 */
export function probeFile(root: string): string {
	return path.join(root, 'acme-webroot', probePath);
}

/** A token as the proof makes it (a file holding anything else is made again). */
export const isToken = (text: string | undefined): text is string => /^[\da-f]{32}$/.test(text ?? '');

/** The folders of the token's file, readable by nginx. */
export function probeFolders(root: string): Command {
	const webroot = path.join(root, 'acme-webroot');
	return ['install', '-d', '-m', '0755', webroot, path.join(webroot, '.well-known'), path.join(webroot, '.well-known/acme-challenge')];
}

// One HTTP/1.0 exchange on stdin/stdout (inetd style): the token at its path, 404 elsewhere; $0 is the token.
const responderScript = [
	'read -r method target rest',
	`while read -r line && [ -n "$line" ] && [ "$line" != "$(printf '\\r')" ]; do :; done`,
	// No Content-Length (dash cannot measure $0 portably): HTTP/1.0 ends the body when the connection closes.
	`if [ "$target" = "${probePath}" ]; then printf 'HTTP/1.0 200 OK\\r\\nContent-Type: text/plain\\r\\nConnection: close\\r\\n\\r\\n%s' "$0"; else printf 'HTTP/1.0 404 Not Found\\r\\nConnection: close\\r\\n\\r\\n'; fi`,
].join('\n');

/** Stops a responder left by an earlier run (nothing if there is none). */
export function stopResponder(): Command {
	return chain(quiet(['systemctl', 'stop', `${probeUnit}.service`]), quiet(['systemctl', 'reset-failed', `${probeUnit}.service`]), [
		'true',
	]);
}

/** Starts the temporary responder on port 80 (IPv4 and IPv6) for `probeSeconds` at most. */
export function startResponder(token: string): Command {
	return [
		'systemd-run',
		`--unit=${probeUnit}`,
		'--collect',
		'--quiet',
		`--property=RuntimeMaxSec=${probeSeconds}`,
		'systemd-socket-activate',
		'--listen=80',
		'--accept',
		'--inetd',
		'sh',
		'-c',
		responderScript,
		token,
	];
}

/** What the laptop got for the token's URL. */
export type Fetched = {readonly status: number; readonly body: string} | {readonly error: string};

/** One GET to `address:port` (80 but in tests) with `Host: name`, within `timeoutMs`. */
export function fetchOnce(
	address: string,
	name: string,
	urlPath: string,
	timeoutMs: number,
	signal?: AbortSignal,
	port = 80,
): Promise<Fetched> {
	return new Promise(resolve => {
		const req = request({host: address, port, path: urlPath, headers: {host: name}, timeout: timeoutMs, signal}, response => {
			let body = '';
			response.setEncoding('utf8');
			response.on('data', (chunk: string) => {
				body = (body + chunk).slice(0, 2000);
			});
			response.on('end', () => resolve({status: response.statusCode ?? 0, body}));
			response.on('error', error => resolve({error: error.message}));
		});
		req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
		req.on('error', error => resolve({error: (error as NodeJS.ErrnoException).code ?? error.message}));
		req.end();
	});
}

/** Fetches until the token comes back (the responder may need a moment to listen): at most `tries` times. */
export async function fetchToken(
	address: string,
	name: string,
	token: string,
	options: {readonly tries?: number; readonly signal?: AbortSignal} = {},
): Promise<Fetched> {
	let last: Fetched = {error: 'not tried'};
	for (let attempt = 1; attempt <= (options.tries ?? 5); attempt++) {
		last = await fetchOnce(address, name, probePath, 3000, options.signal);
		if ('body' in last && last.status === 200 && last.body.trim() === token) {
			return last;
		}
		await sleep(500 * attempt, undefined, {signal: options.signal});
	}
	return last;
}

/** Why the proof failed, for the screen. */
export function describeFetch(fetched: Fetched, name: string, address: string): string {
	if ('error' in fetched) {
		return `http://${name}/ (${address}:80) is not reachable from this computer: ${fetched.error}`;
	}
	return `http://${name}/ (${address}:80) answered HTTP ${fetched.status} without the token: another web server answers there`;
}
