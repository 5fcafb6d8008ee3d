/**
 * A fake RemoteShell driven by a command table (np's stub-execa): each rendered command gets the reply of the
 * first matching row, and every other command succeeds with no output. Records every call, for assertions on
 * what a step ran, without SSH.
 */
import {toShell, type Command} from '../../source/remote/command.js';
import {abortError} from '../../source/remote/errors.js';
import {joinGathered} from '../../source/remote/facts/gather.js';
import {ShellBase, type ExecOptions, type ExecResult} from '../../source/remote/remote-shell.js';

/** What a faked command answers; all fields default to success with no output. */
export interface FakeReply {
	readonly code?: number;
	readonly stdout?: string;
	readonly stderr?: string;
}

/** A row of the table: the rendered command (exact, or a pattern) and its reply (or a function making it). */
export type FakeRule = readonly [match: string | RegExp, reply: FakeReply | ((command: string, stdin: string) => FakeReply)];

/** One command the fake received. */
export interface FakeCall {
	/** As the server would get it, before any sudo wrapping. */
	readonly command: string;
	readonly sudo: boolean;
	readonly stdin: string;
}

/** The reply of a fact-gathering round-trip: each key's output after its marker (see `gatherFacts`). */
export function gatheredReply(outputs: Readonly<Record<string, string>>): FakeReply {
	return {stdout: joinGathered(outputs)};
}

/** What `systemctl show` prints of one loaded unit: the answer a unit fact (`activeState`, `enabledState`) reads. */
export function unitReply(unit: string, state: {readonly active?: string; readonly enabled?: string}): string {
	return `Id=${unit}\nLoadState=loaded\nActiveState=${state.active ?? 'inactive'}\nUnitFileState=${state.enabled ?? ''}\n`;
}

export class FakeShell extends ShellBase {
	readonly calls: FakeCall[] = [];

	constructor(private readonly rules: readonly FakeRule[] = []) {
		super();
	}

	/** The commands received so far, rendered. */
	get commands(): string[] {
		return this.calls.map(call => call.command);
	}

	async exec(command: Command, options: ExecOptions = {}): Promise<ExecResult> {
		if (options.signal?.aborted) {
			throw abortError(options.signal.reason);
		}

		const rendered = toShell(command);
		const stdin = options.stdin?.toString() ?? '';
		this.calls.push({command: rendered, sudo: options.sudo ?? false, stdin});
		const rule = this.rules.find(([match]) => (typeof match === 'string' ? match === rendered : match.test(rendered)));
		const reply = typeof rule?.[1] === 'function' ? rule[1](rendered, stdin) : (rule?.[1] ?? {});
		const result = {code: reply.code ?? 0, stdout: reply.stdout ?? '', stderr: reply.stderr ?? ''};
		for (const [stream, text] of [
			['stdout', result.stdout],
			['stderr', result.stderr],
		] as const) {
			for (const line of text.split('\n').filter(line => line !== '')) {
				options.onLine?.(line, stream);
			}
		}

		return result;
	}
}
