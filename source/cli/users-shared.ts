/** What `labbox users` and its subcommands share: how a configuration problem, a plan's answer and a failure are said. */
import type {ExecResult} from '../remote/remote-shell.js';
import {ConfigError} from '../config/resolve.js';
import type {Answer} from '../daytwo/confirm.js';
import {exitCode, type Io} from './context.js';

export interface UsersOptions extends Record<string, unknown> {
	readonly admin?: boolean;
	readonly deleteHome?: boolean;
}

/** A configuration problem: said once, exit 2, nothing run. */
export function configProblem(error: unknown, io: Io): number {
	if (error instanceof ConfigError) {
		io.stderr.write(
			`The configuration needs attention (nothing was changed):\n${error.problems.map(problem => `  • ${problem.message}`).join('\n')}\n`,
		);
		return exitCode.usage;
	}
	throw error;
}

/** The answer to a plan as an exit code, with what was (not) done said; undefined means go on. */
export function stopped(answer: Answer, io: Io, yesHint: string): number | undefined {
	switch (answer) {
		case 'yes': {
			return undefined;
		}
		case 'no': {
			io.stdout.write('Nothing was changed.\n');
			return exitCode.done;
		}
		case 'interrupted': {
			io.stdout.write('\nNothing was changed.\n');
			return exitCode.interrupted;
		}
		case 'cannot-ask': {
			io.stderr.write(`Nothing was changed: without a terminal, add --yes to go ahead (${yesHint}).\n`);
			return exitCode.usage;
		}
	}
}

/** The last line a remote command printed (either stream), for a one-line reason. */
export function lastLine(result: ExecResult): string {
	return (
		`${result.stdout}\n${result.stderr}`
			.split('\n')
			.filter(line => line.trim() !== '')
			.at(-1) ?? `exit code ${result.code}`
	);
}
