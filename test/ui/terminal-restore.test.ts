// Polish item 3: `labbox restore` in a terminal shows its plan and asks to confirm it, as setup does, but never
// asks setup's questions: a key lab.yaml lacks is an error naming it, exit 2, as under --yes.
import {existsSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {afterEach, describe, expect, it} from 'vitest';
import {tempDir} from '../helpers/lab-folder.js';
import {root} from '../helpers/labbox-process.js';
import {TmuxTerminal} from '../helpers/tmux.js';

let terminal: TmuxTerminal | undefined;

// The CLI from its sources (under tsx), with test steps; restore brings its own step.
const command = `node --import ${pathToFileURL(path.join(root, 'node_modules/tsx/dist/loader.mjs')).href} ${path.join(root, 'test/helpers/labbox-test-bin.ts')}`;

describe('labbox restore in a real terminal', {timeout: 90_000}, () => {
	afterEach(async () => {
		await terminal?.close();
	});

	it('never asks the setup questions: a missing key is named, nothing is run, exit 2', async () => {
		const lab = tempDir();
		// Everything but the lab's DNS name, which the wizard would ask.
		writeFileSync(
			path.join(lab, 'lab.yaml'),
			'server:\n  host: 203.0.113.7\n  user: root\nssh:\n  port: 22\ncertificate:\n  mode: self-signed\nauth:\n  type: github\n  clientId: Iv1.abc\n  allowedUsers: [ada]\nbackup:\n  repository: /mnt/backup/lab\n',
		);
		writeFileSync(
			path.join(lab, 'secrets.env'),
			'LABBOX_AUTH_CLIENT_SECRET=very-secret-value\nLABBOX_BACKUP_PASSWORD=backup-password-1\n',
			{
				mode: 0o600,
			},
		);
		terminal = await TmuxTerminal.start(`${command} restore`, {
			cwd: lab,
			env: {HOME: tempDir('labbox-home-'), TERM: 'xterm-256color', TSX_TSCONFIG_PATH: path.join(root, 'tsconfig.json')},
		});
		const done = await terminal.waitFor(/EXIT=\d+/, 40_000);
		expect(done).toMatch(/domain is missing/);
		expect(done).not.toMatch(/\? The lab's DNS name/);
		expect(done).toContain('EXIT=2');
		expect(existsSync(path.join(lab, '.labbox', 'backup-state.json'))).toBe(false);
	});
});
