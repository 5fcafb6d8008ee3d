import type {LabState} from '../engine/state.js';
import type {Step} from '../engine/types.js';
import {wrapWords} from '../ui/text.js';
import {whenInWords} from '../ui/when.js';

/** A line broken between words to fit `width` columns, the next lines indented by `indent` (issue 10 item 20). */
export function fitLine(line: string, width: number | undefined, indent: number): string {
	return wrapWords(line, width, ' '.repeat(indent)).join('\n');
}

/** `labbox steps`: the ids, in order, with one line each. */
export function stepsReport(steps: readonly Step[]): string {
	if (steps.length === 0) {
		return 'No steps are defined.\n';
	}
	const width = Math.max(...steps.map(step => step.id.length));
	return steps.map((step, index) => `${String(index + 1).padStart(2)}. ${step.id.padEnd(width)}  ${step.summary}`).join('\n') + '\n';
}

const mark: Record<string, string> = {ok: '✔', changed: '✔', failed: '✖', skipped: '-', interrupted: '!'};

/** `labbox status`: each step's recorded state, and how the last run ended. */
export function statusReport(
	steps: readonly Step[],
	state: LabState,
	dir: string,
	{now = new Date(), width}: {now?: Date; width?: number} = {},
): string {
	const lines: string[] = [`Lab folder: ${dir}`];
	const run = state.lastRun;
	if (!run) {
		lines.push('No run yet: run `labbox` to set the lab up.');
	} else {
		const ended = run.outcome
			? `${run.outcome} ${run.endedAt ? whenInWords(run.endedAt, now) : ''}`.trim()
			: `cut off${run.current ? ` during ${run.current}` : ''} (run \`labbox --resume\`)`;
		const which = run.selected.length === steps.length ? 'every step' : run.selected.join(' ');
		lines.push(`Last run: ${run.mode} ${which}, started ${whenInWords(run.startedAt, now)}, ${ended}`);
	}
	const idWidth = Math.max(0, ...steps.map(step => step.id.length));
	for (const step of steps) {
		const record = state.steps[step.id];
		const what = record
			? `${mark[record.result]} ${record.result.padEnd(11)} ${whenInWords(record.at, now)}: ${record.detail}`
			: '· never run';
		lines.push(`  ${step.id.padEnd(idWidth)}  ${what}`);
	}
	// A step's continuation lines start under its result, past `  ID  ✔ `.
	return lines.map(line => fitLine(line, width, line.startsWith('  ') ? idWidth + 6 : 2)).join('\n') + '\n';
}
