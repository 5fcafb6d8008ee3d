/**
 * ~/.ssh/known_hosts as OpenSSH reads it: plain and hashed (`|1|salt|hash`) host fields, several hosts per
 * line, `[host]:port` for ports other than 22, `@revoked` and `@cert-authority` markers.
 */
import {createHash, createHmac, randomBytes} from 'node:crypto';
import {appendFile, mkdir, readFile} from 'node:fs/promises';
import {homedir} from 'node:os';
import {dirname, join} from 'node:path';
import {matchesPatternList} from './host-pattern.js';

/** A public host key as the server offered it: `blob` is the SSH wire encoding, `type` e.g. `ssh-ed25519`. */
export interface HostKey {
	readonly type: string;
	readonly blob: Buffer;
}

/** The host field of a known_hosts line. */
export type KnownHostNames =
	| {readonly kind: 'hashed'; readonly salt: Buffer; readonly hash: Buffer}
	| {readonly kind: 'patterns'; readonly patterns: readonly string[]};

/** One key line of a known_hosts file. */
export interface KnownHostEntry {
	/** 1-based line number, for messages ("line 12"). */
	readonly line: number;
	readonly marker?: 'revoked' | 'cert-authority';
	readonly names: KnownHostNames;
	readonly key: HostKey;
}

/** What known_hosts says of an offered key. */
export type HostKeyStatus = 'match' | 'mismatch' | 'unknown' | 'revoked';

/** The answer of `lookup`: `entry` is the line that matched, or that holds the different key. */
export interface HostKeyLookup {
	readonly status: HostKeyStatus;
	readonly entry?: KnownHostEntry;
}

/** `SHA256:...` as `ssh-keygen -l` and ssh's prompt show it (base64 without `=`). */
export function fingerprint(blob: Buffer): string {
	return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** Reads the key type (the first SSH string) out of a key blob. */
export function hostKeyFromBlob(blob: Buffer): HostKey {
	const length = blob.readUInt32BE(0);
	return {type: blob.subarray(4, 4 + length).toString('ascii'), blob};
}

/** The name known_hosts uses for a host: `host` on port 22, `[host]:port` otherwise. */
export function hostToken(host: string, port: number): string {
	return port === 22 ? host : `[${host}]:${port}`;
}

/** Parses a known_hosts file; lines it cannot read are skipped, as ssh does. */
export function parseKnownHosts(text: string): KnownHostEntry[] {
	const entries: KnownHostEntry[] = [];
	for (const [index, rawLine] of text.split('\n').entries()) {
		const fields = rawLine.trim().split(/\s+/);
		if (fields[0] === '' || fields[0]!.startsWith('#')) {
			continue;
		}

		const marker = fields[0]!.startsWith('@') ? fields.shift()!.slice(1) : undefined;
		const [hosts, type, base64] = fields;
		if (!hosts || !type || !base64 || (marker !== undefined && marker !== 'revoked' && marker !== 'cert-authority')) {
			continue;
		}

		const names = parseNames(hosts);
		if (names) {
			entries.push({line: index + 1, marker, names, key: {type, blob: Buffer.from(base64, 'base64')}});
		}
	}

	return entries;
}

function parseNames(field: string): KnownHostNames | undefined {
	if (!field.startsWith('|')) {
		return {kind: 'patterns', patterns: field.split(',')};
	}

	const [, version, salt, hash] = field.split('|');
	return version === '1' && salt && hash
		? {kind: 'hashed', salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64')}
		: undefined;
}

function hashName(name: string, salt: Buffer): Buffer {
	return createHmac('sha1', salt).update(name).digest();
}

/** Does this line name the host on this port? */
export function namesHost(entry: KnownHostEntry, host: string, port: number): boolean {
	const token = hostToken(host, port);
	return entry.names.kind === 'hashed'
		? hashName(token, entry.names.salt).equals(entry.names.hash)
		: matchesPatternList(token, entry.names.patterns);
}

/**
 * Checks an offered key against the entries for host:port. A key of a type not yet known is `unknown`
 * (OpenSSH asks too); a different key of a known type is `mismatch`.
 */
export function lookup(entries: readonly KnownHostEntry[], host: string, port: number, key: HostKey): HostKeyLookup {
	const same = (entry: KnownHostEntry) => entry.key.type === key.type && entry.key.blob.equals(key.blob);
	const revoked = entries.find(entry => entry.marker === 'revoked' && same(entry));
	if (revoked) {
		return {status: 'revoked', entry: revoked};
	}

	const forHost = entries.filter(entry => entry.marker === undefined && namesHost(entry, host, port));
	const match = forHost.find(entry => same(entry));
	if (match) {
		return {status: 'match', entry: match};
	}

	const other = forHost.find(entry => entry.key.type === key.type);
	return other ? {status: 'mismatch', entry: other} : {status: 'unknown'};
}

/**
 * After sshd moved from `fromPort` to `toPort`, the new `[host]:port` has no entry yet: the key must be
 * the one already trusted for the old port (same server, same key), never a new host to ask about.
 */
export function lookupMoved(
	entries: readonly KnownHostEntry[],
	host: string,
	fromPort: number,
	toPort: number,
	key: HostKey,
): HostKeyLookup {
	const onNewPort = lookup(entries, host, toPort, key);
	return onNewPort.status === 'unknown' ? lookup(entries, host, fromPort, key) : onNewPort;
}

/**
 * The key types known for the host on these ports, so the session asks the server for one of those first (as
 * ssh does). After a port move pass both ports: the new one has no entry yet.
 */
export function knownKeyTypes(entries: readonly KnownHostEntry[], host: string, ...ports: number[]): string[] {
	const types = entries
		.filter(entry => entry.marker === undefined && ports.some(port => namesHost(entry, host, port)))
		.map(entry => entry.key.type);
	return [...new Set(types)];
}

/** One hashed known_hosts line (`ssh-keygen -H` format), so the file does not list the servers in clear. */
export function hashedEntry(host: string, port: number, key: HostKey, salt = randomBytes(20)): string {
	const hash = hashName(hostToken(host, port), salt);
	return `|1|${salt.toString('base64')}|${hash.toString('base64')} ${key.type} ${key.blob.toString('base64')}`;
}

/** The user's known_hosts path. */
export function defaultKnownHostsFile(home = homedir()): string {
	return join(home, '.ssh', 'known_hosts');
}

/** Reads and parses a known_hosts file; a missing file has no entries. */
export async function readKnownHosts(file: string): Promise<KnownHostEntry[]> {
	try {
		return parseKnownHosts(await readFile(file, 'utf8'));
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			return [];
		}

		throw error;
	}
}

/** Appends a hashed entry, creating ~/.ssh (0700) and the file (0600) as ssh would. */
export async function appendKnownHost(file: string, host: string, port: number, key: HostKey): Promise<void> {
	await mkdir(dirname(file), {recursive: true, mode: 0o700});
	const existing = await readFile(file, 'utf8').catch(() => '');
	const separator = existing === '' || existing.endsWith('\n') ? '' : '\n';
	await appendFile(file, `${separator}${hashedEntry(host, port, key)}\n`, {mode: 0o600});
}
