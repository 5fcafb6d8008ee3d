/** The non-TTY and CI renderer: every event as `HH:MM:SS` + a line (listr2's verbose renderer). */
import {cannotAsk, type Renderer, type RendererOptions} from '../renderer.js';
import {LineWriter} from './line-writer.js';
import {formatEvent, formatPlan, newPlainState} from './plain-format.js';

export interface PlainRendererOptions extends RendererOptions {
	/** The clock, for tests. */
	readonly now?: () => Date;
}

/** `21:03:04`, in local time. */
export function timestamp(date: Date): string {
	return [date.getHours(), date.getMinutes(), date.getSeconds()].map(part => String(part).padStart(2, '0')).join(':');
}

export function createPlainRenderer(o: PlainRendererOptions): Renderer {
	const redact = o.redact ?? ((s: string) => s);
	const hints = o.hints ?? ((s: string) => s);
	const now = o.now ?? (() => new Date());
	const out = new LineWriter(o.stdout);
	const state = newPlainState(o.verbose ?? false);
	// One timestamp per batch of lines from the same event: formatting a date per output line would dominate.
	const print = (lines: readonly string[]) => {
		if (lines.length === 0) {
			return;
		}
		const stamp = timestamp(now());
		for (const line of lines) {
			out.write(`${stamp} ${line}`);
		}
	};
	return {
		handle(event) {
			// Commands in the lines (the steps' hints and the formatter's own advice) as the user runs labbox.
			print(formatEvent(event, state).map(hints));
		},
		note(text) {
			print([hints(redact(text))]);
		},
		activity(text) {
			if (text !== undefined) {
				print([text]);
			}
		},
		async confirmPlan(items) {
			print(formatPlan(items).map(hints));
			return true;
		},
		async ask(question) {
			throw cannotAsk(question, 'no terminal to ask in (plain output)');
		},
		async close() {
			await out.close();
		},
	};
}
