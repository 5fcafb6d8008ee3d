// Polish item 6: the day-two commands (users, logs, ssh, destroy, upgrade) under --yes meet an unknown host key as
// setup does: nobody can be asked, so it ends as a "No" in a terminal: nothing was changed, the key to pin, exit 2
// (it was a bare "cannot ask" message without the key to pin, exit 1).
import {existsSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {fingerprint} from '../../../source/remote/known-hosts.js';
import {labbox} from '../../helpers/labbox-process.js';
import {makeKeyPair} from '../../helpers/ssh-keys.js';
import {labForServer} from '../../helpers/ssh-lab.js';
import {startedSshServer} from '../../helpers/ssh-server.js';

const login = makeKeyPair();
const server = startedSshServer({researcher: {publicKey: login.publicKey, sudo: 'nopasswd'}});

describe('a day-two command under --yes and an unknown host key', () => {
	it.each([[['users', '--yes']], [['logs', '--yes']], [['ssh', '--yes']], [['destroy', '--yes']], [['upgrade', '--yes']]])(
		'labbox %j: nothing changed, the key to pin, exit 2; nothing run on the server, nothing trusted',
		async argv => {
			const {lab, home, knownHosts} = labForServer(server().port, login.privateKey);
			const before = server().commands.length;
			const result = await labbox(argv, {cwd: lab, env: {HOME: home, SSH_AUTH_SOCK: ''}});
			expect(result.exitCode, String(result.all)).toBe(2);
			expect(String(result.stderr)).toContain('is not known, and labbox cannot ask whether to trust it');
			expect(String(result.stderr)).toContain(`\`server.hostKey: ${fingerprint(server().hostKey.blob)}\``);
			expect(String(result.stderr)).toContain('Nothing was changed.');
			expect(server().commands.length).toBe(before);
			expect(existsSync(knownHosts)).toBe(false);
		},
		60_000,
	);
});
