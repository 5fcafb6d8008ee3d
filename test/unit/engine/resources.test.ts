import {describe, expect, it} from 'vitest';
import {RunResources} from '../../../source/engine/resources.js';

describe('RunResources', () => {
	it('makes a resource once and disposes it at the end', async () => {
		const resources = new RunResources();
		const disposed: string[] = [];
		let makes = 0;
		const make = async () => `value ${++makes}`;
		const [first, second] = await Promise.all([
			resources.get('ssh', make, value => void disposed.push(value)),
			resources.get('ssh', make, value => void disposed.push(value)),
		]);
		expect([first, second, makes]).toEqual(['value 1', 'value 1', 1]);
		expect(await resources.disposeAll()).toEqual([]);
		expect(disposed).toEqual(['value 1']);
	});

	it('aborts a make still under way when the run ends, and forgets its failure (issue 11: an early connection)', async () => {
		const resources = new RunResources();
		let signal: AbortSignal | undefined;
		const made = resources.get('ssh', async aborted => {
			signal = aborted;
			return new Promise<string>((_resolve, reject) => {
				aborted.addEventListener('abort', () => reject(new Error('cut')));
			});
		});
		expect(signal?.aborted).toBe(false);
		await resources.disposeAll();
		expect(signal?.aborted).toBe(true);
		await expect(made).rejects.toThrow('cut');
		// The next run (after a new port, say) starts clean: the cut make is no failure of that run.
		expect(resources.anyFailed).toBe(false);
	});

	it('disposes at once a value made after the run ended, instead of keeping it open', async () => {
		const resources = new RunResources();
		let finish: (value: string) => void = () => {};
		const disposed: string[] = [];
		const made = resources.get(
			'ssh',
			async () => new Promise<string>(resolve => (finish = resolve)), // ignores its signal
			value => void disposed.push(value),
		);
		await resources.disposeAll();
		finish('late session');
		await made;
		await new Promise(resolve => setTimeout(resolve, 0));
		expect(disposed).toEqual(['late session']);
	});
});
