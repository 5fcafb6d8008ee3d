/**
 * One SSH connection for a whole run, over ssh2 directly (node-ssh leaves no 'error' listener: a keepalive
 * timeout would kill the TUI). Runs commands built as data, streams their lines, aborts them, becomes root,
 * uploads files, and reconnects once when the connection dropped.
 */
import {randomBytes} from 'node:crypto';
import type {Client, ClientChannel} from 'ssh2';
import {runChannel} from './channel.js';
import {toShell, type Command} from './command.js';
import {abortError, connectionLost, isNetworkFailure, RemoteError, sudoError, type Target} from './errors.js';
import type {HostKey} from './known-hosts.js';
import {lastLines} from './line-splitter.js';
import {ShellBase, type ExecOptions, type ExecResult} from './remote-shell.js';
import {cutSocket, openClient, type ConnectOptions} from './ssh-connect.js';
import {asRoot, stopTagged, type SudoMode} from './sudo.js';

export type {ConnectOptions} from './ssh-connect.js';
export type {ExecOptions, ExecResult, RemoteShell, UploadFileOptions} from './remote-shell.js';

/** An open SSH connection to one server. */
export class Session extends ShellBase {
	/**
	 * Opens the connection; rejects with a RemoteError saying what to do next. `signal` cuts the login while it is
	 * under way (an early connection the run ended before using: issue 11).
	 */
	static async connect(options: ConnectOptions, signal?: AbortSignal): Promise<Session> {
		const session = new Session(options);
		await session.open(signal);
		return session;
	}

	private acceptedKey: HostKey | undefined;
	private client: Client | undefined;
	private lastError: unknown;
	private closed = false;
	private sudo: Promise<SudoMode> | undefined;
	private sudoPasswordOverride: string | undefined;
	/** Stops of aborted root commands still under way: `close` waits for them (each is bounded). */
	private readonly stopping = new Set<Promise<void>>();

	private constructor(private readonly options: ConnectOptions) {
		super();
	}

	/** The host key the server showed and the verifier accepted (recorded by the connect step). */
	get hostKey(): HostKey | undefined {
		return this.acceptedKey;
	}

	/** Where this session connects to. */
	get target(): Target {
		return {host: this.options.host, port: this.options.port ?? 22, username: this.options.username};
	}

	/** Runs a command; a non-zero exit is a result, not an error. */
	async exec(command: Command, options: ExecOptions = {}): Promise<ExecResult> {
		if (options.signal?.aborted) {
			throw abortError(options.signal.reason);
		}

		const mode = options.sudo ? await this.sudoMode() : 'root';
		// The probe takes round trips: a Ctrl-C meanwhile must not start the command (issue 11, current Node.js).
		if (options.signal?.aborted) {
			throw abortError(options.signal.reason);
		}

		const tag = `labbox-${randomBytes(6).toString('hex')}`;
		const wrapped = options.sudo ? asRoot(command, mode, this.sudoPassword, tag) : {command};
		const stdin = [wrapped.stdinPrefix ?? '', options.stdin ?? ''].map(part => Buffer.from(part));
		const stop = mode === 'root' ? undefined : async () => this.track(this.stopAsRoot(tag, mode));
		const result = await this.execRaw(toShell(wrapped.command), Buffer.concat(stdin), options, stop);
		const refused = options.sudo && result.code !== 0 ? sudoError(result.stderr, result.code, this.target) : undefined;
		if (refused) {
			throw refused;
		}

		return result;
	}

	/**
	 * How this session becomes root, probed once: root login, passwordless sudo, or sudo with the password.
	 * Rejects with a RemoteError (`sudo-password`, `sudo-password-needed`, `sudo-not-allowed`...).
	 */
	async sudoMode(): Promise<SudoMode> {
		this.sudo ??= this.probeSudo();
		// A failed probe is not cached: the user may type the password again (`setSudoPassword`).
		return this.sudo.catch((error: unknown) => {
			this.sudo = undefined;
			throw error;
		});
	}

	/** Replaces the sudo password (after `sudo-password`, say); the next sudo command probes again. */
	setSudoPassword(password: string): void {
		this.sudoPasswordOverride = password;
		this.sudo = undefined;
	}

	/**
	 * Closes the connection; the session cannot be used afterwards. Stops of aborted root commands finish first:
	 * the runner closes as soon as Ctrl-C has interrupted a step, and a connection cut before the stop ran would
	 * leave the command (an apt-get, say) running on the server.
	 */
	async close(): Promise<void> {
		await Promise.allSettled([...this.stopping]);
		this.closed = true;
		const client = this.client;
		this.client = undefined;
		if (client) {
			await new Promise<void>(resolve => {
				// A dead server never answers the goodbye: cut the socket after a short wait.
				const timer = setTimeout(() => cutSocket(client), 2000);
				client.once('close', () => {
					clearTimeout(timer);
					resolve();
				});
				client.end();
			});
		}
	}

	private get sudoPassword(): string | undefined {
		return this.sudoPasswordOverride ?? this.options.sudoPassword ?? this.options.password;
	}

	private async track(stop: Promise<void>): Promise<void> {
		this.stopping.add(stop);
		try {
			await stop;
		} finally {
			this.stopping.delete(stop);
		}
	}

	/** After an abort: stops the tagged root command (bounded in time); a failure is told, never thrown. */
	private async stopAsRoot(tag: string, mode: SudoMode): Promise<void> {
		const wrapped = asRoot(stopTagged(tag), mode, this.sudoPassword);
		const stopped = this.execRaw(toShell(wrapped.command), Buffer.from(wrapped.stdinPrefix ?? ''), {});
		const timeout = new Promise<never>((_resolve, reject) => {
			setTimeout(() => reject(new Error('no answer in 5 s')), 5000).unref();
		});
		await Promise.race([stopped, timeout]).catch((error: unknown) => {
			const reason = error instanceof Error ? error.message : String(error);
			this.options.onNotice?.(`could not stop the aborted command on ${this.target.host}: ${reason}`);
		});
	}

	private async probeSudo(): Promise<SudoMode> {
		if (this.options.username === 'root') {
			return 'root';
		}

		const probe = async (mode: SudoMode) => {
			const wrapped = asRoot(['true'], mode, this.sudoPassword);
			const result = await this.execRaw(toShell(wrapped.command), Buffer.from(wrapped.stdinPrefix ?? ''), {});
			return {result, refused: sudoError(result.stderr, result.code, this.target)};
		};

		const passwordless = await probe('nopasswd');
		if (passwordless.result.code === 0) {
			return 'nopasswd';
		}

		if (this.sudoPassword === undefined || passwordless.refused?.kind !== 'sudo-password-needed') {
			throw passwordless.refused ?? this.sudoFailed(passwordless.result);
		}

		const withPassword = await probe('password');
		if (withPassword.result.code === 0) {
			return 'password';
		}

		throw withPassword.refused ?? this.sudoFailed(withPassword.result);
	}

	private sudoFailed(result: ExecResult): RemoteError {
		return new RemoteError(
			'sudo-not-allowed',
			`"${this.target.username}" cannot become root with sudo on ${this.target.host} (exit code ${result.code}).`,
			'Check sudo on the server (`sudo -v` as this user), or connect as root.',
			lastLines(result.stderr),
		);
	}

	/** The connection, re-opened once if it dropped since the last command. */
	private async connection(): Promise<Client> {
		if (this.closed) {
			throw new RemoteError('connection-lost', 'The SSH session was already closed.');
		}

		if (this.client) {
			return this.client;
		}

		this.options.onNotice?.(`connection to ${this.target.host} lost; reconnecting`);
		try {
			await this.open();
		} catch (error) {
			// A changed host key or a refused login on the way back is no network trouble: say it as such (issue 10 item 8).
			if (error instanceof RemoteError && !isNetworkFailure(error)) {
				throw error;
			}

			throw connectionLost(this.target, error instanceof RemoteError ? error.message : error);
		}

		this.options.onNotice?.(`reconnected to ${this.target.host}`);
		return this.client!;
	}

	private async open(signal?: AbortSignal): Promise<void> {
		const {client, hostKey} = await openClient(
			this.options,
			this.target,
			{
				// Always listening (see ssh-connect.ts): after ready, errors only mark the connection as lost.
				onError: error => {
					this.lastError = error;
				},
				onClose: closed => {
					if (this.client === closed) {
						this.client = undefined;
						this.options.onNotice?.(`connection to ${this.target.host} closed`);
					}
				},
			},
			signal,
		);
		this.client = client;
		this.acceptedKey = hostKey;
		this.lastError = undefined;
	}

	/** Starts a command; if the connection turns out dead before it started, reconnects once and retries. */
	private async openChannel(command: string): Promise<ClientChannel> {
		const start = async (client: Client) =>
			new Promise<ClientChannel>((resolve, reject) => {
				try {
					client.exec(command, (error, stream) => (error ? reject(error) : resolve(stream)));
				} catch (error) {
					// ssh2 throws "Not connected" before its 'close' event has told us.
					reject(error);
				}
			});

		const client = await this.connection();
		try {
			return await start(client);
		} catch (error) {
			if (this.client === client) {
				this.client = undefined;
				client.destroy();
			}

			this.lastError = error;
			return start(await this.connection()).catch((retryError: unknown) => {
				throw connectionLost(this.target, retryError);
			});
		}
	}

	/** Runs a rendered command; on abort, `stop` runs before the promise rejects (sudo commands need it). */
	private async execRaw(command: string, stdin: Buffer, options: ExecOptions, stop?: () => Promise<void>): Promise<ExecResult> {
		const channel = await this.openChannel(command);
		const client = this.client;
		// No exit status while the connection lives: the status is unknown (255, as ssh says); otherwise lost.
		const lost = () =>
			this.client === client && this.client !== undefined
				? undefined
				: connectionLost(this.target, this.lastError ?? new Error('the channel closed without an exit code'));
		return runChannel(channel, stdin, options, {stop, lost});
	}
}
