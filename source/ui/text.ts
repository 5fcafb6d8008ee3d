/** Small text helpers shared by the Ink and the plain renderers (pure: no React, no I/O). */
import type {StepPhase, StepResult} from '../engine/types.js';
import type {PlanItem} from './renderer.js';

// CSI and OSC sequences, and the two-byte escapes: what remote commands print to colour or move the cursor.
// eslint-disable-next-line no-control-regex
const ansiPattern = /\u001B(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001B]*(?:\u0007|\u001B\\)|[@-Z\\-_])/g;
// eslint-disable-next-line no-control-regex
const controlPattern = /[\u0000-\u0008\u000B-\u001F\u007F]/g;

/**
 * Makes one output line safe to draw in a fixed-height area: no colours or cursor moves, only what the last
 * carriage return left visible (apt and docker redraw progress with `\r`), tabs as spaces.
 */
export function sanitizeLine(text: string): string {
	const plain = text.replace(ansiPattern, '').replace(/\r+$/, '');
	const cr = plain.lastIndexOf('\r');
	const visible = cr === -1 ? plain : plain.slice(cr + 1);
	return visible.replace(/\t/g, '    ').replace(controlPattern, '');
}

/** `850ms`, `12.3s`, `2m 05s`, `1h 02m`: short enough for a step row. */
export function formatDuration(ms: number): string {
	if (ms < 1000) {
		return `${Math.max(0, Math.round(ms))}ms`;
	}
	const seconds = ms / 1000;
	if (seconds < 60) {
		return `${seconds.toFixed(1)}s`;
	}
	const minutes = Math.floor(seconds / 60);
	if (minutes < 60) {
		return `${minutes}m ${String(Math.floor(seconds % 60)).padStart(2, '0')}s`;
	}
	return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

const results: ReadonlySet<StepPhase> = new Set<StepResult>(['ok', 'changed', 'failed', 'skipped', 'interrupted']);

/** True once a step has ended (its phase is a recorded result). */
export function isResult(phase: StepPhase): phase is StepResult {
	return results.has(phase);
}

/** Why a plan item reads as it does, beside its status: `inputs changed`, `last run: failed`. */
export function planNotes(item: PlanItem): string[] {
	return [...(item.inputsChanged ? ['inputs changed'] : []), ...(item.lastResult ? [`last run: ${item.lastResult}`] : [])];
}

/**
 * Breaks text into lines of at most `width` columns between words (a word longer than that, a fingerprint say,
 * gets a line of its own), continuation lines indented by `indent`: a terminal breaks mid-word, which
 * splits a command or a key the user is meant to copy. `width` undefined (not a terminal): one line.
 */
export function wrapWords(text: string, width: number | undefined, indent = ''): string[] {
	if (!width || text.length <= width) {
		return [text];
	}
	const lines: string[] = [];
	const lead = /^\s*/.exec(text)![0];
	let line = '';
	// A `quoted command` stays whole: it is meant to be copied. The spaces between words on one line are kept
	// as they were (a padded column stays aligned).
	for (const [, space, word] of text.matchAll(/(\s*)(`[^`]*`\S*|\S+)/g)) {
		const next = line === '' ? `${lead}${word}` : `${line}${space}${word}`;
		if (next.length > width && line.trim() !== '') {
			lines.push(line);
			line = `${indent}${word}`;
		} else {
			line = next;
		}
	}
	lines.push(line);
	return lines;
}

/**
 * wrapWords for text of several lines (a note, a question's help): each line broken between words at `width`.
 * Ink's own wrap keeps the space it breaks at, so a full line's next one began with a space.
 */
export function wrapLines(text: string, width: number | undefined): string {
	return text
		.split('\n')
		.flatMap(line => wrapWords(line, width))
		.join('\n');
}

/** The width labbox breaks text at: one column less than the terminal's; none when there is no terminal width. */
export function breakWidth(columns: number | undefined): number | undefined {
	return columns ? Math.max(20, columns - 1) : undefined;
}

/** A run of text in one look (colour, bold), part of a line that Wrapped breaks between words. */
export interface Segment {
	readonly text: string;
	readonly color?: string;
	readonly bold?: boolean;
}

/**
 * wrapWords for a line made of segments of different looks: the same breaks, each output line cut back into
 * the segments it came from (the spaces a break replaced dropped, the indent added as a plain segment).
 */
export function wrapSegments(segments: readonly Segment[], width: number | undefined, indent = ''): Segment[][] {
	const source = segments.map(segment => segment.text).join('');
	// Where each segment starts in `source`, to cut a line's span back into segments.
	const starts = segments.map((_, index) => segments.slice(0, index).reduce((sum, segment) => sum + segment.text.length, 0));
	const cut = (from: number, to: number): Segment[] =>
		segments.flatMap((segment, index) => {
			const start = Math.max(from, starts[index]!);
			const end = Math.min(to, starts[index]! + segment.text.length);
			return end > start ? [{...segment, text: source.slice(start, end)}] : [];
		});
	let position = 0;
	return wrapWords(source, width, indent).map((line, index) => {
		let content = line;
		if (index > 0) {
			content = line.slice(indent.length);
			// The whitespace the break replaced.
			while (position < source.length && /\s/.test(source[position]!)) position++;
		}
		const span = cut(position, position + content.length);
		position += content.length;
		return index > 0 && indent !== '' ? [{text: indent}, ...span] : span;
	});
}

/**
 * A step as the screen names it: its title, with the id the user types (`labbox run stack`) when the title does
 * not already say it: `Lab (stack)`, `The lab's name (dns)`, `Docker` (issue 10 item 21).
 */
export function stepName(step: {readonly id: string; readonly title: string}): string {
	const words = step.title.toLowerCase().split(/[^a-z0-9-]+/);
	return words.includes(step.id.toLowerCase()) ? step.title : `${step.title} (${step.id})`;
}
