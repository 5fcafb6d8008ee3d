/**
 * Domain errors of the remote layer: ssh2, net and sudo failures mapped to messages that name what happened
 * and, in the hint, what to do next (np, kamal). Every message is free of secrets.
 */
import {StepError} from '../engine/types.js';
import {toShell, type Command} from './command.js';
import {lastLines} from './line-splitter.js';

/** What went wrong, for callers that branch on it (e.g. the connect step asks again on `sudo-password`). */
export type RemoteErrorKind =
	| 'host-not-found'
	| 'connection-refused'
	| 'timeout'
	| 'unreachable'
	| 'auth-failed'
	| 'key-passphrase'
	| 'key-invalid'
	| 'host-key-changed'
	| 'host-key-untrusted'
	| 'connection-lost'
	| 'sudo-password'
	| 'sudo-password-needed'
	| 'sudo-not-allowed'
	| 'sudo-missing'
	| 'command-failed'
	| 'network'
	| 'disk-full'
	| 'aborted';

/** Where we connect: names the server in every message. */
export interface Target {
	readonly host: string;
	readonly port: number;
	readonly username: string;
}

/** A failure of the remote layer, with a hint saying the next action. */
export class RemoteError extends StepError {
	constructor(
		readonly kind: RemoteErrorKind,
		message: string,
		hint?: string,
		output?: readonly string[],
		options?: {readonly cause?: unknown},
	) {
		super(message, hint, output);
		this.name = 'RemoteError';
		if (options?.cause !== undefined) {
			this.cause = options.cause;
		}
	}
}

/** A remote command exited non-zero; `output` holds its last lines. */
export class CommandFailedError extends RemoteError {
	constructor(
		/** The command as logs show it (secrets redacted). */
		readonly command: string,
		readonly code: number,
		output: readonly string[],
	) {
		super(
			'command-failed',
			`The server command failed with exit code ${code}: ${command}`,
			'Its last output lines say why (the whole output is in the run log); fix that, then `labbox --resume`.',
			output,
		);
		this.name = 'CommandFailedError';
	}
}

/** Throws a CommandFailedError (command redacted, last output lines) unless the command exited 0. */
export function assertSuccess(
	command: Command,
	result: {readonly code: number; readonly stdout: string; readonly stderr: string},
): void {
	if (result.code !== 0) {
		const output = lastLines(`${result.stdout}\n${result.stderr}`);
		throw new CommandFailedError(toShell(command, {redact: true}), result.code, output);
	}
}

const where = (target: Target) => `${target.host}:${target.port}`;

/** Maps an ssh2 / net error raised while connecting (or while connected) to a RemoteError. */
export function connectionError(error: unknown, target: Target): RemoteError {
	if (error instanceof RemoteError) {
		return error;
	}

	const cause = error instanceof Error ? error : new Error(String(error));
	const {code, level} = cause as Error & {code?: string; level?: string};
	const {host, port, username} = target;
	const options = {cause};
	if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || level === 'client-dns') {
		return new RemoteError(
			'host-not-found',
			`Cannot find the server "${host}": the name does not resolve.`,
			'Check the spelling of the address (or the HostName of the ~/.ssh/config alias), or use its IP address.',
			undefined,
			options,
		);
	}

	if (code === 'ECONNREFUSED') {
		return new RemoteError(
			'connection-refused',
			`Nothing answers on port ${port} of ${host} (connection refused).`,
			`Check the port (after a port change it is the one in lab.yaml) and that sshd runs and listens on ${port}.`,
			undefined,
			options,
		);
	}

	if (code === 'ETIMEDOUT' || level === 'client-timeout') {
		return new RemoteError(
			'timeout',
			`No answer from ${where(target)} in time (${cause.message}).`,
			`Check the address and port, and that the firewalls (the server's and the cloud provider's) let port ${port} through.`,
			undefined,
			options,
		);
	}

	if (level === 'client-authentication' || /authentication methods failed/i.test(cause.message)) {
		return new RemoteError(
			'auth-failed',
			`${host} refused the login of "${username}": the key or password was not accepted.`,
			`Check the user name, then that your public key is in ~${username}/.ssh/authorized_keys on the server ` +
				`(ssh-copy-id -p ${port} ${username}@${host}), or log in with the password.`,
			undefined,
			options,
		);
	}

	if (/passphrase|decrypt/i.test(cause.message)) {
		return new RemoteError(
			'key-passphrase',
			'The private key could not be read: its passphrase is missing or wrong.',
			'Type the passphrase of the key again, or load the key into ssh-agent (ssh-add) and use the agent.',
			undefined,
			options,
		);
	}

	if (/Cannot parse privateKey/i.test(cause.message)) {
		return new RemoteError(
			'key-invalid',
			`The private key could not be read (${cause.message.replace(/^Cannot parse privateKey: /i, '')}).`,
			'Use a private key file made by ssh-keygen (ed25519, ecdsa or rsa), not the .pub file.',
			undefined,
			options,
		);
	}

	return new RemoteError(
		'unreachable',
		`Cannot talk to ${where(target)}: ${cause.message}.`,
		`Check that ${host} is up and that port ${port} is its SSH port.`,
		undefined,
		options,
	);
}

/** Where the trusted key came from: a known_hosts line, or the fingerprint pinned in lab.yaml. */
export type TrustedKeySource = {readonly file: string; readonly line: number} | {readonly pinned: string};

/** The offered host key differs from the trusted one: stop, and name the risk. */
export function hostKeyChanged(target: Target, offered: string, trusted: TrustedKeySource): RemoteError {
	const entry = target.port === 22 ? target.host : `'[${target.host}]:${target.port}'`;
	const source = 'pinned' in trusted ? `the key pinned in lab.yaml (${trusted.pinned})` : `the key in ${trusted.file} line ${trusted.line}`;
	const fix =
		'pinned' in trusted
			? 'update the pinned fingerprint in lab.yaml'
			: `remove the old key with \`ssh-keygen -R ${entry}\`, run labbox again`;
	return new RemoteError(
		'host-key-changed',
		`The host key of ${where(target)} has CHANGED (now ${offered}); it differs from ${source}. ` +
			'Someone may be intercepting the connection (man-in-the-middle), or the server was reinstalled.',
		`Only if you know the server was reinstalled: ${fix} and compare the new fingerprint with the one ` +
			'your provider shows.',
	);
}

/** An unknown host key that the user (or `--yes` without a pinned key) did not accept. */
export function hostKeyUntrusted(target: Target, offered: string): RemoteError {
	return new RemoteError(
		'host-key-untrusted',
		`The host key of ${where(target)} (${offered}) is not known, and it was not accepted.`,
		'Compare the fingerprint with the one your provider shows, then accept it, or pin it in lab.yaml.',
	);
}

/** The connection dropped and the one reconnect attempt failed. */
export function connectionLost(target: Target, cause: unknown): RemoteError {
	const reason = cause instanceof Error ? cause.message : String(cause);
	return new RemoteError(
		'connection-lost',
		`The connection to ${where(target)} was lost and could not be re-established (${reason}).`,
		'Check the network and that the server is up, then continue with `labbox --resume`.',
		undefined,
		{cause},
	);
}

/** Recognises sudo's own refusals in a failed command's stderr; undefined when the command itself failed. */
export function sudoError(stderr: string, code: number, target: Target): RemoteError | undefined {
	const {username, host} = target;
	if (/is not in the sudoers file|is not allowed to (run|execute)|may not run sudo/i.test(stderr)) {
		return new RemoteError(
			'sudo-not-allowed',
			`"${username}" may not use sudo on ${host}.`,
			`As root on the server, add the user to the sudo group (usermod -aG sudo ${username}), or connect as root.`,
		);
	}

	if (/incorrect password attempt|Sorry, try again/i.test(stderr)) {
		return new RemoteError(
			'sudo-password',
			`sudo on ${host} refused the password of "${username}".`,
			`Type the sudo password again: it is the login password of "${username}" on the server.`,
		);
	}

	if (/sudo: a (password|terminal) is required/i.test(stderr)) {
		return new RemoteError(
			'sudo-password-needed',
			`"${username}" needs a password to use sudo on ${host}.`,
			'Give the sudo password when asked, or allow passwordless sudo for this user.',
		);
	}

	if (code === 127 && /sudo: (command )?not found/i.test(stderr)) {
		return new RemoteError(
			'sudo-missing',
			`sudo is not installed on ${host}, and "${username}" is not root.`,
			'Connect as root, or install sudo on the server and add the user to the sudo group.',
		);
	}

	return undefined;
}

/** A command stopped by the AbortSignal (Ctrl-C); `name` is `AbortError` as for fetch and execa. */
export function abortError(reason: unknown): RemoteError {
	const error = new RemoteError('aborted', 'The remote command was aborted.', undefined, undefined, {cause: reason});
	error.name = 'AbortError';
	return error;
}
