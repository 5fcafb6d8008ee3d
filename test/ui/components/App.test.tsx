import {cleanup, render} from 'ink-testing-library';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {App} from '../../../source/ui/components/App.js';
import {KeyRouter} from '../../../source/ui/store/key-router.js';
import {RunStore} from '../../../source/ui/store/run-store.js';
import {failingRun, runStart} from '../support/events.js';
import {keys, stripAnsi, tick, waitFor} from '../support/frames.js';

afterEach(() => {
	cleanup();
});

function mount(store = new RunStore()) {
	const onInterrupt = vi.fn();
	const app = render(<App store={store} keys={new KeyRouter()} onInterrupt={onInterrupt} />);
	const frame = () => stripAnsi(app.lastFrame() ?? '');
	return {store, onInterrupt, frame, ...app};
}

describe('App', () => {
	it('shows finished steps, the running step with its progress and the tail of its output, and pending steps', async () => {
		const {store, frame} = mount();
		store.handle(runStart);
		store.handle({type: 'step-start', id: 'connect'});
		store.handle({type: 'step-end', id: 'connect', result: 'ok', detail: 'Debian 13', durationMs: 1200});
		store.handle({type: 'step-start', id: 'docker'});
		store.handle({type: 'step-phase', id: 'docker', phase: 'applying'});
		for (let index = 1; index <= 30; index++) {
			store.handle({type: 'line', id: 'docker', text: `Unpacking package ${index}`, stream: 'stdout'});
		}
		store.handle({type: 'progress', id: 'docker', fraction: 0.4, label: '40 of 100 packages'});
		const shown = await waitFor(frame, text => text.includes('40 of 100'));
		const lines = shown.split('\n');
		expect(lines[0]).toMatch(/^✔ Connect\s+already done 1\.2s Debian 13$/);
		expect(lines[1]).toMatch(/^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Install Docker\s+applying 0s$/);
		expect(lines[2]).toMatch(/^ {2}█{12}░{18} {2}40% 40 of 100 packages$/);
		expect(lines[3]).toBe('  … 22 earlier lines (all in the log)');
		expect(lines.slice(4, 12)).toEqual(Array.from({length: 8}, (_, index) => `  │ Unpacking package ${index + 23}`));
		expect(lines[12]).toMatch(/^○ Start JupyterHub \(stack\)\s+pending$/);
	});

	it('ends a failing run with the failure panel and the retry command, finished steps printed once', async () => {
		const {store, frame} = mount();
		for (const event of failingRun()) {
			store.handle(event);
		}
		const shown = await waitFor(frame, text => text.includes('Stopped'));
		expect(shown).toMatch(/✔ Install Docker +changed 12\.3s Docker 26\.1 running/);
		expect(shown).toContain('✖ Start JupyterHub (stack) failed 1m 01s the hub did not answer /hub/health');
		expect(shown).toContain('│ [E] database is locked');
		expect(shown).toContain('Fix: Run `docker compose logs hub` on the server.');
		expect(shown).toContain('Retry: labbox run stack');
		expect(shown.match(/Install Docker/g)).toHaveLength(1);
	});

	it('shows only the selected steps (issue 10 item 21), and marks steps the engine never ended when the run ends', async () => {
		const {store, frame} = mount();
		store.handle({...runStart, selected: ['docker', 'stack']} as typeof runStart);
		store.handle({type: 'step-start', id: 'docker'});
		store.handle({type: 'run-end', outcome: 'interrupted', outcomes: [], retry: 'labbox --resume'});
		const shown = await waitFor(frame, text => text.includes('Resume with'));
		expect(shown).not.toMatch(/Connect/);
		expect(shown).toMatch(/⚠ Install Docker\s+interrupted/);
		expect(shown).toMatch(/– Start JupyterHub \(stack\)\s+skipped/);
		expect(shown).toContain('Resume with: labbox --resume');
	});

	it('hands Ctrl-C to onInterrupt', async () => {
		const {stdin, onInterrupt} = mount();
		await tick();
		stdin.write(keys.ctrlC);
		await waitFor(
			() => String(onInterrupt.mock.calls.length),
			count => count === '1',
		);
		expect(onInterrupt).toHaveBeenCalledTimes(1);
	});

	it('renders 20,000 lines in a few frames, not 20,000, and shows the last one', async () => {
		const {store, frame, frames} = mount();
		store.handle(runStart);
		store.handle({type: 'step-start', id: 'docker'});
		store.handle({type: 'step-phase', id: 'docker', phase: 'applying'});
		await waitFor(frame, text => text.includes('applying'));
		const before = frames.length;
		// 40 bursts of 500 lines, a macrotask apart: how a fast remote command arrives.
		for (let burst = 0; burst < 40; burst++) {
			for (let index = 0; index < 500; index++) {
				store.handle({type: 'line', id: 'docker', text: `line ${burst * 500 + index}`, stream: 'stdout'});
			}
			await tick(2);
		}
		const shown = await waitFor(frame, text => text.includes('│ line 19999'));
		expect(frames.length - before).toBeGreaterThan(0);
		expect(frames.length - before).toBeLessThan(100);
		expect(shown).toContain('19992 earlier lines');
	});
});
