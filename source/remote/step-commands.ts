/**
 * The one way a step's `apply` runs its commands (issue 11 item 2): each command is echoed to the step's live tail
 * redacted (`$ …`), its output lines are streamed there, it runs as root, and it always gets an abort signal: the
 * run's (Ctrl-C), or for the few that must not stop half-way, a bounded one of their own. Files are written through
 * the one file sync (file-sync.ts): only what differs, each change said in words.
 */
import type {StepContext, StepIO} from '../engine/types.js';
import {shownCommand, type Command} from './command.js';
import {readFileChanges, writeFileChanges, type DesiredFile, type FileChange} from './file-sync.js';
import type {ExecResult, RemoteShell} from './remote-shell.js';

/** Options of one shown command. */
export interface ShownOptions {
	/** Sent to the command's standard input (never echoed). */
	readonly stdin?: string | Buffer;
	/** Each output line, after it is shown (progress parsers). */
	readonly onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
	/** As the login user instead of root. */
	readonly asUser?: boolean;
	/**
	 * Not stopped by Ctrl-C, for a short command that cut half-way would leave the server inconsistent (ssh-port's
	 * revert): it gets its own abort signal after `untilDoneMs` instead (default 30 s), never none.
	 */
	readonly untilDone?: boolean;
}

/** How long an `untilDone` command may take before it is stopped anyway. */
export const untilDoneMs = 30_000;

/** A step's commands, shown as they run. */
export class StepCommands {
	constructor(
		private readonly shell: RemoteShell,
		private readonly io: Pick<StepIO, 'line'>,
		private readonly signal: AbortSignal,
	) {}

	/** Runs a command; a non-zero exit is a result. */
	async exec(command: Command, options: ShownOptions = {}): Promise<ExecResult> {
		this.io.line(`$ ${shownCommand(command)}`);
		return this.shell.exec(command, this.execOptions(options));
	}

	/** Runs a command; a non-zero exit throws a CommandFailedError (the command redacted, its last lines). */
	async run(command: Command, options: ShownOptions = {}): Promise<ExecResult> {
		this.io.line(`$ ${shownCommand(command)}`);
		return this.shell.run(command, this.execOptions(options));
	}

	/** Runs each command in order, as `run`. */
	async runAll(commands: readonly Command[], options: ShownOptions = {}): Promise<void> {
		for (const command of commands) {
			await this.run(command, options);
		}
	}

	/** Makes these file changes (read by `readFileChanges`, in the step's check), each said in words. */
	async write(changes: readonly FileChange[]): Promise<void> {
		for (const change of changes) {
			for (const line of change.changes) {
				this.io.line(line);
			}
			await writeFileChanges(this.shell, [change], {signal: this.signal, run: async command => this.run(command)});
		}
	}

	/** Reads the files' states in one round trip, then writes only what differs; returns what changed. */
	async sync(files: readonly DesiredFile[]): Promise<FileChange[]> {
		const changes = await readFileChanges(this.shell, files, {signal: this.signal});
		await this.write(changes);
		return changes;
	}

	private execOptions(options: ShownOptions) {
		return {
			sudo: !options.asUser,
			stdin: options.stdin,
			signal: options.untilDone ? AbortSignal.timeout(untilDoneMs) : this.signal,
			onLine: (line: string, stream: 'stdout' | 'stderr') => {
				this.io.line(line, stream);
				options.onLine?.(line, stream);
			},
		};
	}
}

/** The commands of a step's apply, on the run's session (or any shell: a fake in tests). */
export function stepCommands(ctx: Pick<StepContext, 'signal'>, io: Pick<StepIO, 'line'>, shell: RemoteShell): StepCommands {
	return new StepCommands(shell, io, ctx.signal);
}
