import {mkdtemp, readFile, rm, stat} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {
	appendKnownHost,
	fingerprint,
	hashedEntry,
	hostKeyFromBlob,
	hostToken,
	knownKeyTypes,
	lookup,
	lookupMoved,
	parseKnownHosts,
	readKnownHosts,
} from '../../../source/remote/known-hosts.js';

// Keys and hashed lines made with ssh-keygen (-t ed25519 / ecdsa, then -H), fingerprint from `ssh-keygen -l`.
const keyA = hostKeyFromBlob(Buffer.from('AAAAC3NzaC1lZDI1NTE5AAAAIJAt/rzqjHrc2YOec8mwG4GqRpLLiwe45pV7ncCNU6bl', 'base64'));
const keyB = hostKeyFromBlob(Buffer.from('AAAAC3NzaC1lZDI1NTE5AAAAILz3al4/6K66gULM6KMIXaamTPvF/eyky15DT1bLzsFq', 'base64'));
const keyC = hostKeyFromBlob(
	Buffer.from(
		'AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBPDBcuRJUbmA9Ky0RFFZFKzuOiGIgZnlqjsTpkXAokbVOTFVMf/f1ZRZy9ElHdBNXG1edAknZv0KxzaLYi9CKnE=',
		'base64',
	),
);
const a = `ssh-ed25519 ${keyA.blob.toString('base64')}`;
const b = `ssh-ed25519 ${keyB.blob.toString('base64')}`;
const hashedA22 = `|1|6KVLWPM+7oXycaAIJeEcW8lv6Xk=|GSaRomeX7O4UD9sxMU3HCi1JIe4= ${a}`;
const hashedA2222 = `|1|Ujh98GQrn9ycBxW4y+8zI+79nm8=|VbazpaYukof0owILgSi2vhX3qFs= ${a}`;

describe('keys', () => {
	it('reads the type from the blob', () => {
		expect(keyA.type).toBe('ssh-ed25519');
		expect(keyC.type).toBe('ecdsa-sha2-nistp256');
	});

	it('fingerprints like ssh-keygen -l', () => {
		expect(fingerprint(keyA.blob)).toBe('SHA256:UxM/OwGAVL0338bOvRZ5kiy90GUPYGk6xACmGI/M54Q');
	});

	it('names non-22 ports in brackets', () => {
		expect(hostToken('lab.example.org', 22)).toBe('lab.example.org');
		expect(hostToken('10.0.0.5', 2222)).toBe('[10.0.0.5]:2222');
	});
});

describe('parseKnownHosts', () => {
	it('reads markers, comments, several names and hashed lines, skipping junk', () => {
		const entries = parseKnownHosts(
			['# comment', '', `lab,10.0.0.5 ${a} root@lab`, `@revoked * ${b}`, 'garbage', `@bogus x ${a}`, hashedA22].join('\n'),
		);
		expect(entries.map(entry => [entry.line, entry.marker, entry.names.kind])).toEqual([
			[3, undefined, 'patterns'],
			[4, 'revoked', 'patterns'],
			[7, undefined, 'hashed'],
		]);
	});
});

describe('lookup', () => {
	it('matches a hashed entry on port 22 and on [host]:port', () => {
		const entries = parseKnownHosts(`${hashedA22}\n${hashedA2222}\n`);
		expect(lookup(entries, 'lab.example.org', 22, keyA).status).toBe('match');
		expect(lookup(entries, 'lab.example.org', 2222, keyA).status).toBe('match');
		expect(lookup(entries, 'lab.example.org', 2200, keyA).status).toBe('unknown');
		expect(lookup(entries, 'other.example.org', 22, keyA).status).toBe('unknown');
	});

	it('says mismatch, with the line, for a different key of the same type', () => {
		const entries = parseKnownHosts(`other ${b}\n${hashedA22}\n`);
		expect(lookup(entries, 'lab.example.org', 22, keyB)).toMatchObject({status: 'mismatch', entry: {line: 2}});
	});

	it('says unknown for a key type not yet known (ssh asks too)', () => {
		const entries = parseKnownHosts(`${hashedA22}\n`);
		expect(lookup(entries, 'lab.example.org', 22, keyC).status).toBe('unknown');
	});

	it('honours patterns and negation', () => {
		const entries = parseKnownHosts(`*.example.org,!bad.example.org ${a}\n`);
		expect(lookup(entries, 'lab.example.org', 22, keyA).status).toBe('match');
		expect(lookup(entries, 'bad.example.org', 22, keyA).status).toBe('unknown');
		expect(lookup(entries, 'lab.example.org', 22, keyB).status).toBe('mismatch');
	});

	it('says revoked for a revoked key', () => {
		const entries = parseKnownHosts(`lab ${a}\n@revoked * ${a}\n`);
		expect(lookup(entries, 'lab', 22, keyA).status).toBe('revoked');
	});

	it('ignores cert-authority lines', () => {
		const entries = parseKnownHosts(`@cert-authority lab ${b}\n`);
		expect(lookup(entries, 'lab', 22, keyA).status).toBe('unknown');
	});
});

describe('lookupMoved (after an sshd port change)', () => {
	const entries = parseKnownHosts(`${hashedA22}\n`);

	it('trusts the new port with the key of the old one', () => {
		expect(lookupMoved(entries, 'lab.example.org', 22, 2222, keyA).status).toBe('match');
	});

	it('refuses another key on the new port', () => {
		expect(lookupMoved(entries, 'lab.example.org', 22, 2222, keyB).status).toBe('mismatch');
	});

	it('uses the new port entry once there is one', () => {
		const moved = parseKnownHosts(`${hashedA22}\n[lab.example.org]:2222 ${b}\n`);
		expect(lookupMoved(moved, 'lab.example.org', 22, 2222, keyB).status).toBe('match');
	});
});

describe('knownKeyTypes', () => {
	it('lists the types known for the host', () => {
		const entries = parseKnownHosts(`lab ${a}\nlab ecdsa-sha2-nistp256 ${keyC.blob.toString('base64')}\nlab ${a}\n`);
		expect(knownKeyTypes(entries, 'lab', 22)).toEqual(['ssh-ed25519', 'ecdsa-sha2-nistp256']);
		expect(knownKeyTypes(entries, 'lab', 2222)).toEqual([]);
		expect(knownKeyTypes(entries, 'lab', 2222, 22)).toEqual(['ssh-ed25519', 'ecdsa-sha2-nistp256']);
	});
});

describe('files', () => {
	let folder: string | undefined;
	afterEach(async () => {
		if (folder) {
			await rm(folder, {recursive: true, force: true});
		}
	});

	it('writes hashed entries that lookup matches, like ssh-keygen -H', () => {
		const salt = Buffer.from('6KVLWPM+7oXycaAIJeEcW8lv6Xk=', 'base64');
		expect(hashedEntry('lab.example.org', 22, keyA, salt)).toBe(hashedA22);
	});

	it('appends to a new file with mode 0600 in a new 0700 folder; a missing file reads as empty', async () => {
		folder = await mkdtemp(join(tmpdir(), 'labbox-kh-'));
		const file = join(folder, '.ssh', 'known_hosts');
		expect(await readKnownHosts(file)).toEqual([]);
		await appendKnownHost(file, '10.0.0.5', 2222, keyA);
		await appendKnownHost(file, '10.0.0.5', 22, keyB);
		expect((await stat(file)).mode & 0o777).toBe(0o600);
		expect((await stat(join(folder, '.ssh'))).mode & 0o777).toBe(0o700);
		const entries = await readKnownHosts(file);
		expect(lookup(entries, '10.0.0.5', 2222, keyA).status).toBe('match');
		expect(lookup(entries, '10.0.0.5', 22, keyB).status).toBe('match');
		expect(await readFile(file, 'utf8')).not.toContain('10.0.0.5');
	});
});
