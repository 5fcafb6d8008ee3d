import type {LabState} from '../engine/state.js';
import type {Step} from '../engine/types.js';

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
export function statusReport(steps: readonly Step[], state: LabState, dir: string): string {
	const lines: string[] = [`Lab folder: ${dir}`];
	const run = state.lastRun;
	if (!run) {
		lines.push('No run yet: run `labbox` to set the lab up.');
	} else {
		const ended = run.outcome ? `${run.outcome} at ${run.endedAt}` : `cut off${run.current ? ` during ${run.current}` : ''} (run \`labbox --resume\`)`;
		lines.push(`Last run: ${run.mode} ${run.selected.join(' ')}, started ${run.startedAt}, ${ended}`);
	}
	const width = Math.max(0, ...steps.map(step => step.id.length));
	for (const step of steps) {
		const record = state.steps[step.id];
		const what = record ? `${mark[record.result]} ${record.result.padEnd(11)} ${record.at}  ${record.detail}` : '· never run';
		lines.push(`  ${step.id.padEnd(width)}  ${what}`);
	}
	return lines.join('\n') + '\n';
}
