/**
 * Opening one ssh2 connection: credentials in ssh's order, the host key decided by the caller's verifier
 * (ssh2 accepts any key without one), keepalive on, Nagle off, and an 'error' listener attached for the connection's
 * whole life (node-ssh leaves none: a keepalive timeout would be an uncaughtException that kills the TUI).
 */
import {Client, type ConnectConfig} from 'ssh2';
import {abortError, connectionError, hostKeyChanged, type Target} from './errors.js';
import {HostKeyQuestion} from './host-key-check.js';
import {fingerprint, hostKeyFromBlob, type HostKey} from './known-hosts.js';

/** How to reach and log in to the server. Secrets here are kept in memory only, never logged. */
export interface ConnectOptions {
	readonly host: string;
	/** Default 22. */
	readonly port?: number;
	readonly username: string;
	/** Private key text (OpenSSH or PEM). */
	readonly privateKey?: string | Buffer;
	/** For an encrypted private key. */
	readonly passphrase?: string;
	/** ssh-agent socket path (SSH_AUTH_SOCK). */
	readonly agent?: string;
	/** Login password (also tried for keyboard-interactive). */
	readonly password?: string;
	/** sudo's password; defaults to `password`. */
	readonly sudoPassword?: string;
	/**
	 * Decides on the server's host key: resolve to trust it, throw (a RemoteError) to refuse, or throw a
	 * HostKeyQuestion to have a person asked outside the handshake. Required; it must not wait for a person.
	 */
	readonly hostVerifier: (key: HostKey) => Promise<void> | void;
	/** Host key algorithms in order of preference (see `hostKeyAlgorithms`). */
	readonly hostKeyAlgorithms?: string[];
	/** Milliseconds to wait for the handshake; default 20 s. */
	readonly readyTimeout?: number;
	/** Milliseconds between keepalives (default 15 s) and how many may go unanswered (default 4). */
	readonly keepaliveInterval?: number;
	readonly keepaliveCountMax?: number;
	/** Told about the connection's life (dropped, reconnected), for the run's log. */
	readonly onNotice?: (message: string) => void;
}

/** What the session hears of a connection once it is open. */
export interface ConnectionEvents {
	onError(error: Error): void;
	onClose(client: Client): void;
}

/**
 * Opens and authenticates a connection; rejects with a RemoteError (the verifier's own, when it refused). An
 * unknown key is asked about between two handshakes: the first only reads the key, the person answers with no
 * connection open (ssh2's readyTimeout kept running while its hostVerifier waited, and an answer after it fired
 * crashed inside ssh2: issue 10 item 1), the second accepts only the key the person was shown.
 */
export async function openClient(
	options: ConnectOptions,
	target: Target,
	events: ConnectionEvents,
	signal?: AbortSignal,
): Promise<{client: Client; hostKey: HostKey}> {
	try {
		return await handshake(options, target, events, signal);
	} catch (error) {
		if (!(error instanceof HostKeyQuestion)) {
			throw error;
		}
		await error.ask();
		const accepted = error.key;
		const pinned = (key: HostKey) => {
			if (!key.blob.equals(accepted.blob)) {
				throw hostKeyChanged(target, fingerprint(key.blob), {accepted: fingerprint(accepted.blob)});
			}
		};
		// The same algorithm list as the first handshake: the server offers the same key again.
		return handshake({...options, hostVerifier: pinned}, target, events, signal);
	}
}

async function handshake(
	options: ConnectOptions,
	target: Target,
	events: ConnectionEvents,
	signal?: AbortSignal,
): Promise<{client: Client; hostKey: HostKey}> {
	if (signal?.aborted) {
		throw abortError(signal.reason);
	}
	const client = new Client();
	let refusal: unknown;
	let hostKey: HostKey | undefined;
	let lastError: Error | undefined;
	let ready = false;
	let reached = false;
	// The run ended while logging in (an early connection nobody used: issue 11): cut it, so nothing stays open.
	let onAbort: (() => void) | undefined;
	await new Promise<void>((resolve, reject) => {
		onAbort = () => {
			reject(abortError(signal?.reason));
			cutSocket(client);
		};
		signal?.addEventListener('abort', onAbort, {once: true});
		// A question for the person is no failure: it goes up as it is, to be asked with the connection closed.
		const fail = (error: unknown) =>
			reject(refusal instanceof HostKeyQuestion ? refusal : connectionError(refusal ?? error, target, reached));
		client.on('connect', () => {
			reached = true;
		});
		client.on('error', error => {
			lastError = error;
			if (ready) {
				events.onError(error);
			} else {
				fail(error);
			}
		});
		client.on('close', () => {
			if (ready) {
				events.onClose(client);
			} else {
				fail(lastError ?? new Error('the server closed the connection'));
			}
		});
		client.on('ready', () => {
			ready = true;
			resolve();
		});
		client.on('keyboard-interactive', (_name, _instructions, _lang, prompts, finish) => {
			finish(prompts.map(() => options.password ?? ''));
		});
		const verify = (blob: Buffer, answer: (valid: boolean) => void) => {
			const key = hostKeyFromBlob(blob);
			Promise.resolve()
				.then(async () => options.hostVerifier(key))
				.then(
					() => {
						hostKey = key;
						answer(true);
					},
					(error: unknown) => {
						refusal = error;
						answer(false);
					},
				);
		};

		try {
			client.connect(connectConfig(options, verify));
			// Every packet at once: with Nagle's algorithm on (ssh2 leaves it on), each small write of the login and
			// of every exec waited for the last one's acknowledgement (issue 11, speed: 10 execs 926 → 557 ms).
			client.setNoDelay(true);
		} catch (error) {
			// ssh2 throws here for an unreadable key (e.g. a wrong passphrase).
			fail(error);
		}
	}).finally(() => signal?.removeEventListener('abort', onAbort!));
	return {client, hostKey: hostKey!};
}

/**
 * Closes the connection's socket at once, whatever state the connection is in: ssh2's destroy() does nothing
 * once end() was called, nor (seen in a test) during the handshake with a server that has not spoken yet.
 */
export function cutSocket(client: Client): void {
	(client as unknown as {_sock?: {destroy(): void}})._sock?.destroy();
}

function connectConfig(options: ConnectOptions, hostVerifier: ConnectConfig['hostVerifier']): ConnectConfig {
	return {
		host: options.host,
		port: options.port ?? 22,
		username: options.username,
		privateKey: options.privateKey,
		passphrase: options.passphrase,
		agent: options.agent,
		password: options.password,
		tryKeyboard: options.password !== undefined,
		readyTimeout: options.readyTimeout ?? 20_000,
		keepaliveInterval: options.keepaliveInterval ?? 15_000,
		keepaliveCountMax: options.keepaliveCountMax ?? 4,
		algorithms: options.hostKeyAlgorithms ? {serverHostKey: options.hostKeyAlgorithms as never} : undefined,
		authHandler: authMethods(options),
		hostVerifier,
	};
}

// Agent and keys before a password, as ssh does; ssh2's default tries the password first.
function authMethods(options: ConnectOptions): Array<'agent' | 'publickey' | 'password' | 'keyboard-interactive'> {
	return [
		...(options.agent ? (['agent'] as const) : []),
		...(options.privateKey ? (['publickey'] as const) : []),
		...(options.password === undefined ? [] : (['password', 'keyboard-interactive'] as const)),
	];
}
