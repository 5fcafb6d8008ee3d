import type {HealthReport} from '../engine/health.js';
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

/** The mark of a live check: well, well with a warning (no backups: never shown as healthy), or unwell. */
function liveMark(report: HealthReport): string {
	return report.ok ? (report.warning ? '!' : '✔') : '✖';
}

/**
 * `labbox status`'s live part: one line per check (with why and the fix when unwell), then how many are well,
 * have a warning, are unwell. `hints` spells every `labbox …` as the user runs it.
 */
export function liveReport(
	reports: readonly HealthReport[],
	{width, hints = text => text}: {width?: number; hints?: (text: string) => string} = {},
): string {
	const idWidth = Math.max(0, ...reports.map(report => report.id.length));
	const indent = idWidth + 6;
	const lines: string[] = [];
	for (const report of reports) {
		lines.push(fitLine(hints(`  ${report.id.padEnd(idWidth)}  ${liveMark(report)} ${report.text}`), width, indent));
		if (!report.ok) {
			if (report.cause) {
				lines.push(fitLine(hints(`${' '.repeat(indent)}why: ${report.cause}`), width, indent));
			}
			lines.push(fitLine(hints(`${' '.repeat(indent)}fix: ${report.fix ?? `run \`labbox run ${report.id}\``}`), width, indent));
		}
	}
	const well = reports.filter(report => report.ok && !report.warning).length;
	const warnings = reports.filter(report => report.ok && report.warning).length;
	const unwell = reports.length - well - warnings;
	const counts = [`${well} well`, ...(warnings > 0 ? [`${warnings} with a warning`] : []), ...(unwell > 0 ? [`${unwell} unwell`] : [])];
	lines.push(fitLine(`  ${counts.join(', ')}`, width, 2));
	return lines.join('\n') + '\n';
}
