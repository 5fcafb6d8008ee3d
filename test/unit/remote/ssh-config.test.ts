import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {defaultKeyFiles, listHostAliases, parseSshConfig, readSshConfig, resolveHost} from '../../../source/remote/ssh-config.js';

const home = '/home/ada';
const context = {home, localUser: 'ada'};

const text = `
# lab servers
Host lab
	HostName 203.0.113.10
	User researcher
	Port 2222
	IdentityFile ~/.ssh/lab_ed25519

Host lab-?? !lab-99
  HostName %h.example.org
  User=ops

Match host gpu exec "true"
	User nobody

Host *.example.org "quoted name"
	IdentitiesOnly yes
	IdentityFile %d/.ssh/%r@%h

Host *
	User fallback
	Port 22
	IdentityFile ~/.ssh/id_ed25519
`;

describe('resolveHost', () => {
	it('takes the first value of each option and collects identity files', async () => {
		const config = await parseSshConfig(text);
		expect(resolveHost(config, 'lab', context)).toEqual({
			alias: 'lab',
			hostName: '203.0.113.10',
			user: 'researcher',
			port: 2222,
			identityFiles: ['/home/ada/.ssh/lab_ed25519', '/home/ada/.ssh/id_ed25519'],
			identitiesOnly: undefined,
		});
	});

	it('matches ? patterns, negation, and expands %h', async () => {
		const config = await parseSshConfig(text);
		expect(resolveHost(config, 'lab-01', context)).toMatchObject({hostName: 'lab-01.example.org', user: 'ops', port: 22});
		expect(resolveHost(config, 'lab-99', context)).toMatchObject({hostName: 'lab-99', user: 'fallback'});
	});

	it('skips Match blocks and expands %d %r %h in IdentityFile', async () => {
		const config = await parseSshConfig(text);
		expect(resolveHost(config, 'gpu.example.org', context)).toEqual({
			alias: 'gpu.example.org',
			hostName: 'gpu.example.org',
			user: 'fallback',
			port: 22,
			identityFiles: ['/home/ada/.ssh/fallback@gpu.example.org', '/home/ada/.ssh/id_ed25519'],
			identitiesOnly: true,
		});
	});

	it('gives the address itself when nothing matches', async () => {
		expect(resolveHost(await parseSshConfig(''), '198.51.100.7', context)).toEqual({
			alias: '198.51.100.7',
			hostName: '198.51.100.7',
			user: undefined,
			port: undefined,
			identityFiles: [],
			identitiesOnly: undefined,
		});
	});
});

describe('listHostAliases', () => {
	it('lists concrete names only', async () => {
		expect(listHostAliases(await parseSshConfig(text))).toEqual(['lab', 'quoted name']);
	});
});

describe('files', () => {
	let folder: string;
	beforeAll(async () => {
		folder = await mkdtemp(join(tmpdir(), 'labbox-sshcfg-'));
		await mkdir(join(folder, '.ssh', 'config.d'), {recursive: true});
		await writeFile(join(folder, '.ssh', 'config'), 'Include config.d/*.conf\nHost *\n\tUser everyone\n');
		await writeFile(join(folder, '.ssh', 'config.d', 'lab.conf'), 'Host lab\n\tHostName 192.0.2.1\n\tUser researcher\n');
		await writeFile(join(folder, '.ssh', 'config.d', 'ignored.txt'), 'Host other\n');
		await writeFile(join(folder, '.ssh', 'id_rsa'), 'not a real key');
		await writeFile(join(folder, '.ssh', 'id_ed25519'), 'not a real key');
	});
	afterAll(async () => rm(folder, {recursive: true, force: true}));

	it('follows Include relative to ~/.ssh', async () => {
		const config = await readSshConfig({home: folder});
		expect(resolveHost(config, 'lab', {home: folder})).toMatchObject({hostName: '192.0.2.1', user: 'researcher'});
		expect(listHostAliases(config)).toEqual(['lab']);
	});

	it('reads a missing config as empty', async () => {
		expect(listHostAliases(await readSshConfig({home: join(folder, 'nobody')}))).toEqual([]);
	});

	it('finds the default keys in ssh order', async () => {
		expect(await defaultKeyFiles(folder)).toEqual([join(folder, '.ssh', 'id_ed25519'), join(folder, '.ssh', 'id_rsa')]);
	});
});
