/**
 * Questions asked on plain lines (`--plain` in a terminal, issue 10 item 19: plain output and asking are two
 * separate choices). One readline for as long as questions come, so lines typed ahead are kept; a secret is not
 * echoed; Ctrl-C cancels the open question and interrupts the run.
 */
import {createInterface, type Interface} from 'node:readline';
import {Writable} from 'node:stream';
import {GoBack, type Question} from '../../config/question.js';
import {PromptCancelledError} from '../renderer.js';

export class LinePrompt {
	private rl: Interface | undefined;
	private readonly typed: string[] = [];
	private waiting: {resolve: (line: string) => void; reject: (error: Error) => void} | undefined;
	/** While a secret is typed, nothing readline draws reaches the terminal. */
	private muted = false;

	constructor(
		private readonly stdin: NodeJS.ReadStream,
		private readonly stdout: NodeJS.WriteStream,
		private readonly onInterrupt: () => void,
	) {}

	/** Asks until the answer validates; resolves with it as the wizard stores it (`confirm`: `true`/`false`). */
	async ask(question: Question, say: (lines: readonly string[]) => void): Promise<string> {
		const choices = question.choices ?? [];
		const back = question.canGoBack ? ['  Esc: back to the previous question'] : [];
		say([
			`? ${question.message}`,
			...(question.help ? question.help.split('\n').map(line => `  ${line}`) : []),
			...choices.map((choice, index) => `  ${index + 1}) ${choice.label}`),
			...back,
		]);
		for (;;) {
			const typed = (await this.line(`${promptFor(question)} `, question.kind === 'secret', question.canGoBack === true)).trim();
			const answer = answerFor(question, typed);
			const problem =
				answer !== undefined
					? question.validate(answer)
					: question.kind === 'confirm'
						? 'Type y or n.'
						: `Type a number from 1 to ${choices.length}.`;
			if (answer !== undefined && problem === undefined) {
				return answer;
			}
			say([`✖ ${problem}`]);
		}
	}

	/** The plan's go-ahead: Enter (or y) starts, n or q cancels. */
	async confirm(text: string): Promise<boolean> {
		for (;;) {
			const typed = (await this.line(text, false)).trim().toLowerCase();
			if (['', 'y', 'yes'].includes(typed)) {
				return true;
			}
			if (['n', 'no', 'q'].includes(typed)) {
				return false;
			}
		}
	}

	/** Gives the terminal back (a run starts, or labbox ends): Ctrl-C is a signal again, keys are not read. */
	close(): void {
		const rl = this.rl;
		this.rl = undefined;
		rl?.close();
	}

	private async line(prompt: string, secret: boolean, canGoBack = false): Promise<string> {
		const rl = this.open();
		// Esc goes back a question (issue 10 item 17), as in the TUI: readline reports it as a keypress.
		const onKey = (_text: string | undefined, key: {name?: string} | undefined) => {
			if (key?.name === 'escape') {
				rl.write(null, {ctrl: true, name: 'e'}); // what was typed at this question is dropped
				rl.write(null, {ctrl: true, name: 'u'});
				this.stdout.write('\n');
				this.fail(new GoBack());
			}
		};
		if (canGoBack) {
			this.stdin.on('keypress', onKey);
		}
		// readline draws the prompt (and redraws it on each edit), so it must know it.
		rl.setPrompt(prompt);
		rl.prompt();
		this.muted = secret;
		try {
			return (
				this.typed.shift() ??
				(await new Promise<string>((resolve, reject) => {
					this.waiting = {resolve, reject};
				}))
			);
		} finally {
			this.stdin.off('keypress', onKey);
			if (secret) {
				this.muted = false;
				this.stdout.write('\n'); // the Enter readline echoed into the muted stream
			}
		}
	}

	private open(): Interface {
		if (this.rl) {
			return this.rl;
		}
		const output = new Writable({
			write: (chunk, _encoding, done) => {
				if (!this.muted) {
					this.stdout.write(chunk as Buffer);
				}
				done();
			},
		});
		Object.defineProperty(output, 'columns', {get: () => this.stdout.columns});
		const rl = createInterface({input: this.stdin, output, terminal: true, historySize: 0, prompt: ''});
		rl.on('line', line => {
			const waiting = this.waiting;
			this.waiting = undefined;
			if (waiting) {
				waiting.resolve(line);
			} else {
				this.typed.push(line);
			}
		});
		// In raw mode Ctrl-C is a key: readline reports it here, not as a signal.
		rl.on('SIGINT', () => {
			this.fail(new PromptCancelledError('interrupted'));
			this.onInterrupt();
		});
		rl.on('close', () => {
			this.fail(new PromptCancelledError('the terminal closed'));
		});
		this.rl = rl;
		return rl;
	}

	private fail(error: Error): void {
		const waiting = this.waiting;
		this.waiting = undefined;
		waiting?.reject(error);
	}
}

/** What the input line starts with: `› [22]`, the default Enter takes (a secret's never shown). */
function promptFor(question: Question): string {
	const given = question.defaultValue;
	switch (question.kind) {
		case 'confirm': {
			return ['true', 'yes', 'y', '1', 'on'].includes((given ?? '').toLowerCase()) ? '› Y/n' : '› y/N';
		}
		case 'select': {
			const index = (question.choices ?? []).findIndex(choice => choice.value === given);
			return `› number [${Math.max(0, index) + 1}]`;
		}
		case 'secret': {
			return given ? '› (not shown; Enter keeps the one given)' : '› (not shown)';
		}
		case 'text': {
			return given ? `› [${given}]` : '›';
		}
		default: {
			const unknown: never = question.kind;
			throw new Error(`Unknown question kind: ${String(unknown)}`);
		}
	}
}

/** The typed line as the answer the question stores: the default on an empty line; undefined when not a choice. */
function answerFor(question: Question, typed: string): string | undefined {
	const choices = question.choices ?? [];
	switch (question.kind) {
		case 'confirm': {
			const word = (typed || question.defaultValue || 'n').toLowerCase();
			return ['y', 'yes', 'true'].includes(word) ? 'true' : ['n', 'no', 'false'].includes(word) ? 'false' : undefined;
		}
		case 'select': {
			if (typed === '') {
				return question.defaultValue ?? choices[0]?.value;
			}
			return choices[Number(typed) - 1]?.value ?? choices.find(choice => choice.value === typed)?.value;
		}
		default: {
			return typed === '' ? (question.defaultValue ?? '') : typed;
		}
	}
}
