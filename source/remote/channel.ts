/**
 * One running remote command on an ssh2 channel: stdin sent then closed, output streamed as lines, the exit
 * code (128 + n for a signal, as a shell says), and abort.
 */
import {constants} from 'node:os';
import type {ClientChannel} from 'ssh2';
import {abortError, type RemoteError} from './errors.js';
import {LineSplitter} from './line-splitter.js';
import type {ExecOptions, ExecResult} from './remote-shell.js';

/** What the session adds to a channel: how to stop a root command, and whether the connection was lost. */
export interface ChannelHooks {
	/** Runs on abort before the channel closes (stops sudo commands, see sudo.ts `stopTagged`). */
	readonly stop?: () => Promise<void>;
	/** The error to reject with when the channel closed without an exit status; undefined: status unknown. */
	readonly lost: () => RemoteError | undefined;
}

/** Sends stdin, collects the output, resolves with the exit code; rejects on abort or a lost connection. */
export async function runChannel(channel: ClientChannel, stdin: Buffer, options: ExecOptions, hooks: ChannelHooks): Promise<ExecResult> {
	return new Promise<ExecResult>((resolve, reject) => {
		const stdout = new LineSplitter(line => options.onLine?.(line, 'stdout'));
		const stderr = new LineSplitter(line => options.onLine?.(line, 'stderr'));
		let code: number | undefined;
		let aborted = false;
		const onAbort = () => {
			aborted = true;
			// Root's processes first, while the tagged ones still live: the signal would end sudo, and with it
			// the tag, but not sudo's grandchildren.
			void (hooks.stop?.() ?? Promise.resolve()).finally(() => {
				signalRemote(channel, 'TERM');
				channel.close();
				reject(abortError(options.signal?.reason));
			});
		};

		options.signal?.addEventListener('abort', onAbort, {once: true});
		// An abort while the channel was opening: the command has started (or is about to), stop it now (issue 11).
		if (options.signal?.aborted) {
			options.signal.removeEventListener('abort', onAbort);
			onAbort();
		}

		channel.on('data', (chunk: Buffer) => stdout.push(chunk));
		channel.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
		const onExit = (exitCode: number | null, signalName?: string) => {
			// ssh2 names signals `SIGTERM`.
			const name = (signalName?.startsWith('SIG') ? signalName : `SIG${signalName}`) as NodeJS.Signals;
			code = exitCode ?? 128 + (constants.signals[name] ?? 127);
		};
		channel.on('exit', onExit);
		// ssh2 also passes the exit status to 'close': a fast command's 'exit' can be emitted in the same parse
		// loop as the exec reply, before this listener exists, and only 'close' (deferred to 'end') still says it.
		channel.on('close', (exitCode?: number | null, signalName?: string) => {
			if (code === undefined && (exitCode !== undefined || signalName !== undefined)) {
				onExit(exitCode ?? null, signalName);
			}

			options.signal?.removeEventListener('abort', onAbort);
			stdout.end();
			stderr.end();
			if (aborted) {
				return;
			}

			const lost = code === undefined ? hooks.lost() : undefined;
			if (lost) {
				reject(lost);
			} else {
				resolve({code: code ?? 255, stdout: stdout.text, stderr: stderr.text});
			}
		});
		channel.end(stdin);
	});
}

/**
 * Sends a signal to the remote command. ssh2's `channel.signal()` stays silent once stdin is closed, and we
 * close stdin right away (commands must see EOF), so this goes through its protocol object.
 */
function signalRemote(channel: ClientChannel, name: string): void {
	const internal = channel as unknown as {
		_client?: {_protocol?: {signal(id: number, signal: string): void}};
		outgoing?: {id: number; state: string};
	};
	// 'eof': our stdin is closed, the channel is still open.
	if (internal.outgoing?.state === 'open' || internal.outgoing?.state === 'eof') {
		internal._client?._protocol?.signal(internal.outgoing.id, name);
	}
}
