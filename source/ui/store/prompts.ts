/** Turns the store's prompt slot into the renderer's promises: one question or plan at a time. */
import {GoBack, type Question} from '../../config/question.js';
import type {PlanItem} from '../renderer.js';
import type {RunStore} from './run-store.js';
import type {PromptRequest} from './types.js';

/** What cancelling an open prompt does to its promise (a plan resolves false, a question rejects). */
type OnCancel<T> = (reason: Error, resolve: (value: T) => void, reject: (error: Error) => void) => void;

export class Prompts {
	private cancelOpen: ((reason: Error) => void) | undefined;

	constructor(private readonly store: RunStore) {}

	/** Shows the plan; resolves true on Enter, false on q/Esc or cancel. */
	async confirmPlan(items: readonly PlanItem[]): Promise<boolean> {
		const todo = items.filter(item => item.check.status === 'todo').length;
		this.store.notePlan(items);
		return this.open<boolean>(
			answer => ({kind: 'plan', items, answer}),
			start => {
				this.store.noteText(start ? `Plan accepted: ${todo} of ${items.length} steps to change.` : 'Plan cancelled.');
			},
			(_reason, resolve) => {
				resolve(false);
			},
		);
	}

	/** Asks one question; resolves with the validated answer, rejects when cancelled. */
	async ask(question: Question): Promise<string> {
		return this.open<string>(
			(answer, fail) => ({kind: 'question', question, answer, back: question.canGoBack ? () => fail(new GoBack()) : undefined}),
			value => {
				this.store.noteAnswer(question.message, question.kind === 'secret' ? '(hidden)' : shownAnswer(question, value));
			},
			(reason, _resolve, reject) => {
				reject(reason);
			},
		);
	}

	/** Ctrl-C or close: settles whatever is open. */
	cancel(reason: Error): void {
		const cancel = this.cancelOpen;
		this.cancelOpen = undefined;
		this.store.setPrompt(undefined);
		cancel?.(reason);
	}

	/**
	 * Opens one prompt: `build` makes the request around its answer callback, `noted` keeps the answer above the
	 * live area, `onCancel` settles the promise on Ctrl-C or close.
	 */
	private async open<T>(
		build: (answer: (value: T) => void, fail: (error: Error) => void) => PromptRequest,
		noted: (value: T) => void,
		onCancel: OnCancel<T>,
	): Promise<T> {
		return new Promise<T>((resolve, reject) => {
			if (this.cancelOpen) {
				reject(new Error('Another question is already open.'));
				return;
			}
			this.cancelOpen = reason => {
				onCancel(reason, resolve, reject);
			};
			// Only the first answer to the open request counts: a double Enter must not answer twice.
			const settle = (then: () => void) => {
				if (this.store.openPrompt !== request) {
					return;
				}
				this.cancelOpen = undefined;
				this.store.setPrompt(undefined);
				then();
			};
			const request = build(
				value => {
					settle(() => {
						noted(value);
						resolve(value);
					});
				},
				error => {
					settle(() => {
						reject(error);
					});
				},
			);
			this.store.setPrompt(request);
		});
	}
}

/** The answer as the question offered it: a choice's label, yes or no for a confirm (issue 10 item 18: `true`). */
function shownAnswer(question: Question, value: string): string {
	if (question.kind === 'confirm') {
		return value === 'true' ? 'yes' : 'no';
	}
	// What is saved, not what was typed: a pasted URL echoed as typed looked taken as it was (issue 10 item 16).
	return question.choices?.find(choice => choice.value === value)?.label ?? question.kept?.(value) ?? value;
}
