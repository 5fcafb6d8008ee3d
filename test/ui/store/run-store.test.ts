import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {RunStore} from '../../../source/ui/store/run-store.js';
import {failingRun, runStart} from '../support/events.js';

beforeEach(() => {
	vi.useFakeTimers();
});

afterEach(() => {
	vi.useRealTimers();
});

function lines(store: RunStore, id: string, count: number): void {
	for (let index = 0; index < count; index++) {
		store.handle({type: 'line', id, text: `line ${index}`, stream: 'stdout'});
	}
}

describe('RunStore', () => {
	it('publishes at most once per interval, never synchronously', () => {
		const store = new RunStore({intervalMs: 80, now: () => Date.now()});
		const listener = vi.fn();
		store.subscribe(listener);
		store.handle(runStart);
		lines(store, 'docker', 1000);
		expect(listener).not.toHaveBeenCalled();
		vi.advanceTimersByTime(0);
		expect(listener).toHaveBeenCalledTimes(1);
		lines(store, 'docker', 1000);
		vi.advanceTimersByTime(79);
		expect(listener).toHaveBeenCalledTimes(1);
		vi.advanceTimersByTime(1);
		expect(listener).toHaveBeenCalledTimes(2);
		expect(store.getSnapshot().lineCount).toBe(2000);
	});

	it('keeps a bounded tail of the running step and starts a new one per step', () => {
		const store = new RunStore({tailLines: 8});
		store.handle(runStart);
		store.handle({type: 'step-start', id: 'docker'});
		lines(store, 'docker', 10_000);
		store.flush();
		const {tail, lineCount, activeId} = store.getSnapshot();
		expect(tail).toEqual(Array.from({length: 8}, (_, index) => `line ${9992 + index}`));
		expect(lineCount).toBe(10_000);
		expect(activeId).toBe('docker');
		store.handle({type: 'step-start', id: 'stack'});
		store.flush();
		expect(store.getSnapshot().tail).toEqual([]);
	});

	it('gives a failed step without output the tail it printed', () => {
		const store = new RunStore();
		store.handle(runStart);
		store.handle({type: 'step-start', id: 'stack'});
		lines(store, 'stack', 30);
		store.handle({type: 'step-end', id: 'stack', result: 'failed', detail: 'boom', durationMs: 5});
		store.flush();
		const stack = store.getSnapshot().steps.find(step => step.id === 'stack');
		expect(stack?.output).toHaveLength(15);
		expect(stack?.output?.at(-1)).toBe('line 29');
	});

	it('moves finished steps to the static items in order, once each, then the end of the run', () => {
		const store = new RunStore();
		const seen: number[] = [];
		for (const event of failingRun()) {
			store.handle(event);
			store.flush();
			seen.push(store.getSnapshot().staticSteps);
		}
		const {staticItems, steps} = store.getSnapshot();
		expect(staticItems.map(item => (item.kind === 'step' ? item.step.id : item.kind))).toEqual(['connect', 'docker', 'stack', 'end']);
		expect(steps.map(step => step.phase)).toEqual(['ok', 'changed', 'failed']);
		expect(seen).toEqual([...seen].sort((a, b) => a - b));
	});

	it('shows a blocked check as the detail and its fix as the hint', () => {
		const store = new RunStore();
		store.handle(runStart);
		store.handle({
			type: 'step-check',
			id: 'stack',
			check: {status: 'blocked', reason: 'no DNS', fix: 'add an A record'},
			inputsChanged: false,
		});
		store.flush();
		expect(store.getSnapshot().steps[2]).toMatchObject({detail: 'no DNS', hint: 'add an A record'});
	});
});
