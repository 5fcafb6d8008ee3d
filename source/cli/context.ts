import path from 'node:path';
import {fields, type Config} from '../config/fields.js';
import {envName, parseString} from '../config/resolve.js';
import {camelName, invocationFor, type Invocation} from './invocation.js';
import {labPaths, type LabPaths} from '../engine/paths.js';
import type {Question} from '../config/question.js';
import {StepError, type Step} from '../engine/types.js';

/** The flags every command shares. */
export interface GlobalFlags {
	readonly dir?: string;
	readonly config?: string;
	readonly yes?: boolean;
	readonly plain?: boolean;
	/** One JSON event per line on stdout; never asks. */
	readonly json?: boolean;
	readonly verbose?: boolean;
	readonly resume?: boolean;
}

/** What a command needs from the outside world: injected so tests run `main` in-process. */
export interface Io {
	readonly stdout: NodeJS.WriteStream;
	readonly stderr: NodeJS.WriteStream;
	readonly stdin: NodeJS.ReadStream;
	readonly env: Readonly<Record<string, string | undefined>>;
	readonly cwd: string;
	readonly steps: readonly Step[];
	/** How labbox was started (`npm start --`, `labbox`, `node bin/labbox.js`): see invocation.ts. */
	readonly launcher: string;
}

/** Exit codes (documented in the README). */
export const exitCode = {done: 0, failed: 1, usage: 2, interrupted: 130} as const;

export function pathsFor(flags: GlobalFlags, io: Io): LabPaths {
	return labPaths(path.resolve(io.cwd, flags.dir ?? '.'), flags.config);
}

/** How the user runs labbox here (source/cli/invocation.ts), for every command a hint names. */
export function invocation(flags: GlobalFlags, options: Record<string, unknown>, io: Io): Invocation {
	return invocationFor(io.launcher, flags, options, io.env.HOME);
}

/**
 * Whether a person can answer here: a terminal, not CI, not --json. `--plain` changes how labbox draws, not
 * whether it asks (issue 10 item 19).
 */
export function interactive(flags: GlobalFlags, io: Io): boolean {
	return !flags.json && Boolean(io.stdout.isTTY) && !io.env.CI;
}

/** Config values given as flags (`--server-host x`), by key; commander gives them camel-cased. */
export function configFlags(options: Record<string, unknown>): Config {
	const values: Config = {};
	for (const field of fields) {
		const value = options[camelName(field.key)];
		if (typeof value === 'string') {
			values[field.key] = parseString(field, value);
		} else if (typeof value === 'boolean' && field.parse === 'boolean') {
			values[field.key] = value; // a switch: --dns-subdomains, --no-dns-subdomains
		}
	}
	return values;
}

/** A step's question when nobody can answer it: the error names where to set it instead (secrets never in lab.yaml). */
export function cannotAsk(question: Question): StepError {
	const secret = fields.find(field => field.key === question.key)?.secret;
	const where = secret ? `${envName(question.key)} in secrets.env or the environment` : `${question.key} in lab.yaml`;
	return new StepError(
		`${question.message}: no answer (running with --yes or without a terminal).`,
		`Set ${where}, or run labbox in a terminal without --yes to answer it.`,
	);
}

/**
 * A day-two command's failure (users, logs, ssh, destroy, upgrade): the message and, when it has one, its fix. A
 * decision only the user can make (an unknown host key under --yes, where nobody can be asked) ends as a "No" in
 * a terminal does: nothing was changed, the key to pin, exit 2 (polish item 6); any other failure exits 1.
 */
export function commandFailed(error: unknown, io: Pick<Io, 'stderr'>, redact: (text: string) => string = text => text): number {
	const message = redact(error instanceof Error ? error.message : String(error));
	const fix = error instanceof StepError && error.hint ? `\nFix: ${redact(error.hint)}` : '';
	const usage = error instanceof StepError && error.usage;
	io.stderr.write(`labbox: ${message}${fix}\n${usage ? 'Nothing was changed.\n' : ''}`);
	return usage ? exitCode.usage : exitCode.failed;
}
