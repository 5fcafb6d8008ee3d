import {readFileSync, rmSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {loadState, type LabState} from '../../../source/engine/state.js';
import {results, runInFolder, tempDir} from '../../helpers/lab-folder.js';
import {StepError, type Step} from '../../../source/engine/types.js';
import {applyCount, testStep} from '../../helpers/test-steps.js';

function world() {
	const lab = tempDir();
	const server = tempDir('labbox-server-');
	const steps = ['a', 'b', 'c'].map(id => testStep(id, server, {inputs: ['domain']}));
	return {lab, server, steps};
}

describe('runner', () => {
	it('runs every step once, then finds them all done', async () => {
		const {lab, server, steps} = world();
		const first = await runInFolder(lab, steps, 'setup');
		expect(results(first.events)).toEqual({a: 'changed', b: 'changed', c: 'changed'});
		expect(first.summary.outcome).toBe('done');
		const state = await loadState(path.join(lab, '.labbox/state.json'));
		expect(Object.keys(state.steps)).toEqual(['a', 'b', 'c']);
		expect(state.steps.a?.fingerprint).toMatch(/^[0-9a-f]{16}$/);
		expect(state.lastRun?.outcome).toBe('done');

		const second = await runInFolder(lab, steps, 'setup');
		expect(results(second.events)).toEqual({a: 'ok', b: 'ok', c: 'ok'});
		expect(['a', 'b', 'c'].map(id => applyCount(server, id))).toEqual([1, 1, 1]);
	});

	it('`run` re-checks exactly the named steps whatever the record says, and says so when nothing is to change', async () => {
		const {lab, server, steps} = world();
		await runInFolder(lab, steps, 'setup');
		const {events} = await runInFolder(lab, steps, 'run', {only: ['b']});
		expect(results(events)).toEqual({b: 'ok'});
		expect(events.find(event => event.type === 'step-end' && event.id === 'b')).toMatchObject({
			detail: expect.stringMatching(/^re-checked, nothing to change/),
		});
		expect(['a', 'b', 'c'].map(id => applyCount(server, id))).toEqual([1, 1, 1]);
		// Recorded as done but no longer so on the server: `run` finds it and applies it again.
		rmSync(path.join(server, 'b'), {force: true});
		expect(results((await runInFolder(lab, steps, 'run', {only: ['b', 'c']})).events)).toEqual({b: 'changed', c: 'ok'});
		expect(['a', 'b', 'c'].map(id => applyCount(server, id))).toEqual([1, 2, 1]);
	});

	it('stops at a failed step, skips the rest, and resumes at it', async () => {
		const lab = tempDir();
		const server = tempDir('labbox-server-');
		const failing = [testStep('a', server), testStep('b', server, {failWith: 'b broke', lines: 30}), testStep('c', server)];
		const first = await runInFolder(lab, failing, 'setup');
		expect(results(first.events)).toEqual({a: 'changed', b: 'failed', c: 'skipped'});
		const end = first.events.find(event => event.type === 'run-end');
		expect(end).toMatchObject({outcome: 'failed', retry: 'labbox --resume'});
		const failed = first.events.find(event => event.type === 'step-end' && event.id === 'b');
		expect(failed).toMatchObject({detail: 'b broke', hint: 'fix b'});
		expect(failed?.type === 'step-end' && failed.output?.at(-1)).toBe('b line 30');
		const state = await loadState(path.join(lab, '.labbox/state.json'));
		expect(state.steps.b?.result).toBe('failed');
		expect(state.steps.c).toBeUndefined();

		const fixed = [testStep('a', server), testStep('b', server), testStep('c', server)];
		const resumed = await runInFolder(lab, fixed, 'resume');
		expect(results(resumed.events)).toEqual({a: 'ok', b: 'changed', c: 'changed'});
		expect(applyCount(server, 'a')).toBe(1);
	});

	it('re-applies a step whose inputs changed, and the steps depending on it', async () => {
		const lab = tempDir();
		const server = tempDir('labbox-server-');
		const steps = [
			testStep('cert', server, {inputs: ['domain']}),
			testStep('stack', server, {dependsOn: ['cert']}),
			testStep('other', server),
		];
		await runInFolder(lab, steps, 'setup');
		const {events} = await runInFolder(lab, steps, 'setup', {config: {domain: 'new.example.org'}});
		expect(results(events)).toEqual({cert: 'changed', stack: 'changed', other: 'ok'});
		expect(events.find(event => event.type === 'step-check' && event.id === 'cert')).toMatchObject({inputsChanged: true});
		expect(readFileSync(path.join(server, 'cert'), 'utf8')).toBe('["new.example.org"]');
	});

	it('a step applied only because a dependency changed, whose apply finds nothing to change, is ok, not changed (issue 10 item 10)', async () => {
		const lab = tempDir();
		const server = tempDir('labbox-server-');
		const steps = [
			testStep('cert', server, {inputs: ['domain']}),
			// Its check cannot see the domain it was applied with (as a rendered template): the runner applies it anyway.
			testStep('stack', server, {dependsOn: ['cert'], inputs: ['domain'], reportsUnchanged: true}),
			// Its own inputs did not change and its apply writes the same: ok; and so it forces nothing on its dependents.
			testStep('backup', server, {dependsOn: ['stack'], reportsUnchanged: true}),
			testStep('after', server, {dependsOn: ['backup']}),
		];
		await runInFolder(lab, steps, 'setup');
		const {events} = await runInFolder(lab, steps, 'setup', {config: {domain: 'new.example.org'}});
		// stack's inputs changed: applied, and it really changed; backup only re-checked; `after` not forced.
		expect(results(events)).toEqual({cert: 'changed', stack: 'changed', backup: 'ok', after: 'ok'});
		expect(events.find(event => event.type === 'step-end' && event.id === 'backup')).toMatchObject({
			detail: 're-checked, nothing to change: backup is as wanted',
		});
		expect(['cert', 'stack', 'backup', 'after'].map(id => applyCount(server, id))).toEqual([2, 2, 2, 1]);
		const state = await loadState(path.join(lab, '.labbox/state.json'));
		expect(state.steps.backup).toMatchObject({result: 'ok', fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/)});
		// A step that did change under forced apply is still `changed`: never hidden.
		rmSync(path.join(server, 'backup'));
		const again = await runInFolder(lab, steps, 'setup', {config: {domain: 'other.example.org'}});
		expect(results(again.events)).toEqual({cert: 'changed', stack: 'changed', backup: 'changed', after: 'changed'});
	});

	it('a blocked check fails the step with its reason and fix, and changes nothing', async () => {
		const lab = tempDir();
		const server = tempDir('labbox-server-');
		const {events} = await runInFolder(lab, [testStep('a', server, {blockedBy: 'port 80 is held by apache2'})], 'setup');
		expect(events.find(event => event.type === 'step-end')).toMatchObject({
			result: 'failed',
			detail: 'port 80 is held by apache2',
			hint: 'unblock a',
		});
		expect(applyCount(server, 'a')).toBe(0);
	});

	it('plan checks every step and applies none', async () => {
		const {lab, server, steps} = world();
		const {events} = await runInFolder(lab, steps, 'plan');
		expect(events.filter(event => event.type === 'step-check').map(event => event.type === 'step-check' && event.check.status)).toEqual([
			'todo',
			'todo',
			'todo',
		]);
		expect(['a', 'b', 'c'].map(id => applyCount(server, id))).toEqual([0, 0, 0]);
	});

	it('Ctrl-C aborts the running step: recorded as interrupted, the rest not run', async () => {
		const lab = tempDir();
		const server = tempDir('labbox-server-');
		const controller = new AbortController();
		const steps = [testStep('a', server), testStep('slow', server, {applyMs: 30_000}), testStep('c', server)];
		const started = Date.now();
		const run = runInFolder(lab, steps, 'setup', {
			signal: controller.signal,
			listeners: [event => event.type === 'progress' && controller.abort()],
		});
		const {summary} = await run;
		expect(Date.now() - started).toBeLessThan(5000);
		expect(summary.outcome).toBe('interrupted');
		expect(summary.outcomes.map(outcome => outcome.result)).toEqual(['changed', 'interrupted', 'skipped']);
		const state = await loadState(path.join(lab, '.labbox/state.json'));
		expect(state.steps.slow?.result).toBe('interrupted');
		expect(state.lastRun?.outcome).toBe('interrupted');
	});

	it('a no-op run leaves the state file alone between its start and its end, then records every step (issue 11, speed)', async () => {
		const {lab, steps} = world();
		const stateFile = path.join(lab, '.labbox/state.json');
		await runInFolder(lab, steps, 'setup');
		const before = await loadState(stateFile);
		// What is on disk whenever a step starts or ends: the run-start write only, once per step before this change.
		const seen = new Set<string>();
		const {summary} = await runInFolder(lab, steps, 'setup', {
			listeners: [event => (event.type === 'step-start' || event.type === 'step-end') && seen.add(readFileSync(stateFile, 'utf8'))],
		});
		expect(summary.outcomes.map(outcome => outcome.result)).toEqual(['ok', 'ok', 'ok']);
		expect(seen.size).toBe(1);
		expect((JSON.parse([...seen][0]!) as LabState).lastRun?.current).toBeUndefined();
		const after = await loadState(stateFile);
		expect(after.lastRun?.outcome).toBe('done');
		expect(after.lastRun!.startedAt > before.lastRun!.startedAt).toBe(true);
		for (const id of ['a', 'b', 'c']) {
			expect(after.steps[id]).toMatchObject({result: 'ok', fingerprint: before.steps[id]!.fingerprint});
			expect(after.steps[id]!.at >= after.lastRun!.startedAt).toBe(true);
		}
	});

	it('before a step changes the server, the records of the steps checked before it and `current` are on disk', async () => {
		const {lab, server, steps} = world();
		const stateFile = path.join(lab, '.labbox/state.json');
		await runInFolder(lab, steps, 'setup');
		rmSync(path.join(server, 'b')); // b has work to do again; a is found done
		let onDisk: LabState | undefined;
		const b = steps[1]!;
		const watched: Step = {
			...b,
			async apply(ctx, io) {
				onDisk = await loadState(stateFile);
				return b.apply!(ctx, io);
			},
		};
		const {summary} = await runInFolder(lab, [steps[0]!, watched, steps[2]!], 'setup');
		expect(summary.outcomes.map(outcome => outcome.result)).toEqual(['ok', 'changed', 'ok']);
		expect(onDisk?.lastRun?.current).toBe('b');
		expect(onDisk?.steps.a?.result).toBe('ok');
		expect(onDisk!.steps.a!.at >= onDisk!.lastRun!.startedAt).toBe(true);
		const after = await loadState(stateFile);
		expect(after.lastRun?.current).toBeUndefined();
		expect(after.steps.b?.result).toBe('changed');
	});
});

describe('a plan whose shared connection cannot be made (issue 10 items 2, 3)', () => {
	/** Steps whose checks each need the run's `ssh` resource first, as the lab's steps need labShell. */
	function remoteSteps(server: string, make: () => Promise<unknown>): Step[] {
		return ['a', 'b', 'c'].map(id => ({
			...testStep(id, server),
			async check(ctx) {
				await ctx.resources.get('ssh', make);
				return {status: 'todo', changes: [`create ${id}`]};
			},
		}));
	}

	it('tries once; the other checks wait on that failure instead of repeating it, and the plan stops there', async () => {
		const lab = tempDir();
		let attempts = 0;
		const steps = remoteSteps(tempDir('labbox-server-'), async () => {
			attempts++;
			throw new StepError('No answer from 203.0.113.7:22 in time.', 'Check the firewall.');
		});
		const {events, summary} = await runInFolder(lab, steps, 'plan');
		expect(attempts).toBe(1);
		expect(summary.outcomes.map(outcome => [outcome.id, outcome.result, outcome.detail])).toEqual([
			['a', 'failed', 'No answer from 203.0.113.7:22 in time.'],
			['b', 'skipped', 'not checked: a failed'],
			['c', 'skipped', 'not checked: a failed'],
		]);
		expect(summary.stoppedBy).toMatchObject({id: 'a', hint: 'Check the firewall.'});
		expect(events.filter(event => event.type === 'step-end' && event.detail.includes('No answer'))).toHaveLength(1);
	});

	it('a declined question (usage) ends the plan too, and says so in the outcome', async () => {
		const lab = tempDir();
		const steps = remoteSteps(tempDir('labbox-server-'), async () => {
			throw new StepError('The host key was not accepted.', 'Pin it.', undefined, {usage: true});
		});
		const {summary} = await runInFolder(lab, steps, 'plan');
		expect(summary.stoppedBy).toMatchObject({id: 'a', usage: true});
		expect(summary.outcomes.map(outcome => outcome.result)).toEqual(['failed', 'skipped', 'skipped']);
	});

	it('a check that fails on its own does not stop the plan', async () => {
		const lab = tempDir();
		const server = tempDir('labbox-server-');
		const steps = [testStep('a', server, {blockedBy: 'port 80 is held'}), testStep('b', server)];
		const {summary} = await runInFolder(lab, steps, 'plan');
		expect(summary.stoppedBy).toBeUndefined();
		expect(summary.outcomes.map(outcome => outcome.result)).toEqual(['failed', 'skipped']);
	});

	it("shows what a check waits on as the step's detail, live", async () => {
		const lab = tempDir();
		const step: Step = {
			...testStep('a', tempDir('labbox-server-')),
			async check(ctx) {
				ctx.activity?.('Connecting to 203.0.113.7:22…');
				return {status: 'done'};
			},
		};
		const {events} = await runInFolder(lab, [step], 'plan');
		expect(events).toContainEqual({type: 'detail', id: 'a', text: 'Connecting to 203.0.113.7:22…'});
	});
});

describe('values a step writes to lab.yaml', () => {
	it('carry the records made under the old values forward: the next run with them finds every step done', async () => {
		const lab = tempDir();
		const server = tempDir('labbox-server-');
		const saved: Record<string, unknown>[] = [];
		// `connect` depends on server.port; `move` proves the new port and writes it (as ssh-port does).
		const connect = testStep('connect', server, {inputs: ['server.port']});
		const moveStep = testStep('move', server, {inputs: ['ssh.port']});
		const move: Step = {
			...moveStep,
			async apply(ctx, io) {
				await moveStep.apply!(ctx, io);
				await ctx.updateConfig({'server.port': 2222});
			},
		};
		const later = testStep('later', server, {inputs: ['server.port', 'domain']});
		const steps = [connect, move, later];
		const config = {'server.port': 22, 'ssh.port': 2222, domain: 'lab.example.org'};
		const first = await runInFolder(lab, steps, 'setup', {config, updateConfig: async values => void saved.push({...values})});
		expect(results(first.events)).toEqual({connect: 'changed', move: 'changed', later: 'changed'});
		expect(saved).toEqual([{'server.port': 2222}]);

		const second = await runInFolder(lab, steps, 'setup', {config: {...config, 'server.port': 2222}});
		expect(results(second.events)).toEqual({connect: 'ok', move: 'ok', later: 'ok'});
		expect(applyCount(server, 'connect')).toBe(1);
		expect(applyCount(server, 'later')).toBe(1);

		// A value changed by hand is still a change.
		const third = await runInFolder(lab, steps, 'setup', {config: {...config, 'server.port': 2222, domain: 'other.example.org'}});
		expect(results(third.events)).toEqual({connect: 'ok', move: 'ok', later: 'changed'});
	});
});

describe('a step without apply (its check does the work, like connect)', () => {
	it('is ok when its check passes, also under `run`, and fails when its check finds work it cannot do', async () => {
		const lab = tempDir();
		let checks = 0;
		const probe: Step = {
			id: 'probe',
			title: 'probe',
			summary: 'checks only',
			check: async () => {
				checks++;
				return {status: 'done', detail: 'reached'};
			},
		};
		expect(results((await runInFolder(lab, [probe], 'setup')).events)).toEqual({probe: 'ok'});
		expect(results((await runInFolder(lab, [probe], 'run', {only: ['probe']})).events)).toEqual({probe: 'ok'});
		expect(checks).toBe(2);
		const stuck: Step = {
			id: 'stuck',
			title: 'stuck',
			summary: 'checks only',
			check: async () => ({status: 'todo', changes: ['something']}),
		};
		const {events} = await runInFolder(lab, [stuck], 'setup');
		expect(results(events)).toEqual({stuck: 'failed'});
		expect(events.find(event => event.type === 'step-end')).toMatchObject({detail: 'something: this step cannot change it'});
	});
});
