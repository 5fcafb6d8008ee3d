// Issue 10 item 5: every command the screen names works as typed. The README's first command is
// `npm ci && npm start -- --dir …`, which puts no `labbox` on the PATH: a run started that way must say
// `npm start -- …` in its hints, keep the flags the user gave (here --server-port), and its Retry line, typed
// as shown, must run labbox again. The built CLI with the lab's real steps, in tmux at 120×40; the server is
// a closed port on this machine, so the first step fails.
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {execa} from 'execa';
import {afterEach, beforeAll, describe, expect, it} from 'vitest';
import {tempDir} from '../helpers/lab-folder.js';
import {root} from '../helpers/labbox-process.js';
import {TmuxTerminal} from '../helpers/tmux.js';

const terminals: TmuxTerminal[] = [];

beforeAll(async () => {
	await execa('npm', ['run', 'build'], {cwd: root});
}, 180_000);

afterEach(async () => {
	await Promise.all(terminals.splice(0).map(async terminal => terminal.close()));
});

describe('hints after `npm start -- --dir …`', {timeout: 180_000}, () => {
	it('name npm start with the flags given, and the retry line works as typed', async () => {
		const lab = tempDir();
		writeFileSync(
			path.join(lab, 'lab.yaml'),
			'server:\n  host: 127.0.0.1\n  user: root\nssh:\n  port: 22\ndomain: lab.example.org\ncertificate:\n  mode: letsencrypt\n  email: ada@example.org\n  staging: false\nauth:\n  type: github\n  clientId: Iv1.abc\n  allowedUsers: [ada]\n  allowedGroups: []\n  admins: [ada]\nbackup:\n  repository: none\n',
		);
		writeFileSync(path.join(lab, 'secrets.env'), 'LABBOX_AUTH_CLIENT_SECRET=very-secret-value\n', {mode: 0o600});
		// npm's own variables come from npm itself, as for the user: the pane starts without any.
		const env = {HOME: tempDir('labbox-home-'), TERM: 'xterm-256color', npm_config_update_notifier: 'false'};
		const first = await TmuxTerminal.start(`npm start -- --dir ${lab} --server-port 1`, {cwd: root, width: 120, height: 40, env});
		terminals.push(first);
		// The connection is tried once, before the plan; its failure is said once, with the command to run again.
		const failed = await first.waitFor(/EXIT=\d+/, 60_000);
		expect(failed).toContain('EXIT=1');
		expect(failed).toContain(`Retry: npm start -- --dir ${lab} --server-port 1`);
		expect(failed).not.toMatch(/\blabbox (--|run )/);
		const retry = /Retry: (.+)$/m.exec(failed)![1]!.trim();
		await sleep(1500); // reading it

		// The user types the retry line as shown, from the same folder.
		const second = await TmuxTerminal.start(retry, {cwd: root, width: 120, height: 40, env});
		terminals.push(second);
		const again = await second.waitFor(/EXIT=\d+/, 60_000);
		expect(again).toContain('> node bin/labbox.js --dir');
		expect(again).toContain('Connect to the server: Nothing answers on port 1');
		expect(again).toContain(`Retry: ${retry}`);
		expect(again).toContain('EXIT=1');
	});
});
