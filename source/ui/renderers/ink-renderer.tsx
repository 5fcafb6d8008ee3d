/**
 * The TTY renderer: an Ink app fed through a store outside React (see store/run-store.ts), so the engine can
 * emit as fast as it likes and the screen redraws at most every ~80 ms.
 */
import {render} from 'ink';
import type {Question} from '../../config/question.js';
import {App} from '../components/App.js';
import {
	cannotAsk,
	hintedPlanItem,
	PromptCancelledError,
	shownText,
	type PlanItem,
	type Renderer,
	type RendererOptions,
} from '../renderer.js';
import {KeyRouter} from '../store/key-router.js';
import {Prompts} from '../store/prompts.js';
import {RunStore} from '../store/run-store.js';
import {mapEventText} from '../../engine/event-text.js';
import {stepName} from '../text.js';

export function createInkRenderer(o: RendererOptions): Renderer {
	const redact = shownText(o);
	const hints = o.hints ?? ((s: string) => s);
	const tailLines = o.verbose ? 20 : 8;
	const stdin = o.stdin ?? process.stdin;
	const store = new RunStore({tailLines});
	const prompts = new Prompts(store);
	const interrupt = () => {
		prompts.cancel(new PromptCancelledError('interrupted'));
		o.onInterrupt();
	};
	const instance = render(<App store={store} keys={new KeyRouter()} onInterrupt={interrupt} tailLines={tailLines} hints={o.hints} />, {
		stdout: o.stdout,
		stdin,
		exitOnCtrlC: false,
		patchConsole: false,
	});
	// Asked for at once: Ink 6.8 makes this promise lazily, and one asked for after the app has exited (on close,
	// or by itself after a render error, which Ink then shows on screen) never settles.
	const exited = instance.waitUntilExit().catch(() => undefined);
	const interactive = stdin.isTTY === true;
	let closed = false;
	return {
		handle(event) {
			if (!closed) {
				store.handle(mapEventText(event, hints));
			}
		},
		activity(text) {
			if (!closed) {
				store.setActivity(text === undefined ? undefined : hints(text));
			}
		},
		note(text) {
			if (!closed) {
				store.noteText(redact(text));
			}
		},
		async confirmPlan(items: readonly PlanItem[]) {
			const shown = items.map(item => hintedPlanItem(item, o.hints));
			if (!interactive) {
				// Nobody can press Enter: show the plan and go on, as the plain renderer does.
				for (const item of shown) {
					store.noteText(`${stepName(item)}: ${item.check.status === 'todo' ? item.check.changes.join('; ') : item.check.status}`);
				}
				return true;
			}
			return prompts.confirmPlan(shown);
		},
		async ask(question: Question) {
			if (!interactive || closed) {
				throw cannotAsk(question, closed ? 'the screen is closed' : 'stdin is not a terminal');
			}
			return prompts.ask(redactQuestion(question, redact));
		},
		async close() {
			if (closed) {
				return;
			}
			closed = true;
			prompts.cancel(new PromptCancelledError('the screen closed'));
			store.flush();
			// Let React commit the last snapshot before unmounting: Ink draws the final frame on unmount.
			await new Promise(resolve => {
				setImmediate(resolve);
			});
			instance.unmount();
			await exited;
			store.dispose();
		},
	};
}

/** The question with its texts redacted; validation messages are redacted as they are made. */
function redactQuestion(question: Question, redact: (s: string) => string): Question {
	return {
		...question,
		message: redact(question.message),
		help: question.help === undefined ? undefined : redact(question.help),
		choices: question.choices?.map(choice => ({value: choice.value, label: redact(choice.label)})),
		validate(input) {
			const error = question.validate(input);
			return error === undefined ? undefined : redact(error);
		},
	};
}
