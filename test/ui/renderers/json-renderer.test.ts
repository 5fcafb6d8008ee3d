import {describe, expect, it} from 'vitest';
import {createRenderer} from '../../../source/ui/renderer.js';
import {failingRun, question} from '../support/events.js';
import {FakeStdout} from '../support/frames.js';
import {engineRedaction} from '../support/engine-redaction.js';

describe('the JSON renderer', () => {
	it('writes one JSON object per event, per line, in order, as the engine emitted it (redacted); the plan as type plan', async () => {
		const stdout = new FakeStdout();
		const renderer = await createRenderer('json', {stdout: stdout.asStream(), onInterrupt() {}});
		const events = failingRun().map(engineRedaction('docker.io').emitted);
		const plan = [{id: 'dns', title: 'DNS', check: {status: 'done' as const}, inputsChanged: false}];
		await expect(renderer.confirmPlan(plan)).resolves.toBe(true);
		for (const event of events) {
			renderer.handle(event);
		}
		await renderer.close();
		const lines = stdout.text().trimEnd().split('\n');
		expect(lines).toHaveLength(events.length + 1);
		expect(JSON.parse(lines[0]!)).toEqual({type: 'plan', items: plan});
		const parsed = lines.slice(1).map(line => JSON.parse(line) as unknown);
		expect(parsed.map(event => (event as {type: string}).type)).toEqual(events.map(event => event.type));
		expect(parsed[6]).toEqual({type: 'step-check', id: 'docker', check: {status: 'todo', changes: ['install ***']}, inputsChanged: true});
		expect(parsed[8]).toEqual({type: 'line', id: 'docker', text: 'Setting up ***', stream: 'stdout'});
		expect(parsed.at(-1)).toEqual(events.at(-1));
	});

	it('cannot ask questions', async () => {
		const renderer = await createRenderer('json', {stdout: new FakeStdout().asStream(), onInterrupt() {}});
		await expect(renderer.ask(question())).rejects.toThrow('auth.password');
	});
});
