/**
 * Engine events as plain lines (no colours, no cursor moves) for logs and CI. Pure: the renderer adds the
 * timestamp and does the writing. Output lines are always printed (CI users need them), marked with `│`.
 */
import type {Check, EngineEvent, RunMode, StepOutcome} from '../../engine/types.js';
import {describePhase} from '../phase.js';
import type {PlanItem} from '../renderer.js';
import {formatDuration, isResult, planNotes, stepName} from '../text.js';

/** What the formatter remembers between events: step titles, progress already printed. */
export interface PlainState {
	readonly titles: Map<string, string>;
	/** Per step, the last progress tenth printed (so progress prints at most 11 lines a step). */
	readonly progressTenths: Map<string, number>;
	readonly verbose: boolean;
	/** The run's mode: under `plan`, a step that is not done ends as skipped, which reads "would change". */
	mode?: RunMode;
}

export function newPlainState(verbose: boolean): PlainState {
	return {titles: new Map(), progressTenths: new Map(), verbose};
}

export function formatEvent(event: EngineEvent, state: PlainState): string[] {
	switch (event.type) {
		case 'run-start': {
			for (const step of event.steps) {
				state.titles.set(step.id, step.title);
			}
			state.mode = event.mode;
			const log = event.logPath ? ` · log ${event.logPath}` : '';
			return [`labbox ${event.mode}: ${event.selected.length} of ${event.steps.length} steps${log}`];
		}
		case 'step-start': {
			state.progressTenths.delete(event.id);
			return [`▸ ${event.id}  ${state.titles.get(event.id) ?? event.id}`];
		}
		case 'step-phase': {
			// Results are printed at step-end, with their duration; checking is implied by the start.
			const quiet = isResult(event.phase) || event.phase === 'pending' || (event.phase === 'checking' && !state.verbose);
			return quiet ? [] : [`  ${event.id} ${describePhase(event.phase).label}`];
		}
		case 'step-check': {
			return formatCheck(`  ${event.id}`, event.check, event.inputsChanged ? ['inputs changed'] : []);
		}
		case 'line': {
			return [`  │ ${event.text}`];
		}
		case 'progress': {
			const tenth = Math.floor(Math.min(1, Math.max(0, event.fraction)) * 10);
			if (!state.verbose && state.progressTenths.get(event.id) === tenth) {
				return [];
			}
			state.progressTenths.set(event.id, tenth);
			return [`  ${event.id} ${Math.floor(event.fraction * 100)}%${event.label ? ` ${event.label}` : ''}`];
		}
		case 'detail': {
			return [`  ${event.id}: ${event.text}`];
		}
		case 'step-end': {
			return formatOutcome(event, state.mode);
		}
		case 'run-end': {
			return formatRunEnd(event, state);
		}
		default: {
			const unknown: never = event;
			throw new Error(`Unknown engine event: ${JSON.stringify(unknown)}`);
		}
	}
}

/** A check in one headline (after `head`) and its changes or fix, indented. */
function formatCheck(head: string, check: Check, notes: readonly string[]): string[] {
	const why = notes.length > 0 ? ` (${notes.join(', ')})` : '';
	switch (check.status) {
		case 'done': {
			return [`${head} already done${why}${check.detail ? `: ${check.detail}` : ''}`];
		}
		case 'todo': {
			return [`${head} will change${why}:`, ...check.changes.map(change => `    + ${change}`)];
		}
		case 'blocked': {
			return [`${head} blocked${why}: ${check.reason}`, `    fix: ${check.fix}`];
		}
		default: {
			const unknown: never = check;
			throw new Error(`Unknown check: ${JSON.stringify(unknown)}`);
		}
	}
}

function formatOutcome(outcome: StepOutcome, mode: RunMode | undefined): string[] {
	const look = describePhase(outcome.result);
	const detail = outcome.detail ? ` ${outcome.detail}` : '';
	const wouldChange = mode === 'plan' && outcome.result === 'skipped';
	const label = wouldChange ? `● ${outcome.id} would change` : `${look.icon} ${outcome.id} ${outcome.result}`;
	const lines = [`${label} (${formatDuration(outcome.durationMs)})${detail}`];
	if (outcome.hint) {
		lines.push(`  fix: ${outcome.hint}`);
	}
	return lines;
}

function formatRunEnd(event: Extract<EngineEvent, {type: 'run-end'}>, state: PlainState): string[] {
	const count = (result: string) => event.outcomes.filter(outcome => outcome.result === result).length;
	const total = formatDuration(event.outcomes.reduce((sum, outcome) => sum + outcome.durationMs, 0));
	const counts = `${count('changed')} changed, ${count('ok')} already done, ${count('failed')} failed, ${count('skipped')} skipped`;
	const lines: string[] = [];
	switch (event.outcome) {
		case 'done': {
			lines.push(`✔ done in ${total}: ${counts}`);
			if (event.url) {
				lines.push(`  your lab: ${event.url}`);
				if (event.untrusted) {
					lines.push(
						`  ⚠ browsers will warn before opening it: ${event.untrusted.why}.`,
						`  for a trusted certificate: ${event.untrusted.fix}`,
					);
				}
			}
			lines.push("  next: `labbox status` shows the lab's health");
			break;
		}
		case 'failed': {
			lines.push(`✖ failed: ${counts}`);
			for (const outcome of event.outcomes.filter(item => item.result === 'failed')) {
				lines.push(`  ${stepName({id: outcome.id, title: state.titles.get(outcome.id) ?? outcome.id})} failed: ${outcome.detail}`);
				lines.push(...(outcome.output ?? []).map(line => `  │ ${line}`));
				if (outcome.hint) {
					lines.push(`  fix: ${outcome.hint}`);
				}
			}
			break;
		}
		case 'interrupted': {
			lines.push(`⚠ interrupted: ${counts}`);
			break;
		}
	}
	if (event.logPath) {
		lines.push(`  log: ${event.logPath}`);
	}
	if (event.retry) {
		lines.push(`  ${event.outcome === 'interrupted' ? 'resume' : 'retry'}: ${event.retry}`);
	}
	return lines;
}

const planIcons: Readonly<Record<Check['status'], string>> = {done: '✔', todo: '●', blocked: '✖'};

/** The plan as lines: a count, then each step with what its check found (also all of `labbox plan`). */
export function formatPlan(items: readonly PlanItem[]): string[] {
	const count = (status: Check['status']) => items.filter(item => item.check.status === status).length;
	const width = Math.max(0, ...items.map(item => item.id.length));
	const blocked = count('blocked') > 0 ? `, ${count('blocked')} blocked` : '';
	return [
		`plan: ${count('todo')} to change, ${count('done')} already done${blocked}`,
		...items.flatMap(item => {
			return formatCheck(`${planIcons[item.check.status]} ${item.id.padEnd(width)}  ${item.title}:`, item.check, planNotes(item));
		}),
	];
}
