import {inkTerminals} from '../support/ink-terminal.js';
import {describe, expect, it} from 'vitest';
import {failingRun, question, runStart} from '../support/events.js';
import {tick} from '../support/frames.js';
import {asEngine} from '../support/engine-redaction.js';

const mount = inkTerminals();

describe('the Ink renderer draws', () => {
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
			renderer.handle(
				asEngine.emitted(event.type === 'step-end' && event.id === 'stack' ? {...event, hint: 'password hunter22 rejected'} : event),
			);
		}
		await renderer.close();
		const text = stdout.text();
		expect(text).toContain('Retry: labbox run stack');
		expect(text).toContain('Fix: password *** rejected');
		expect(text).not.toContain('hunter22');
	});

	it('shows a longer tail when verbose, and a shorter one in a short terminal', async () => {
		// 12 rows: three step rows, "… earlier lines", six lines, and Ink's last newline (source/ui/live-layout.ts).
		for (const [options, shown] of [
			[{verbose: true}, 20],
			[{rows: 12}, 6],
		] as const) {
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
