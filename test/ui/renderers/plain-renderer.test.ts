import {describe, expect, it} from 'vitest';
import {asEngine} from '../support/engine-redaction.js';
import {createRenderer} from '../../../source/ui/renderer.js';
import {createPlainRenderer, timestamp} from '../../../source/ui/renderers/plain-renderer.js';
import {failingRun, question, runStart} from '../support/events.js';
import {FakeStdout} from '../support/frames.js';

function mount(verbose = false) {
	const stdout = new FakeStdout();
	const renderer = createPlainRenderer({
		stdout: stdout.asStream(),
		verbose,
		onInterrupt() {},
		redact: text => text.replaceAll('hunter22', '***'),
		now: () => new Date(2026, 10, 25, 21, 3, 4),
	});
	const raw = () => stdout.writes.join('').split('\n').filter(Boolean);
	/** The lines without their timestamp, once checked that every line has it. */
	const stamp = '21:03:04 ';
	const lines = () => {
		expect(raw().filter(line => !line.startsWith(stamp))).toEqual([]);
		return raw().map(line => line.slice(stamp.length));
	};
	return {stdout, renderer, lines};
}

describe('the plain renderer', () => {
	it('prints every event as a timestamped line, output always, failure with fix, log and retry', async () => {
		const {renderer, lines} = mount();
		for (const event of failingRun()) {
			renderer.handle(event);
		}
		await renderer.close();
		expect(lines()).toEqual([
			'labbox setup: 3 of 3 steps · log .labbox/logs/run-1.log',
			'▸ connect  Connect',
			'  connect already done: Debian 13, amd64',
			'✔ connect ok (1.2s) Debian 13, amd64',
			'▸ docker  Install Docker',
			'  docker will change (inputs changed):',
			'    + install docker.io',
			'  docker applying',
			'  │ Setting up docker.io',
			'  docker 50% 50 of 100 packages',
			'✔ docker changed (12.3s) Docker 26.1 running',
			'▸ stack  Start JupyterHub',
			'  stack applying',
			'✖ stack failed (1m 01s) the hub did not answer /hub/health',
			'  fix: Run `docker compose logs hub` on the server.',
			'✖ failed: 1 changed, 1 already done, 1 failed, 0 skipped',
			'  Start JupyterHub (stack) failed: the hub did not answer /hub/health',
			'  │ [E] database is locked',
			'  │ [E] exiting',
			'  fix: Run `docker compose logs hub` on the server.',
			'  log: .labbox/logs/run-1.log',
			'  retry: labbox run stack',
		]);
	});

	it('prints the URL when done and how to resume when interrupted', async () => {
		const {renderer, lines} = mount();
		renderer.handle({type: 'run-end', outcome: 'done', outcomes: [], url: 'https://lab.example.org'});
		renderer.handle({type: 'run-end', outcome: 'interrupted', outcomes: [], retry: 'labbox --resume'});
		await renderer.close();
		expect(lines()).toContain('  your lab: https://lab.example.org');
		expect(lines()).toContain('⚠ interrupted: 0 changed, 0 already done, 0 failed, 0 skipped');
		expect(lines()).toContain('  resume: labbox --resume');
	});

	it('prints progress once per tenth, or every update when verbose', async () => {
		for (const [verbose, expected] of [
			[false, 3],
			[true, 6],
		] as const) {
			const {renderer, lines} = mount(verbose);
			for (const fraction of [0, 0.01, 0.05, 0.5, 0.55, 1]) {
				renderer.handle({type: 'progress', id: 'images', fraction});
			}
			await renderer.close();
			expect(lines()).toHaveLength(expected);
		}
	});

	it('shows no secret of the events and plans the engine redacted', async () => {
		const {renderer, stdout} = mount();
		renderer.handle(asEngine.emitted({type: 'line', id: 'docker', text: 'login with hunter22', stream: 'stderr'}));
		renderer.handle(asEngine.emitted({type: 'detail', id: 'docker', text: 'hunter22'}));
		await renderer.confirmPlan([
			asEngine.planned({id: 'docker', title: 'Docker', check: {status: 'blocked', reason: 'bad hunter22', fix: 'x'}, inputsChanged: false}),
		]);
		await renderer.close();
		expect(stdout.text()).toContain('│ login with ***');
		expect(stdout.text()).toContain('✖ docker  Docker: blocked: bad ***');
		expect(stdout.text()).not.toContain('hunter22');
	});

	it('writes 20,000 lines in a few large writes, not 20,000', async () => {
		const {renderer, stdout, lines} = mount();
		renderer.handle(runStart);
		for (let index = 0; index < 20_000; index++) {
			renderer.handle({type: 'line', id: 'docker', text: `line ${index}`, stream: 'stdout'});
		}
		await renderer.close();
		expect(lines()).toHaveLength(20_001);
		expect(lines().at(-1)).toBe('  │ line 19999');
		expect(stdout.writes.length).toBeLessThan(50);
	});

	it('prints the plan: counts, then each step with its changes or fix', async () => {
		const {renderer, lines} = mount();
		const started = await renderer.confirmPlan([
			{id: 'connect', title: 'Connect', check: {status: 'done', detail: 'root@lab'}, inputsChanged: false, lastResult: 'ok'},
			{
				id: 'certificate',
				title: 'Certificate',
				check: {status: 'todo', changes: ['issue a certificate', 'install the renewal timer']},
				inputsChanged: true,
				lastResult: 'failed',
			},
			{id: 'dns', title: 'DNS', check: {status: 'blocked', reason: 'no A record', fix: 'Add an A record'}, inputsChanged: false},
		]);
		await renderer.close();
		expect(started).toBe(true);
		expect(lines()).toEqual([
			'plan: 1 to change, 1 already done, 1 blocked',
			'✔ connect      Connect: already done (last run: ok): root@lab',
			'● certificate  Certificate: will change (inputs changed, last run: failed):',
			'    + issue a certificate',
			'    + install the renewal timer',
			'✖ dns          DNS: blocked: no A record',
			'    fix: Add an A record',
		]);
	});

	it('says "would change" for a step a plan run leaves skipped', async () => {
		const {renderer, lines} = mount();
		renderer.handle({...runStart, mode: 'plan'} as typeof runStart);
		renderer.handle({type: 'step-end', id: 'docker', result: 'skipped', detail: 'install docker.io', durationMs: 300});
		await renderer.close();
		expect(lines().at(-1)).toBe('● docker would change (300ms) install docker.io');
	});

	it('cannot ask questions, naming the key to set instead', async () => {
		const {renderer} = mount();
		await expect(renderer.ask(question())).rejects.toThrow('set `auth.password` in lab.yaml');
	});

	it('formats the time as HH:MM:SS', () => {
		expect(timestamp(new Date(2026, 0, 2, 3, 4, 5))).toBe('03:04:05');
	});

	it('is what createRenderer makes for plain', async () => {
		const stdout = new FakeStdout();
		const renderer = await createRenderer('plain', {stdout: stdout.asStream(), onInterrupt() {}});
		renderer.handle({type: 'step-start', id: 'dns'});
		await renderer.close();
		expect(stdout.text()).toMatch(/^\d\d:\d\d:\d\d ▸ dns {2}dns\n$/);
	});
});
