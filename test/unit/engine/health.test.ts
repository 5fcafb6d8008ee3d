import {resolvedConfig} from '../../../source/config/resolve.js';
import {describe, expect, it} from 'vitest';
import {checkHealth} from '../../../source/engine/health.js';
import {Redactor} from '../../../source/engine/redact.js';
import type {LabState} from '../../../source/engine/state.js';
import type {Health, Step, StepResult} from '../../../source/engine/types.js';

function step(id: string, health?: Step['health']): Step {
	return {id, title: id, summary: id, check: async () => ({status: 'done'}), apply: async () => {}, health};
}

function state(results: Record<string, StepResult>): LabState {
	return {
		version: 1,
		steps: Object.fromEntries(
			Object.entries(results).map(([id, result]) => [id, {result, at: '2026-11-26T00:00:00Z', durationMs: 1, detail: ''}]),
		),
	} as unknown as LabState;
}

const options = {config: resolvedConfig({}), labDir: '/nowhere', prompt: async () => 'no'};

describe('live health', () => {
	it('asks the steps recorded as done, in order, and reports a throw or a hang as unhealthy with its reason', async () => {
		const asked: string[] = [];
		const healthy = (text: string) => async (): Promise<Health> => {
			asked.push(text);
			return {ok: true, text};
		};
		const steps = [
			step('plain'),
			step('cert', healthy('expires in 80 days')),
			step('never', healthy('never asked')),
			step('failed', healthy('not asked either')),
			step('broken', async () => {
				throw new Error('connection refused');
			}),
			step('hangs', async ctx => new Promise(() => ctx.signal.throwIfAborted())),
			step('stack', healthy('answers')),
		];
		const redactor = new Redactor();
		const reports = await checkHealth({
			...options,
			steps,
			redactor,
			timeoutMs: 300,
			state: state({plain: 'ok', cert: 'changed', failed: 'failed', broken: 'ok', hangs: 'ok', stack: 'ok'}),
		});
		expect(asked).toEqual(['expires in 80 days', 'answers']);
		expect(reports).toEqual([
			{id: 'cert', ok: true, text: 'expires in 80 days'},
			{id: 'broken', ok: false, text: 'could not be checked: connection refused'},
			{id: 'hangs', ok: false, text: 'could not be checked: no answer within 0.3 s'},
			{id: 'stack', ok: true, text: 'answers'},
		]);
	});

	it('passes a warning on as well but not healthy, and only for a check that is well', async () => {
		const steps = [
			step('backup', async () => ({ok: true, warning: true, text: 'warning: no backups'})),
			step('odd', async () => ({ok: false, warning: true, text: 'down'})),
		];
		const reports = await checkHealth({...options, steps, redactor: new Redactor(), state: state({backup: 'ok', odd: 'ok'})});
		expect(reports).toEqual([
			{id: 'backup', ok: true, warning: true, text: 'warning: no backups'},
			expect.objectContaining({id: 'odd', ok: false}),
		]);
		expect(reports[1]).not.toHaveProperty('warning');
	});

	it('redacts secrets from what a check says, and disposes what the checks opened', async () => {
		const redactor = new Redactor();
		redactor.add('s3cret-token-value');
		let disposed = 0;
		const steps = [
			step('a', async ctx => {
				await ctx.resources.get(
					'ssh',
					async () => 'session',
					() => {
						disposed++;
					},
				);
				return {ok: false, text: 'login with s3cret-token-value refused'};
			}),
		];
		const reports = await checkHealth({...options, steps, redactor, state: state({a: 'ok'})});
		expect(reports[0]!.text).toBe('login with *** refused');
		expect(disposed).toBe(1);
	});

	it('asks an unwell step why, read-only as the plan does, and says the fix its check gives (issue 10 item 20)', async () => {
		const planning: boolean[] = [];
		const unwell = (check: Step['check']): Step => ({...step('x'), check, health: async () => ({ok: false, text: 'answered 502'})});
		const todo = unwell(async ctx => {
			planning.push(ctx.planning);
			return {status: 'todo', changes: ['hub is exited', 'docker compose up']};
		});
		const blocked = {...unwell(async () => ({status: 'blocked', reason: 'Port 80 is used by python3', fix: 'Stop it.'})), id: 'y'};
		const fine = {...unwell(async () => ({status: 'done'})), id: 'z'};
		const reports = await checkHealth({
			...options,
			steps: [todo, blocked, fine],
			redactor: new Redactor(),
			state: state({x: 'ok', y: 'ok', z: 'changed'}),
		});
		expect(planning).toEqual([true]);
		expect(reports).toEqual([
			{id: 'x', ok: false, text: 'answered 502', cause: 'hub is exited; docker compose up'},
			{id: 'y', ok: false, text: 'answered 502', cause: 'Port 80 is used by python3', fix: 'Stop it.'},
			{id: 'z', ok: false, text: 'answered 502'},
		]);
	});
});
