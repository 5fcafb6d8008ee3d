import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {checkHostKey, HostKeyQuestion, hostKeyAlgorithms} from '../../../source/remote/host-key-check.js';
import {fingerprint, hashedEntry, lookup, readKnownHosts} from '../../../source/remote/known-hosts.js';
import {makeKeyPair} from '../../helpers/ssh-keys.js';

const target = {host: 'lab.example.org', port: 22, username: 'researcher'};
const trusted = makeKeyPair().publicKey;
const other = makeKeyPair().publicKey;

describe('checkHostKey', () => {
	let folder: string;
	let file: string;
	beforeEach(async () => {
		folder = await mkdtemp(join(tmpdir(), 'labbox-hk-'));
		file = join(folder, 'known_hosts');
	});
	afterEach(async () => rm(folder, {recursive: true, force: true}));

	it('accepts a known key without asking', async () => {
		await writeFile(file, `${hashedEntry(target.host, 22, trusted)}\n`);
		const confirm = vi.fn();
		await checkHostKey({target, knownHostsFile: file, confirm})(trusted);
		expect(confirm).not.toHaveBeenCalled();
	});

	it('stops on a changed key, naming the risk, the line and ssh-keygen -R', async () => {
		await writeFile(file, `# mine\n${hashedEntry(target.host, 22, trusted)}\n`);
		const error = await checkHostKey({target, knownHostsFile: file, pinned: fingerprint(other.blob)})(other).catch(
			(error_: unknown) => error_,
		);
		expect(error).toMatchObject({kind: 'host-key-changed'});
		expect(String((error as Error).message)).toMatch(/man-in-the-middle.*reinstalled/);
		expect(String((error as Error).message)).toContain('line 2');
		expect((error as {hint: string}).hint).toContain('ssh-keygen -R lab.example.org');
	});

	it('never waits for a person itself: an unknown key is a question, asked later with its fingerprint, then remembered', async () => {
		const confirm = vi.fn(async () => true);
		const question = await checkHostKey({target, knownHostsFile: file, confirm})(trusted).catch((error: unknown) => error);
		expect(question).toBeInstanceOf(HostKeyQuestion);
		expect(confirm).not.toHaveBeenCalled();
		await (question as HostKeyQuestion).ask();
		expect(confirm).toHaveBeenCalledWith(fingerprint(trusted.blob), trusted);
		expect(lookup(await readKnownHosts(file), target.host, 22, trusted).status).toBe('match');
	});

	it('refuses an unknown key when the user says no (the run ends: usage, with the key to pin), or when nobody can be asked', async () => {
		const question = (await checkHostKey({target, knownHostsFile: file, confirm: async () => false})(trusted).catch(
			(error: unknown) => error,
		)) as HostKeyQuestion;
		await expect(question.ask()).rejects.toMatchObject({
			kind: 'host-key-untrusted',
			usage: true,
			hint: expect.stringContaining(`\`server.hostKey: ${fingerprint(trusted.blob)}\``),
		});
		// Nobody to ask (--yes, no terminal): the same usage exit, the key to pin and where (issue 9 gap 2).
		await expect(checkHostKey({target, knownHostsFile: file})(trusted)).rejects.toMatchObject({
			kind: 'host-key-untrusted',
			usage: true,
			message: expect.stringContaining('labbox cannot ask whether to trust it (running with --yes or without a terminal)'),
			hint: expect.stringContaining(`\`server.hostKey: ${fingerprint(trusted.blob)}\` (or --server-host-key / LABBOX_SERVER_HOST_KEY)`),
		});
		expect(await readKnownHosts(file)).toEqual([]);
	});

	it('a changed key names the known_hosts entry of every port the lab uses that holds another key (issue 10 item 8)', async () => {
		const moved = makeKeyPair().publicKey;
		await writeFile(
			file,
			`${hashedEntry(target.host, 22, trusted)}\n${hashedEntry(target.host, 2222, trusted)}\n${hashedEntry(target.host, 2223, moved)}\n${hashedEntry(target.host, 2224, other)}\n`,
		);
		const error = await checkHostKey({target, knownHostsFile: file, labPorts: [22, 2222, 2223, 2224, 2225]})(moved).catch(
			(caught: unknown) => caught,
		);
		expect(error).toMatchObject({
			kind: 'host-key-changed',
			hint: "Only if you know the server was reinstalled: remove the old keys with `ssh-keygen -R lab.example.org` and `ssh-keygen -R '[lab.example.org]:2222'` and `ssh-keygen -R '[lab.example.org]:2224'`, run labbox again and compare the new fingerprint with the one your provider shows.",
		});
	});

	it('trusts a pinned fingerprint and refuses another key against the pin', async () => {
		const pinned = fingerprint(trusted.blob);
		await checkHostKey({target, knownHostsFile: file, pinned, remember: false})(trusted);
		await expect(checkHostKey({target, knownHostsFile: file, pinned})(other)).rejects.toMatchObject({
			kind: 'host-key-changed',
			hint: expect.stringContaining('lab.yaml'),
		});
	});

	it('after a port change, trusts the new port with the old key only', async () => {
		await writeFile(file, `${hashedEntry(target.host, 22, trusted)}\n`);
		const moved = {...target, port: 2222};
		await checkHostKey({target: moved, knownHostsFile: file, previousPort: 22})(trusted);
		expect(lookup(await readKnownHosts(file), target.host, 2222, trusted).status).toBe('match');
		await expect(
			checkHostKey({target: moved, knownHostsFile: file, previousPort: 22, confirm: async () => true})(other),
		).rejects.toMatchObject({
			kind: 'host-key-changed',
			hint: expect.stringContaining("`ssh-keygen -R '[lab.example.org]:2222'` and `ssh-keygen -R lab.example.org`"),
		});
	});
});

describe('hostKeyAlgorithms', () => {
	it('puts the known types first', () => {
		expect(hostKeyAlgorithms(['ssh-rsa']).slice(0, 4)).toEqual(['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa', 'ssh-ed25519']);
		expect(hostKeyAlgorithms([])[0]).toBe('ssh-ed25519');
	});
});
