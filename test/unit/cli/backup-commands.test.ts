// Issue 12 item 4: `labbox backup` and `labbox restore` record their runs apart from the lab's state, so a setup run
// cut off before them is still the one `labbox --resume` continues.
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {main} from '../../../source/cli/main.js';
import {captured} from '../../helpers/captured.js';
import {tempDir} from '../../helpers/lab-folder.js';
import {completeYaml, secretEnv} from '../../helpers/labbox-process.js';

/** A lab folder whose last setup run stopped at ssh-port (as after a Ctrl-C); backup.repository is none. */
function interruptedLab() {
	const dir = tempDir();
	writeFileSync(path.join(dir, 'lab.yaml'), completeYaml);
	mkdirSync(path.join(dir, '.labbox'));
	const state = {
		version: 1,
		lastRun: {mode: 'setup', selected: ['connect', 'ssh-port', 'docker'], startedAt: '2026-11-27T10:00:00.000Z', outcome: 'interrupted'},
		steps: {connect: {result: 'ok', at: '2026-11-27T10:00:01.000Z', durationMs: 900}},
	};
	writeFileSync(path.join(dir, '.labbox/state.json'), `${JSON.stringify(state, null, 2)}\n`);
	return dir;
}

async function labbox(dir: string, ...argv: string[]) {
	const [stdout, stderr] = [captured(), captured()];
	const code = await main(argv, {
		stdout: stdout.stream as never,
		stderr: stderr.stream as never,
		env: {CI: 'true', ...secretEnv},
		cwd: dir,
	});
	return {code, output: stdout.text() + stderr.text()};
}

describe('labbox backup and restore keep their own record', () => {
	it.each([['backup'], ['restore', '--yes']])(
		'labbox %s leaves the setup run that --resume continues',
		async (...argv) => {
			const dir = interruptedLab();
			const before = readFileSync(path.join(dir, '.labbox/state.json'), 'utf8');
			const ran = await labbox(dir, ...argv);
			// No backups are configured here: the command says so and stops, before any login.
			expect(ran.output).toContain('No backups are configured');
			expect(ran.code).not.toBe(0);
			expect(readFileSync(path.join(dir, '.labbox/state.json'), 'utf8')).toBe(before);
			const own = JSON.parse(readFileSync(path.join(dir, '.labbox/backup-state.json'), 'utf8'));
			expect(own.lastRun.selected).toEqual([argv[0] === 'backup' ? 'backup-now' : 'restore']);
		},
		30_000,
	);
});
