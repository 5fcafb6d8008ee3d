import {afterAll, afterEach, describe, expect, it, vi} from 'vitest';

// Ink draws only the last frame when it thinks it runs under CI (is-in-ci, read once at import): these tests
// look at live frames, and the CLI never picks Ink under CI anyway.
const savedEnv = vi.hoisted(() => {
	const saved = {CI: process.env['CI'], CONTINUOUS_INTEGRATION: process.env['CONTINUOUS_INTEGRATION']};
	process.env['CI'] = 'false';
	process.env['CONTINUOUS_INTEGRATION'] = 'false';
	return saved;
});

import {createRenderer, type PlanItem, type Renderer} from '../../../source/ui/renderer.js';
import {failingRun, question, runStart} from '../support/events.js';
import {FakeStdin, FakeStdout, keys, tick, waitFor} from '../support/frames.js';

afterAll(() => {
	for (const [key, value] of Object.entries(savedEnv)) {
		if (value === undefined) {
			delete process.env[key];
		} else {
			process.env[key] = value;
		}
	}
});

const open: Renderer[] = [];

afterEach(async () => {
	await Promise.all(open.splice(0).map(async renderer => renderer.close()));
});

function mount(o: {stdinIsTTY?: boolean | 'pipe'; verbose?: boolean; rows?: number} = {}) {
	const stdout = new FakeStdout();
	stdout.rows = o.rows ?? stdout.rows;
	const stdin = new FakeStdin(o.stdinIsTTY);
	const onInterrupt = vi.fn();
	const renderer = createRenderer('ink', {
		stdout: stdout.asStream(),
		stdin: stdin.asStream(),
		onInterrupt,
		verbose: o.verbose,
		redact: text => text.replaceAll('hunter22', '***'),
	});
	open.push(renderer);
	return {stdout, stdin, onInterrupt, renderer};
}

const plan: PlanItem[] = [
	{id: 'connect', title: 'Connect', check: {status: 'done'}, inputsChanged: false},
	{id: 'docker', title: 'Install Docker', check: {status: 'todo', changes: ['install docker.io with password hunter22']}, inputsChanged: false},
];

describe('the Ink renderer', () => {
	it('shows the plan and starts on Enter', async () => {
		const {stdout, stdin, renderer} = mount();
		const started = renderer.confirmPlan(plan);
		await waitFor(() => stdout.text(), text => text.includes('Enter to start'));
		expect(stdout.text()).toContain('+ install docker.io with password ***');
		stdin.write(keys.enter);
		await expect(started).resolves.toBe(true);
		await waitFor(() => stdout.text(), text => text.includes('Plan accepted: 1 of 2 steps to change.'));
	});

	it('cancels the plan on q', async () => {
		const {stdout, stdin, renderer} = mount();
		const started = renderer.confirmPlan(plan);
		await waitFor(() => stdout.text(), text => text.includes('Enter to start'));
		stdin.write('q');
		await expect(started).resolves.toBe(false);
	});

	it('asks a question, keeps the answer on screen, and hides a secret', async () => {
		const {stdout, stdin, renderer} = mount();
		const answer = renderer.ask(question({kind: 'secret'}));
		await waitFor(() => stdout.text(), text => text.includes('? Admin password'));
		for (const key of ['hunter22', '!', keys.enter]) {
			stdin.write(key);
			await tick(5);
		}
		await expect(answer).resolves.toBe('hunter22!');
		await waitFor(() => stdout.text(), text => text.includes('✔ Admin password (hidden)'));
		expect(stdout.text()).not.toContain('hunter22');
	});

	it('gives answers typed ahead to the next question, but never starts the plan with them', async () => {
		const {stdout, stdin, renderer} = mount();
		const first = renderer.ask(question({key: 'server.host', message: 'Server address'}));
		await waitFor(() => stdout.text(), text => text.includes('? Server address'));
		stdin.write('lab.example.org\r');
		stdin.write('grace-hopper');
		stdin.write(keys.enter);
		stdin.write(keys.enter);
		await expect(first).resolves.toBe('lab.example.org');
		await expect(renderer.ask(question({message: 'Admin name'}))).resolves.toBe('grace-hopper');
		const started = renderer.confirmPlan(plan);
		await waitFor(() => stdout.text(), text => text.includes('Enter to start'));
		await tick(50);
		expect(stdout.text()).not.toContain('Plan accepted');
		stdin.write(keys.enter);
		await expect(started).resolves.toBe(true);
	});

	it('hands Ctrl-C to onInterrupt and cancels an open question', async () => {
		const {stdout, stdin, renderer, onInterrupt} = mount();
		const answer = renderer.ask(question());
		await waitFor(() => stdout.text(), text => text.includes('? Admin password'));
		stdin.write(keys.ctrlC);
		await expect(answer).rejects.toThrow('Cancelled: interrupted.');
		expect(onInterrupt).toHaveBeenCalledTimes(1);
	});

	it('cannot ask without a terminal on stdin, but still shows the plan and goes on', async () => {
		const {stdout, renderer} = mount({stdinIsTTY: false});
		await expect(renderer.ask(question())).rejects.toThrow('set `auth.password` in lab.yaml');
		await expect(renderer.confirmPlan(plan)).resolves.toBe(true);
		await renderer.close();
		expect(stdout.text()).toContain('Install Docker: install docker.io with password ***');
	});

	it('runs and closes with a piped stdin (isTTY undefined), where keys cannot be read', async () => {
		const {stdout, renderer} = mount({stdinIsTTY: 'pipe'});
		for (const event of failingRun()) {
			renderer.handle(event);
		}
		await renderer.close();
		expect(stdout.text()).toContain('Retry: labbox run stack');
		expect(stdout.text()).not.toContain('Raw mode is not supported');
	});

	it('draws the final frame before close resolves, redacted', async () => {
		const {stdout, renderer} = mount();
		for (const event of failingRun()) {
			renderer.handle(event.type === 'step-end' && event.id === 'stack' ? {...event, hint: 'password hunter22 rejected'} : event);
		}
		await renderer.close();
		const text = stdout.text();
		expect(text).toContain('Retry: labbox run stack');
		expect(text).toContain('Fix: password *** rejected');
		expect(text).not.toContain('hunter22');
	});

	it('shows a longer tail when verbose, and a shorter one in a short terminal', async () => {
		for (const [options, shown] of [[{verbose: true}, 20], [{rows: 12}, 5]] as const) {
			const {stdout, renderer} = mount(options);
			renderer.handle(runStart);
			renderer.handle({type: 'step-start', id: 'docker'});
			for (let index = 0; index < 100; index++) {
				renderer.handle({type: 'line', id: 'docker', text: `line ${index}`, stream: 'stdout'});
			}
			await renderer.close();
			const frame = stdout.writes.filter(write => write.includes('│ line')).at(-1) ?? '';
			expect(frame.match(/│ line \d+/g)).toEqual(Array.from({length: shown}, (_, index) => `│ line ${100 - shown + index}`));
		}
	});

	it('ignores events and refuses questions after close', async () => {
		const {stdout, renderer} = mount();
		await renderer.close();
		const written = stdout.writes.length;
		renderer.handle(runStart);
		await tick(100);
		expect(stdout.writes).toHaveLength(written);
		await expect(renderer.ask(question())).rejects.toThrow('the screen is closed');
	});

	it('draws 20,000 lines in a bounded number of frames and shows the last line', async () => {
		const {stdout, renderer} = mount();
		renderer.handle(runStart);
		renderer.handle({type: 'step-start', id: 'docker'});
		renderer.handle({type: 'step-phase', id: 'docker', phase: 'applying'});
		for (let burst = 0; burst < 40; burst++) {
			for (let index = 0; index < 500; index++) {
				renderer.handle({type: 'line', id: 'docker', text: `line ${burst * 500 + index}`, stream: 'stdout'});
			}
			await tick(2);
		}
		await renderer.close();
		const frames = stdout.writes.filter(write => write.includes('│ line'));
		expect(frames.length).toBeGreaterThan(0);
		expect(frames.length).toBeLessThan(100);
		expect(frames.at(-1)).toContain('│ line 19999');
	});
});
