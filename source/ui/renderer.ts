/**
 * The one API the CLI uses to show a run: pick a renderer kind, create it, feed it every engine event.
 * Renderers only listen (listr2's renderer model): they never call back into the engine.
 */
import type {Question} from '../config/question.js';
import {mapCheckText} from '../engine/event-text.js';
import type {Check, EngineEvent, StepResult} from '../engine/types.js';

/** `ink`: the live TUI; `plain`: timestamped lines for logs and CI; `json`: one JSON object per event (tests). */
export type RendererKind = 'ink' | 'plain' | 'json';

/** Plain output with `--plain`, when stdout is not a terminal, or under CI (as listr2's `getRenderer`). */
export function chooseRendererKind(o: {plain?: boolean; json?: boolean; isTTY: boolean; ci: boolean}): RendererKind {
	if (o.json) {
		return 'json'; // --json: one event per line for scripts (issue 10 item 19)
	}
	return o.plain || !o.isTTY || o.ci ? 'plain' : 'ink';
}

/** One line of the plan shown before a run: a step, what its check found, and its last recorded result. */
export interface PlanItem {
	id: string;
	title: string;
	check: Check;
	/** The step's inputs changed since its last run, so it is checked again. */
	inputsChanged: boolean;
	lastResult?: StepResult;
}

export interface Renderer {
	/** Feed every engine event, in order. */
	handle(event: EngineEvent): void;
	/**
	 * What labbox waits on outside a run's step rows (the plan's checks, the connection: `Connecting to HOST:PORT…`):
	 * Ink shows it on one live line with the seconds so far until replaced or removed (undefined); plain prints it.
	 */
	activity(text: string | undefined): void;
	/** Ink: the plan screen (Enter starts, q/Esc cancels, Ctrl-C cancels); plain/json: print it, resolve true. */
	confirmPlan(items: readonly PlanItem[]): Promise<boolean>;
	/**
	 * Ink: one wizard question, validated as typed; resolves with the answer as a string (`confirm`: `true` or
	 * `false`). Rejects on Ctrl-C, when stdin is not a terminal, and always under plain/json.
	 */
	ask(question: Question): Promise<string>;
	/** One line of news outside a run, kept above what follows (the wizard's "Using the 6 answers in lab.yaml"). */
	note(text: string): void;
	/** Unmounts or flushes; resolves once the final frame (or the last line) is written. */
	close(): Promise<void>;
}

export interface RendererOptions {
	stdout: NodeJS.WriteStream;
	stdin?: NodeJS.ReadStream;
	/** Ink: a longer output tail; plain: every progress update and phase change. */
	verbose?: boolean;
	/** Ctrl-C in the TUI (raw mode turns it into a key, not a signal): the CLI aborts the run. */
	onInterrupt: () => void;
	/**
	 * Applied to the texts shown that are not engine events (notes, questions). Events, and the plan made of them,
	 * come redacted from the engine: its one pass (issue 11 item 3).
	 */
	redact?: (s: string) => string;
	/**
	 * Applied after `redact` to every text shown, and to the renderer's own advice (`labbox status`...): writes each
	 * `labbox …` command the way the user started labbox, so every hint works as typed (issue 10 item 5).
	 */
	hints?: (s: string) => string;
	/**
	 * Plain: a person at this terminal can answer (`--plain` without --yes), so questions and the plan's go-ahead
	 * are asked on its lines (issue 10 item 19). Ink asks whenever stdin is a terminal.
	 */
	canPrompt?: boolean;
}

/** The texts a renderer shows that are not engine events: secrets redacted, then commands spelled as the user runs labbox. */
export function shownText(o: Pick<RendererOptions, 'redact' | 'hints'>): (s: string) => string {
	const {redact, hints} = o;
	if (!hints) {
		return redact ?? (s => s);
	}
	return redact ? s => hints(redact(s)) : hints;
}

/** A plan item with the commands in its check's words spelled as the user runs labbox. */
export function hintedPlanItem(item: PlanItem, hints: ((s: string) => string) | undefined): PlanItem {
	return hints ? {...item, check: mapCheckText(item.check, hints)} : item;
}

/**
 * Makes the renderer of this kind, loading only its own module: Ink and React take over a second to load on a
 * busy machine, which a plain or JSON run (CI, `--plain`, `labbox plan`) never draws with (issue 11, speed).
 */
export async function createRenderer(kind: RendererKind, o: RendererOptions): Promise<Renderer> {
	switch (kind) {
		case 'ink': {
			return (await import('./renderers/ink-renderer.js')).createInkRenderer(o);
		}
		case 'plain': {
			return (await import('./renderers/plain-renderer.js')).createPlainRenderer(o);
		}
		case 'json': {
			return (await import('./renderers/json-renderer.js')).createJsonRenderer(o);
		}
		default: {
			const unknown: never = kind;
			throw new Error(`Unknown renderer: ${String(unknown)}`);
		}
	}
}

/** What a pending question or plan gets when the user presses Ctrl-C or the renderer closes. */
export class PromptCancelledError extends Error {
	constructor(why: string) {
		super(`Cancelled: ${why}.`);
		this.name = 'AbortError';
	}
}

/** The error `ask` rejects with when no one can answer: names the key to set instead. */
export function cannotAsk(question: Question, why: string): Error {
	return new Error(
		`Cannot ask "${question.message}" (${why}): set \`${question.key}\` in lab.yaml, or pass it as a flag or environment variable.`,
	);
}
