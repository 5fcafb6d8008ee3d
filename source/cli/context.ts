import path from 'node:path';
import {fields, type Config} from '../config/fields.js';
import {envName, flagName, parseString} from '../config/resolve.js';
import {labPaths, type LabPaths} from '../engine/paths.js';
import type {Question} from '../config/question.js';
import {StepError, type Step} from '../engine/types.js';

/** The flags every command shares. */
export interface GlobalFlags {
	readonly dir?: string;
	readonly config?: string;
	readonly yes?: boolean;
	readonly plain?: boolean;
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
}

/** Exit codes (documented in the README). */
export const exitCode = {done: 0, failed: 1, usage: 2, interrupted: 130} as const;

export function pathsFor(flags: GlobalFlags, io: Io): LabPaths {
	return labPaths(path.resolve(io.cwd, flags.dir ?? '.'), flags.config);
}

/** How the user called labbox for this folder, for the retry hints we print. */
export function commandFor(flags: GlobalFlags): string {
	const parts = ['labbox'];
	if (flags.dir) {
		parts.push('--dir', quoteArg(flags.dir));
	}
	if (flags.config) {
		parts.push('--config', quoteArg(flags.config));
	}
	return parts.join(' ');
}

function quoteArg(value: string): string {
	return /^[\w./~:-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

/** Whether to draw the Ink UI: a terminal, not CI, not --plain. */
export function interactive(flags: GlobalFlags, io: Io): boolean {
	return !flags.plain && Boolean(io.stdout.isTTY) && !io.env.CI;
}

/** Config values given as flags (`--server-host x`), by key; commander gives them camel-cased. */
export function configFlags(options: Record<string, unknown>): Config {
	const values: Config = {};
	for (const field of fields) {
		const name = flagName(field.key).replaceAll(/-([a-z])/g, (_match, letter: string) => letter.toUpperCase());
		const value = options[name];
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
	return new StepError(`${question.message}: no answer (running with --yes or without a terminal).`, `Set ${where}, or run labbox in a terminal without --yes to answer it.`);
}
