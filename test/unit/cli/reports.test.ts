import {describe, expect, it} from 'vitest';
import {fitLine, liveReport, statusReport} from '../../../source/cli/reports.js';
import type {LabState} from '../../../source/engine/state.js';
import type {Step} from '../../../source/engine/types.js';

const steps = ['connect', 'certificate', 'stack'].map(id => ({id, title: id, summary: id, check: async () => ({status: 'done'})}) as Step);
const now = new Date(2026, 10, 27, 9, 30);
const at = (hours: number, minutes: number) => new Date(2026, 10, 27, hours, minutes).toISOString();
const state = {
	version: 1,
	lastRun: {mode: 'setup', selected: ['connect', 'certificate', 'stack'], startedAt: at(7, 1), endedAt: at(7, 3), outcome: 'failed'},
	steps: {
		connect: {result: 'ok', at: at(7, 1), durationMs: 300, detail: 'debian 13 (trixie), amd64, 2 CPUs, 3.8 GiB RAM, 24 GiB free on /'},
		certificate: {
			result: 'failed',
			at: at(9, 18),
			durationMs: 3000,
			detail: 'Port 80 on the server is used by python3 (pid 812); the lab needs it',
		},
	},
} as unknown as LabState;

describe('labbox status, the record', () => {
	it('says when in words and names the command to run (spelled as the user runs labbox by the caller)', () => {
		const report = statusReport(steps, {version: 1, steps: {}} as unknown as LabState, '/lab', {now});
		expect(report).toContain('No run yet: run `labbox` to set the lab up.');
		const full = statusReport(steps, state, '/lab', {now});
		expect(full).toContain('Last run: setup every step, started today at 07:01, failed today at 07:03');
		expect(full).toContain('certificate  ✖ failed      12 minutes ago: Port 80');
		expect(full).not.toMatch(/\d{4}-\d\d-\d\dT/);
	});

	it('at 60 columns breaks lines between words, continued under the result', () => {
		const report = statusReport(steps, state, '/lab', {now, width: 60});
		for (const line of report.trimEnd().split('\n')) {
			expect(line.length, line).toBeLessThanOrEqual(60);
		}
		expect(report).toContain(
			'  certificate  ✖ failed      12 minutes ago: Port 80 on the\n                 server is used by python3 (pid 812); the\n                 lab needs it\n',
		);
		expect(report).toContain('Last run: setup every step, started today at 07:01, failed\n  today at 07:03\n');
		expect(fitLine('short', 60, 4)).toBe('short');
	});
});

describe('labbox status, live', () => {
	it('a warning (no backups) has its own mark and is counted apart, never as healthy', () => {
		const report = liveReport([
			{id: 'certificate', ok: true, text: 'expires in 80 days'},
			{id: 'stack', ok: false, text: 'answered 502', cause: 'hub is exited'},
			{id: 'backup', ok: true, warning: true, text: 'warning: no backups (backup.repository: none)'},
		]);
		expect(report.split('\n')).toEqual([
			'  certificate  ✔ expires in 80 days',
			'  stack        ✖ answered 502',
			'                 why: hub is exited',
			'                 fix: run `labbox run stack`',
			'  backup       ! warning: no backups (backup.repository: none)',
			'  1 well, 1 with a warning, 1 unwell',
			'',
		]);
		expect(liveReport([{id: 'stack', ok: true, text: 'answers'}])).toBe('  stack  ✔ answers\n  1 well\n');
	});
});
