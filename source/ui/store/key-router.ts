/**
 * Routes keys to the one input that owns the keyboard now (a question, the plan screen). Keys that arrive while
 * nobody owns it (between two questions, while the next one is being drawn) wait in a short queue and go to the
 * next question, so a fast typist or a slow terminal loses nothing. Only recent keys are kept: a key pressed
 * during a run must not answer a question asked later. The plan screen never takes queued keys.
 */
import type {Key} from 'ink';

export type KeyHandler = (input: string, key: Key) => void;

/** How old a queued key may be and still count as typed ahead for the next question. */
const typeAheadMs = 1500;
const maxQueued = 256;
/**
 * How soon after a one-key answer (`y` at a yes/no question) an Enter still belongs to it: people type "y⏎",
 * and that Enter must not answer the next question (it showed "An answer is needed" at once).
 */
export const enterAfterKeyMs = 750;

/** How an owner lets go of the keyboard. */
export interface ReleaseOptions {
	/** The answer was one key (y/n) without Enter: an Enter arriving right after it is part of it, and dropped. */
	readonly answeredByKey?: boolean;
}

export class KeyRouter {
	private owner: KeyHandler | undefined;
	private queue: Array<{readonly input: string; readonly key: Key; readonly at: number}> = [];
	/** Until when an Enter is taken as the end of the last one-key answer (0: none pending). */
	private enterEndsAnswerUntil = 0;

	constructor(private readonly now: () => number = Date.now) {}

	/** One key from the terminal. */
	dispatch(input: string, key: Key): void {
		if (this.enterEndsAnswerUntil > 0) {
			// Only the very next key can be that Enter; any other key means the user has moved on.
			const late = this.now() > this.enterEndsAnswerUntil;
			this.enterEndsAnswerUntil = 0;
			if (!late && (key.return || /^[\r\n]$/.test(input))) {
				return;
			}
		}
		if (this.owner) {
			this.owner(input, key);
			return;
		}
		this.queue.push({input, key, at: this.now()});
		if (this.queue.length > maxQueued) {
			this.queue.shift();
		}
	}

	/**
	 * Gives the keyboard to `handler`; with `replay`, the keys typed ahead go to it first (in order; those left
	 * when it lets go queue again for the next owner). Returns the function that takes the keyboard back.
	 */
	attach(handler: KeyHandler, replay: boolean): () => void {
		this.owner = handler;
		const recent = this.queue.filter(item => this.now() - item.at <= typeAheadMs);
		this.queue = [];
		if (replay) {
			for (const {input, key} of recent) {
				this.dispatch(input, key);
			}
		}
		return () => {
			this.release(handler);
		};
	}

	/** Takes the keyboard back from `handler` (once it has its answer), if it still has it. */
	release(handler: KeyHandler, options: ReleaseOptions = {}): void {
		if (this.owner === handler) {
			this.owner = undefined;
			if (options.answeredByKey) {
				this.enterEndsAnswerUntil = this.now() + enterAfterKeyMs;
			}
		}
	}
}
