/**
 * A fact (pyinfra `facts/*.py`): one read-only command and a parser of its standard output. `parse` returns
 * `undefined` when the output does not tell, `false` when the thing is absent (for facts where that is an
 * answer), or the value.
 */
import type {Command} from '../command.js';

/** One thing to know about the server. */
export interface Fact<T> {
	/** Stable name: its fixture folder (`test/fixtures/facts/<name>/`) and its id in logs. */
	readonly name: string;
	/** Read-only; its error output is ignored. */
	readonly command: Command;
	/** Reads the command's standard output. */
	parse(output: string): T | undefined;
}

/** The parsed type of a fact. */
export type FactValue<F> = F extends Fact<infer T> ? T | undefined : never;

/** The non-empty, trimmed lines of an output. */
export function lines(output: string): string[] {
	return output
		.split('\n')
		.map(line => line.trim())
		.filter(line => line !== '');
}

/** A version number (`26.1.5`, `v2.26.1`, `26.1.5+dfsg1`) without its `v`, or undefined. */
export function versionIn(text: string): string | undefined {
	return /\bv?(\d+\.\d+(?:\.\d+)?[^\s,]*)/.exec(text)?.[1];
}
