import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {readSshConfig, resolveHost} from '../../../source/remote/ssh-config.js';
import {hostSettings, parseSshG, settingsFromSshG} from '../../../source/remote/ssh-host-settings.js';

const context = {home: '/home/ada', localUser: 'ada'};

// A Match block sets the user and the port: the reader skips Match blocks (issue 11), OpenSSH does not.
const config = `
Host lab
	HostName 203.0.113.10
	IdentityFile ~/.ssh/lab_ed25519
	IdentitiesOnly yes

Host plain
	HostName 203.0.113.11

Match host 203.0.113.10
	User researcher
	Port 2222
`;

describe('settingsFromSshG', () => {
	// What `ssh -G lab` and `ssh -F none -G lab` print (OpenSSH 9.2, trimmed to the lines read).
	const configured = parseSshG(
		'user researcher\nhostname 203.0.113.10\nport 2222\nidentitiesonly yes\nidentityfile ~/.ssh/lab_ed25519\nproxyjump bastion\n',
	);
	const defaults = parseSshG(
		'user ada\nhostname lab\nport 22\nidentitiesonly no\nidentityfile ~/.ssh/id_rsa\nidentityfile ~/.ssh/id_ecdsa\nidentityfile ~/.ssh/id_ed25519\n',
	);

	it('takes OpenSSH’s answers, with ~ expanded', () => {
		expect(settingsFromSshG('lab', configured, defaults, context)).toEqual({
			alias: 'lab',
			hostName: '203.0.113.10',
			user: 'researcher',
			port: 2222,
			identityFiles: ['/home/ada/.ssh/lab_ed25519'],
			identitiesOnly: true,
		});
	});

	it('leaves unset what only ssh’s own defaults give (labbox’s defaults apply: root, the agent, ~/.ssh/id_*)', () => {
		expect(settingsFromSshG('lab', defaults, defaults, context)).toEqual({
			alias: 'lab',
			hostName: 'lab',
			user: undefined,
			port: undefined,
			identityFiles: [],
			identitiesOnly: undefined,
		});
	});
});

describe('hostSettings', () => {
	let folder: string;
	let file: string;
	beforeAll(async () => {
		folder = await mkdtemp(join(tmpdir(), 'labbox-ssh-g-'));
		file = join(folder, 'config');
		await writeFile(file, config);
	});

	afterAll(async () => {
		await rm(folder, {recursive: true, force: true});
	});

	it('asks the installed ssh, which applies Match blocks the reader cannot', async () => {
		const settings = await hostSettings('lab', {...context, configFile: file});
		expect(settings).toMatchObject({hostName: '203.0.113.10', user: 'researcher', port: 2222, identitiesOnly: true});
		expect(settings.identityFiles).toEqual(['/home/ada/.ssh/lab_ed25519']);
		// The reader alone (what labbox used before) misses the Match block's user and port.
		expect(resolveHost(await readSshConfig(context, file), 'lab', context)).toMatchObject({user: undefined, port: undefined});
	});

	it('has ssh read labbox’s ~/.ssh/config when $HOME is not the account’s home (ssh itself looks in passwd)', async () => {
		await mkdir(join(folder, '.ssh'), {recursive: true});
		await writeFile(join(folder, '.ssh', 'config'), config);
		expect(await hostSettings('lab', {home: folder, localUser: 'ada'})).toMatchObject({user: 'researcher', port: 2222});
	});

	it('keeps labbox’s defaults for a host the config says little about', async () => {
		expect(await hostSettings('plain', {...context, configFile: file})).toEqual({
			alias: 'plain',
			hostName: '203.0.113.11',
			user: undefined,
			port: undefined,
			identityFiles: [],
			identitiesOnly: undefined,
		});
	});

	it.each([
		['ssh is not installed', join(tmpdir(), 'labbox-no-such-ssh')],
		['ssh fails', 'false'],
	])('reads the config itself when %s', async (_case, ssh) => {
		const settings = await hostSettings('lab', {...context, configFile: file, ssh});
		expect(settings).toEqual(resolveHost(await readSshConfig(context, file), 'lab', context));
		expect(settings).toMatchObject({hostName: '203.0.113.10', user: undefined});
	});
});
