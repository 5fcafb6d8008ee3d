/**
 * Failures read from what a server command printed (curl, apt, dpkg, docker): which address did not answer, or a
 * full disk, instead of a bare exit code with a hint about something else (issue 9 items 6 and 9).
 */
import type {DiskFree} from './facts/disk-free.js';
import {RemoteError} from './errors.js';

/** A network failure reported by the server's own tools: the address that failed, and how. */
export interface NetworkFailure {
	/** As the tool named it (a host, host:port, an IP, a URL); undefined when it did not say. */
	readonly address?: string;
	readonly reason:
		| 'no answer in time'
		| 'connection refused'
		| 'the name does not resolve'
		| 'no route to the address'
		| 'the certificate is not trusted';
}

// curl (`curl: (28) Failed to connect to 192.0.2.10 port 443 after 10002 ms: Timeout was reached`), apt
// (`Could not connect to host:443 (192.0.2.10), connection timed out`, `Temporary failure resolving 'host'`)
// and dockerd (`dial tcp 192.0.2.10:443: i/o timeout`, `lookup host on 127.0.0.11:53: no such host`).
const patterns: ReadonlyArray<readonly [RegExp, NetworkFailure['reason']]> = [
	[/Failed to connect to (\S+) port (\d+)[^:]*: (?:Timeout was reached|Connection timed out)/i, 'no answer in time'],
	[/Failed to connect to (\S+) port (\d+)[^:]*: (?:Connection refused|Couldn't connect to server)/i, 'connection refused'],
	[/Failed to connect to (\S+) port (\d+)[^:]*: No route to host/i, 'no route to the address'],
	[/Could not resolve host: (\S+)/i, 'the name does not resolve'],
	[/Could not connect to (\S+?) \(([^)]+)\)(?:, connection timed out| - connect \(110)/i, 'no answer in time'],
	[/Could not connect to (\S+?) \(([^)]+)\)(?: - connect \(111|, connection refused)/i, 'connection refused'],
	[/Could not connect to (\S+?) \(([^)]+)\) - connect \(113/i, 'no route to the address'],
	[/(?:Temporary failure resolving|Could not resolve) '([^']+)'/i, 'the name does not resolve'],
	[/dial tcp ([^\s:]+(?::\d+)?|\[[^\]]+\]:\d+): (?:i\/o timeout|connect: connection timed out)/i, 'no answer in time'],
	[/dial tcp ([^\s:]+(?::\d+)?|\[[^\]]+\]:\d+): connect: connection refused/i, 'connection refused'],
	[/dial tcp ([^\s:]+(?::\d+)?|\[[^\]]+\]:\d+): connect: no route to host/i, 'no route to the address'],
	[/dial tcp: lookup (\S+?)(?: on \S+)?: no such host/i, 'the name does not resolve'],
	[/Connection timed out after \d+ milli/i, 'no answer in time'],
	[/Get "([^"]+)": (?:net\/http: request canceled while waiting for connection|context deadline exceeded)/i, 'no answer in time'],
	[/x509: certificate signed by unknown authority|SSL certificate problem/i, 'the certificate is not trusted'],
];

/** The first network failure in a command's output lines, or undefined when the output shows none. */
export function networkFailure(output: readonly string[]): NetworkFailure | undefined {
	for (const line of output) {
		for (const [pattern, reason] of patterns) {
			const match = pattern.exec(line);
			if (match) {
				const [, named, port] = match;
				// dockerd names the URL it asked (`Get "https://host:5000/v2/"`): its host is the address.
				const host = named !== undefined && /^https?:\/\//.test(named) ? new URL(named).host : named;
				const address =
					host === undefined ? undefined : port === undefined ? host : /^\d+$/.test(port) ? `${host}:${port}` : `${host} (${port})`;
				return {address, reason};
			}
		}
	}
	return undefined;
}

/** The server could not reach `url` while doing `what`; says which address failed and how, with `fix`. */
export function unreachableError(
	what: string,
	url: string,
	failure: NetworkFailure | undefined,
	fix: string,
	output?: readonly string[],
): RemoteError {
	const reason = failure
		? `${failure.reason}${failure.address && !url.includes(failure.address) ? ` from ${failure.address}` : ''}`
		: 'the request failed';
	return new RemoteError('network', `The server could not reach ${url} to ${what}: ${reason}.`, fix, output);
}

/** True when a command stopped because a filesystem is full (dpkg, apt, docker and the kernel all say so). */
export function noSpaceLeft(output: readonly string[]): boolean {
	return output.some(line => /no space left on device/i.test(line));
}

const gib = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(1)} GiB`;

/** The disk `disk` (where `folder` lives) is full: what stopped, the numbers, and how to make room. */
export function diskFullError(
	what: string,
	folder: string,
	disk: DiskFree | undefined,
	needed: number | undefined,
	output?: readonly string[],
): RemoteError {
	const holds = disk && disk.mount !== folder ? ` (which holds ${folder})` : '';
	const numbers = [
		disk ? `${gib(disk.available)} of ${gib(disk.total)} is free on ${disk.mount}${holds}` : undefined,
		needed === undefined ? undefined : `about ${gib(needed)} is needed`,
	].filter(Boolean);
	return new RemoteError(
		'disk-full',
		`The server's disk is full: ${what} stopped with "no space left on device".${numbers.length > 0 ? ` ${numbers.join('; ')}.` : ''}`,
		`Make room on ${disk?.mount ?? `the filesystem of ${folder}`} (remove what you do not need; \`sudo docker system prune\` removes unused images and stopped containers) or grow the disk, then \`labbox --resume\`.`,
		output,
	);
}
