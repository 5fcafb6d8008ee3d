/**
 * The text fields of the engine's events (lines, details, labels, a check's words, an outcome's detail, hint and
 * output), and ONE way to map them: redaction (the engine, once per event) and the renderers' command spelling both
 * go through it, so neither ever touches ids, results, statuses or streams (issue 11 item 3: a secret equal to
 * `changed` once turned a recorded result into `***`).
 */
import type {Check, EngineEvent, StepOutcome} from './types.js';

/** A function applied to each text field. */
export type TextMap = (text: string) => string;

/** A check with its words mapped: changes, detail, reason, fix. */
export function mapCheckText(check: Check, map: TextMap): Check {
	switch (check.status) {
		case 'done': {
			return check.detail === undefined ? check : {...check, detail: map(check.detail)};
		}
		case 'todo': {
			return {...check, changes: check.changes.map(map), ...(check.detail === undefined ? {} : {detail: map(check.detail)})};
		}
		case 'blocked': {
			return {...check, reason: map(check.reason), fix: map(check.fix)};
		}
	}
}

/** An outcome with its detail, hint and output mapped. */
export function mapOutcomeText<T extends StepOutcome>(outcome: T, map: TextMap): T {
	return {
		...outcome,
		detail: map(outcome.detail),
		...(outcome.hint === undefined ? {} : {hint: map(outcome.hint)}),
		...(outcome.output === undefined ? {} : {output: outcome.output.map(map)}),
	};
}

/**
 * An event with its text fields mapped. `run-end`'s outcomes are left as they are: they are the `step-end` events
 * already mapped (see the runner), and mapping them again would be a second pass.
 */
export function mapEventText(event: EngineEvent, map: TextMap): EngineEvent {
	switch (event.type) {
		case 'run-start':
		case 'step-start':
		case 'step-phase': {
			return event;
		}
		case 'step-check': {
			return {...event, check: mapCheckText(event.check, map)};
		}
		case 'line':
		case 'detail': {
			return {...event, text: map(event.text)};
		}
		case 'progress': {
			return event.label === undefined ? event : {...event, label: map(event.label)};
		}
		case 'step-end': {
			return mapOutcomeText(event, map);
		}
		case 'run-end': {
			const untrusted = event.untrusted && {why: map(event.untrusted.why), fix: map(event.untrusted.fix)};
			return {...event, ...(event.retry === undefined ? {} : {retry: map(event.retry)}), ...(untrusted ? {untrusted} : {})};
		}
	}
}
