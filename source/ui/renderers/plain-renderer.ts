/** The non-TTY and CI renderer: every event as `HH:MM:SS` + a line (listr2's verbose renderer). */
import {cannotAsk, type Renderer, type RendererOptions} from '../renderer.js';
import {LinePrompt} from './line-prompt.js';
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
	// A person at this terminal answers on its lines (--plain in a terminal, issue 10 item 19).
	const stdin = o.stdin ?? process.stdin;
	const prompt = o.canPrompt && stdin.isTTY ? new LinePrompt(stdin, o.stdout, o.onInterrupt) : undefined;
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
			if (!prompt) {
				return true;
			}
			out.flush();
			const start = await prompt.confirm('Enter starts the run, n cancels: ').catch(() => false);
			prompt.close(); // during the run Ctrl-C is a signal again, and keys are not echoed
			return start;
		},
		async ask(question) {
			if (!prompt) {
				throw cannotAsk(question, 'no terminal to ask in (plain output)');
			}
			const shown = {...question, message: redact(question.message), help: question.help === undefined ? undefined : redact(question.help)};
			return prompt.ask(shown, lines => {
				print(lines);
				out.flush();
			});
		},
		async close() {
			prompt?.close();
			await out.close();
		},
	};
}
