/** Scripted engine events: what a run of three steps looks like to the renderers. */
import type {Question} from '../../../source/config/question.js';
import type {EngineEvent, StepOutcome} from '../../../source/engine/types.js';

export const steps = [
	{id: 'connect', title: 'Connect'},
	{id: 'docker', title: 'Install Docker'},
	{id: 'stack', title: 'Start JupyterHub'},
] as const;

export const runStart: EngineEvent = {
	type: 'run-start',
	mode: 'setup',
	steps,
	selected: steps.map(step => step.id),
	logPath: '.labbox/logs/run-1.log',
};

export const connectOk: StepOutcome = {id: 'connect', result: 'ok', detail: 'Debian 13, amd64', durationMs: 1200};
export const dockerChanged: StepOutcome = {id: 'docker', result: 'changed', detail: 'Docker 26.1 running', durationMs: 12_300};
export const stackFailed: StepOutcome = {
	id: 'stack',
	result: 'failed',
	detail: 'the hub did not answer /hub/health',
	durationMs: 61_000,
	hint: 'Run `docker compose logs hub` on the server.',
	output: ['[E] database is locked', '[E] exiting'],
};

/** A run where docker changes (printing and reporting progress) and the stack fails. */
export function failingRun(): EngineEvent[] {
	return [
		runStart,
		{type: 'step-start', id: 'connect'},
		{type: 'step-phase', id: 'connect', phase: 'checking'},
		{type: 'step-check', id: 'connect', check: {status: 'done', detail: 'Debian 13, amd64'}, inputsChanged: false},
		{type: 'step-end', ...connectOk},
		{type: 'step-start', id: 'docker'},
		{type: 'step-check', id: 'docker', check: {status: 'todo', changes: ['install docker.io']}, inputsChanged: true},
		{type: 'step-phase', id: 'docker', phase: 'applying'},
		{type: 'line', id: 'docker', text: 'Setting up docker.io', stream: 'stdout'},
		{type: 'progress', id: 'docker', fraction: 0.5, label: '50 of 100 packages'},
		{type: 'step-end', ...dockerChanged},
		{type: 'step-start', id: 'stack'},
		{type: 'step-phase', id: 'stack', phase: 'applying'},
		{type: 'step-end', ...stackFailed},
		{
			type: 'run-end',
			outcome: 'failed',
			outcomes: [connectOk, dockerChanged, stackFailed],
			logPath: '.labbox/logs/run-1.log',
			retry: 'labbox run stack',
		},
	];
}

/** A question whose answer must be at least 8 characters. */
export function question(overrides: Partial<Question> = {}): Question {
	return {
		key: 'auth.password',
		message: 'Admin password',
		kind: 'text',
		validate: value => (value.length < 8 ? 'Too short: use at least 8 characters.' : undefined),
		...overrides,
	};
}
