/**
 * The interface steps and facts run commands through (a Session, a step's logging view of it, or a fake in
 * tests), and the base that derives `run` and `upload` from `exec` in one place.
 */
import type {Command} from './command.js';
import {assertSuccess} from './errors.js';
import {uploadCommand, type UploadOptions} from './upload.js';

/** Options of one remote command. */
export interface ExecOptions {
	/** Aborts the command: the remote process is signalled, the channel closed, the promise rejected. */
	readonly signal?: AbortSignal;
	/** Each output line as it comes. */
	readonly onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
	/** Sent to the command's standard input, then closed. */
	readonly stdin?: string | Buffer;
	/** Run as root (see `sudoMode`). */
	readonly sudo?: boolean;
}

/** What a command left. */
export interface ExecResult {
	readonly code: number;
	readonly stdout: string;
	readonly stderr: string;
}

/** Options of an upload: mode and owner, as root or not. */
export type UploadFileOptions = UploadOptions & {readonly sudo?: boolean; readonly signal?: AbortSignal};

/** What facts and steps need from a session; tests fake it (test/helpers/ssh-fake.ts). */
export interface RemoteShell {
	/** Runs a command; a non-zero exit is a result. */
	exec(command: Command, options?: ExecOptions): Promise<ExecResult>;
	/** Runs a command; a non-zero exit throws a CommandFailedError. */
	run(command: Command, options?: ExecOptions): Promise<ExecResult>;
	/** Writes a file atomically with mode and owner. */
	upload(path: string, content: string | Buffer, options?: UploadFileOptions): Promise<void>;
}

/** Implements `run` and `upload` on top of `exec`, so every shell fails and uploads the same way. */
export abstract class ShellBase implements RemoteShell {
	abstract exec(command: Command, options?: ExecOptions): Promise<ExecResult>;

	async run(command: Command, options: ExecOptions = {}): Promise<ExecResult> {
		const result = await this.exec(command, options);
		assertSuccess(command, result);
		return result;
	}

	async upload(path: string, content: string | Buffer, options: UploadFileOptions = {}): Promise<void> {
		await this.run(uploadCommand(path, options), {stdin: content, sudo: options.sudo, signal: options.signal});
	}
}
