/**
 * A plan first, then a yes (issue 13): the day-two commands that change something print what they will do and
 * go on only on `--yes` or a "y" typed in a terminal. Without a terminal and without --yes they change nothing
 * and say how to go on. What cannot be undone (a home folder, the whole lab) wants a name typed instead.
 */
import {createInterface} from 'node:readline/promises';
import type {Io} from '../cli/context.js';

/** What the person (or the script) said: go on, no, Ctrl-C, or nobody could be asked. */
export type Answer = 'yes' | 'no' | 'interrupted' | 'cannot-ask';

/** A terminal someone can answer at (not CI, not --json). */
export function canAsk(io: Pick<Io, 'stdin' | 'stdout' | 'env'>): boolean {
	return Boolean(io.stdin.isTTY && io.stdout.isTTY) && !io.env.CI;
}

/** Asks one line; Ctrl-C (or a closed input) is `undefined`. */
async function askLine(io: Pick<Io, 'stdin' | 'stdout'>, question: string): Promise<string | undefined> {
	const lines = createInterface({input: io.stdin, output: io.stdout, terminal: true});
	try {
		return await new Promise<string | undefined>(resolve => {
			lines.on('SIGINT', () => resolve(undefined));
			lines.on('close', () => resolve(undefined));
			lines.question(question).then(resolve, () => resolve(undefined));
		});
	} finally {
		lines.close();
	}
}

/** Prints the plan; returns whether to go on (`--yes` says yes without asking). */
export async function confirmPlan(
	plan: readonly string[],
	options: {readonly yes?: boolean; readonly io: Pick<Io, 'stdin' | 'stdout' | 'env'>; readonly question?: string},
): Promise<Answer> {
	options.io.stdout.write(`Plan:\n${plan.map(line => `  • ${line}`).join('\n')}\n`);
	if (options.yes) {
		return 'yes';
	}
	if (!canAsk(options.io)) {
		return 'cannot-ask';
	}
	const answer = await askLine(options.io, `${options.question ?? 'Go ahead?'} [y/N] `);
	return answer === undefined ? 'interrupted' : /^y(es)?$/i.test(answer.trim()) ? 'yes' : 'no';
}

/** Asks for `expected` to be typed again (a user name, the lab's domain); only that exact text is a yes. */
export async function confirmTyped(prompt: string, expected: string, io: Pick<Io, 'stdin' | 'stdout' | 'env'>): Promise<Answer> {
	if (!canAsk(io)) {
		return 'cannot-ask';
	}
	const answer = await askLine(io, `${prompt} `);
	return answer === undefined ? 'interrupted' : answer.trim() === expected ? 'yes' : 'no';
}
