/**
 * Domain errors of the remote layer: ssh2, net and sudo failures mapped to messages that name what happened
 * and, in the hint, what to do next (np, kamal). Every message is free of secrets.
 */
import {StepError} from '../engine/types.js';
import {quote, toShell, type Command} from './command.js';
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
		options?: {readonly cause?: unknown; readonly usage?: boolean; readonly question?: string},
	) {
		super(message, hint, output, {usage: options?.usage, question: options?.question});
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
export function assertSuccess(command: Command, result: {readonly code: number; readonly stdout: string; readonly stderr: string}): void {
	if (result.code !== 0) {
		const output = lastLines(`${result.stdout}\n${result.stderr}`);
		throw new CommandFailedError(toShell(command, {redact: true}), result.code, output);
	}
}

const where = (target: Target) => `${target.host}:${target.port}`;

const networkKinds: ReadonlySet<RemoteErrorKind> = new Set([
	'host-not-found',
	'connection-refused',
	'timeout',
	'unreachable',
	'connection-lost',
]);

/** The server could not be reached (address, port, firewall, network): not a refused login or a changed key. */
export function isNetworkFailure(error: unknown): boolean {
	return error instanceof RemoteError && networkKinds.has(error.kind);
}

/**
 * The fix to show for a failure met while doing something else (proving the new SSH port, reconnecting): the
 * error's own hint, unless the network is at fault, where the caller's `networkFix` (open a firewall, check
 * the network) fits. A changed host key on the new port is no firewall problem (issue 10 item 8).
 */
export function fixFor(error: unknown, networkFix: string): string {
	const own = error instanceof StepError ? error.hint : undefined;
	return own !== undefined && !isNetworkFailure(error) ? own : networkFix;
}

/**
 * Maps an ssh2 / net error raised while connecting (or while connected) to a RemoteError. `reached`: the TCP
 * connection was made, so a timeout means something answers on the port that is not (or no longer) sshd.
 */
export function connectionError(error: unknown, target: Target, reached = false): RemoteError {
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
			// The wizard asks the port to connect on (issue 10 item 11): the user's sshd may listen elsewhere.
			{...options, question: 'server.port'},
		);
	}

	if (level === 'client-timeout' && reached) {
		return new RemoteError(
			'timeout',
			`${where(target)} took the connection, but no SSH server answered there (${cause.message}).`,
			`Check that ${port} is the SSH port of ${host} (another program may listen on it), and that no firewall or proxy in between holds the connection.`,
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

/** Where the trusted key came from: a known_hosts line, the fingerprint pinned in lab.yaml, or the user's yes a moment ago. */
export type TrustedKeySource = {readonly file: string; readonly line: number} | {readonly pinned: string} | {readonly accepted: string};

/** How known_hosts names the host on a port, quoted for a shell when it has brackets: `HOST`, `'[HOST]:2222'`. */
function knownHostsName(host: string, port: number): string {
	return port === 22 ? host : quote(`[${host}]:${port}`);
}

/**
 * The offered host key differs from the trusted one: stop, and name the risk. `stalePorts`: every port the lab
 * uses whose known_hosts entry holds another key; each needs its own `ssh-keygen -R`, or the next step trips
 * on the one left over (issue 10 item 8). A known_hosts source always names the target's own entry.
 */
export function hostKeyChanged(
	target: Target,
	offered: string,
	trusted: TrustedKeySource,
	stalePorts: readonly number[] = [],
): RemoteError {
	const source =
		'pinned' in trusted
			? `the key pinned in lab.yaml (${trusted.pinned})`
			: 'accepted' in trusted
				? `the key accepted a moment ago (${trusted.accepted})`
				: `the key in ${trusted.file} line ${trusted.line}`;
	const ports = 'file' in trusted && !stalePorts.includes(target.port) ? [target.port, ...stalePorts] : stalePorts;
	const removals = ports.map(port => `\`ssh-keygen -R ${knownHostsName(target.host, port)}\``);
	const remove =
		removals.length === 0 ? undefined : `remove the old ${removals.length === 1 ? 'key' : 'keys'} with ${removals.join(' and ')}`;
	const fix = [
		...('pinned' in trusted ? ['update the pinned fingerprint in lab.yaml (server.hostKey)'] : []),
		...(remove ? [remove] : []),
	].join(', ');
	const hint =
		'accepted' in trusted
			? 'Run labbox again; if the key keeps changing, do not trust this network.'
			: `Only if you know the server was reinstalled: ${fix || 'remove the old key'}, run labbox again and compare the new fingerprint with the one ` +
				'your provider shows.';
	return new RemoteError(
		'host-key-changed',
		`The host key of ${where(target)} has CHANGED (now ${offered}); it differs from ${source}. ` +
			'Someone may be intercepting the connection (man-in-the-middle), or the server was reinstalled.',
		hint,
	);
}

/**
 * An unknown host key that the user (or `--yes` without a pinned key) did not accept. The run ends there: it is
 * the user's decision (exit 2), and the fix says how to trust the key without being asked (issue 10 item 2).
 */
export function hostKeyUntrusted(target: Target, offered: string, asked = true): RemoteError {
	// Not asked (--yes, no terminal): the same usage exit and key to pin as a "no" (issue 9 gap 2, issue 10 item 2).
	return new RemoteError(
		'host-key-untrusted',
		asked
			? `The host key of ${where(target)} (${offered}) is not known, and it was not accepted.`
			: `The host key of ${where(target)} (${offered}) is not known, and labbox cannot ask whether to trust it (running with --yes or without a terminal).`,
		'Compare the fingerprint with the one your provider shows (or `ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub` on the server). ' +
			(asked
				? `If it is the same, run labbox again and accept it, or pin it in lab.yaml: \`server.hostKey: ${offered}\`.`
				: `If it is the same, pin it in lab.yaml: \`server.hostKey: ${offered}\` (or --server-host-key / LABBOX_SERVER_HOST_KEY), or run labbox in a terminal without --yes and accept it.`),
		undefined,
		{usage: true},
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
