/**
 * Live health for `labbox status`: each step recorded as done and able to say so (`Step.health`) is asked,
 * in order, sharing one SSH session, each bounded in time. A check that throws is unhealthy, with its reason.
 */
import type {Redactor} from './redact.js';
import {RunResources} from './resources.js';
import {stepContext, type ContextOptions} from './runner.js';
import {Interrupted, untilAborted} from './step-run.js';
import type {LabState} from './state.js';
import type {Check, Health, Step} from './types.js';

export interface HealthReport {
	readonly id: string;
	readonly ok: boolean;
	readonly text: string;
	/** Well, with a warning (Health.warning). */
	readonly warning?: boolean;
	/** When unwell: what the step's own read-only check finds wrong (`hub is exited`), as `labbox plan` would say. */
	readonly cause?: string;
	/** When that check is blocked: what the user should do. Otherwise re-running the step is the fix. */
	readonly fix?: string;
}

/** What a check says is wrong, in one line; nothing when it finds all in order. */
function whatIsWrong(check: Check): {cause?: string; fix?: string} {
	switch (check.status) {
		case 'todo': {
			return {cause: check.changes.join('; ')};
		}
		case 'blocked': {
			return {cause: check.reason, fix: check.fix};
		}
		case 'done': {
			return {};
		}
	}
}

export interface HealthOptions extends Omit<ContextOptions, 'signal'> {
	readonly steps: readonly Step[];
	readonly state: LabState;
	readonly redactor: Redactor;
	readonly signal?: AbortSignal;
	/** Per step; a server that hangs must not hang `labbox status`. */
	readonly timeoutMs?: number;
}

/** The steps `checkHealth` would ask: done, and with a health check. */
export function healthSteps(steps: readonly Step[], state: LabState): Step[] {
	return steps.filter(step => step.health && ['ok', 'changed'].includes(state.steps[step.id]?.result ?? ''));
}

export async function checkHealth(options: HealthOptions): Promise<HealthReport[]> {
	const resources = new RunResources();
	const shared = new Map<string, unknown>();
	const reports: HealthReport[] = [];
	try {
		for (const step of healthSteps(options.steps, options.state)) {
			const limit = AbortSignal.timeout(options.timeoutMs ?? 20_000);
			const signal = options.signal ? AbortSignal.any([options.signal, limit]) : limit;
			const ctx = stepContext({...options, signal}, step, shared, resources);
			const health: Health = await untilAborted(step.health!(ctx), signal).catch((error: unknown) => {
				const why =
					error instanceof Interrupted
						? limit.aborted
							? `no answer within ${(options.timeoutMs ?? 20_000) / 1000} s`
							: 'interrupted'
						: error instanceof Error
							? error.message
							: String(error);
				return {ok: false, text: `could not be checked: ${why}`};
			});
			// An unwell step is asked why, read-only, as the plan asks it (issue 10 item 20: status knew less than plan).
			const why = health.ok
				? {}
				: await untilAborted(step.check(stepContext({...options, signal, planning: true}, step, shared, resources)), signal).then(
						whatIsWrong,
						() => ({}),
					);
			const redact = (text?: string) => (text === undefined ? undefined : options.redactor.redact(text));
			reports.push({
				id: step.id,
				ok: health.ok,
				...(health.ok && health.warning ? {warning: true} : {}),
				text: options.redactor.redact(health.text),
				cause: redact(why.cause),
				fix: redact(why.fix),
			});
		}
	} finally {
		for (const error of await resources.disposeAll()) {
			options.log?.(`cleanup failed: ${String(error)}`);
		}
	}
	return reports;
}
