/**
 * An in-process SSH server on 127.0.0.1 for session tests: a generated host key, password and public key
 * logins, sudo emulated as Debian's sudo answers (-n, -S with the password on stdin), and every other
 * command run by the local `sh` (tests only run harmless commands in temporary folders).
 */
import {spawn} from 'node:child_process';
import type {AddressInfo, Socket} from 'node:net';
import ssh2, {type Connection, type ServerChannel} from 'ssh2';
import {afterAll, beforeAll} from 'vitest';
import type {HostKey} from '../../source/remote/known-hosts.js';
import {makeKeyPair} from './ssh-keys.js';

/** How the fake server's sudo behaves for a (non-root) user. */
export type FakeSudo = 'nopasswd' | 'password' | 'denied';

/** One account of the fake server. */
export interface FakeUser {
	readonly password?: string;
	readonly publicKey?: HostKey;
	readonly sudo?: FakeSudo;
}

/** A running fake server. */
export interface FakeSshServer {
	readonly port: number;
	readonly hostKey: HostKey;
	/** Every exec request, exactly as received. */
	readonly commands: string[];
	/** How many logins succeeded so far (one per authenticated connection). */
	readonly logins: number;
	/** Cuts every open connection, as a network failure would. */
	dropConnections(): void;
	/** Stops reading from every open connection: the server looks dead (keepalives go unanswered). */
	stall(): void;
	close(): Promise<void>;
}

/** A command the fake ends without an exit status (as sshd may when a session is torn down). */
export const noExitStatus = 'labbox-test-no-exit-status';

const sudoPrefix = {
	nopasswd: 'sudo -n -- ',
	password: "sudo -S -k -p '' -- ",
} as const;

/** Starts the server; `close()` it in afterAll. */
export async function startSshServer(users: Readonly<Record<string, FakeUser>>): Promise<FakeSshServer> {
	const {privateKey, publicKey} = makeKeyPair();
	const connections = new Set<Connection>();
	const commands: string[] = [];
	let logins = 0;
	const server = new ssh2.Server({hostKeys: [privateKey]}, client => {
		connections.add(client);
		let user: FakeUser | undefined;
		let username = '';
		client.on('error', () => undefined);
		client.on('close', () => connections.delete(client));
		client.on('authentication', context => {
			const account = users[context.username];
			const accepted =
				account !== undefined &&
				((context.method === 'password' && account.password === context.password) ||
					(context.method === 'publickey' &&
						account.publicKey !== undefined &&
						context.key.data.equals(account.publicKey.blob) &&
						(!context.signature || verifies(account.publicKey, context.blob!, context.signature, context.hashAlgo))));
			if (accepted) {
				user = account;
				username = context.username;
				context.accept();
			} else {
				context.reject(['password', 'publickey']);
			}
		});
		client.on('ready', () => logins++);
		client.on('session', acceptSession => {
			const session = acceptSession();
			// ssh2's Server drops "signal" requests once exec started: a closed channel kills the command instead.
			let running: ReturnType<typeof spawn> | undefined;
			session.on('exec', (accept, _reject, info) => {
				commands.push(info.command);
				const channel = accept();
				const input: Buffer[] = [];
				channel.on('data', (chunk: Buffer) => input.push(chunk));
				channel.on('end', () => {
					running = execute(info.command, Buffer.concat(input), channel, username, user!);
					channel.on('close', () => running?.kill('SIGKILL'));
				});
			});
		});
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	return {
		port: (server.address() as AddressInfo).port,
		hostKey: publicKey,
		commands,
		get logins() {
			return logins;
		},
		dropConnections() {
			for (const connection of connections) {
				socketOf(connection).destroy();
			}
		},
		stall() {
			for (const connection of connections) {
				socketOf(connection).pause();
			}
		},
		async close() {
			for (const connection of connections) {
				connection.end();
				socketOf(connection).destroy();
			}

			await new Promise<void>(resolve => server.close(() => resolve()));
		},
	};
}

// ssh2 keeps a connection's socket private; the tests need it to fake network failures.
function socketOf(connection: Connection): Socket {
	return (connection as unknown as {_sock: Socket})._sock;
}

function verifies(key: HostKey, blob: Buffer, signature: Buffer, hashAlgo?: string): boolean {
	const parsed = ssh2.utils.parseKey(Buffer.from(`${key.type} ${key.blob.toString('base64')}`));
	return !(parsed instanceof Error) && parsed.verify(blob, signature, hashAlgo) === true;
}

function finish(channel: ServerChannel, code: number, stderr = ''): undefined {
	channel.stderr.write(stderr);
	channel.exit(code);
	channel.end();
	return undefined;
}

// Answers like Debian's sudo, then runs the rest as the local sh would.
function execute(command: string, input: Buffer, channel: ServerChannel, username: string, user: FakeUser) {
	if (command === noExitStatus) {
		channel.end();
		return undefined;
	}

	let stdin = input;
	let rest = command;
	if (command.startsWith(sudoPrefix.nopasswd)) {
		rest = command.slice(sudoPrefix.nopasswd.length);
		if (user.sudo !== 'nopasswd') {
			return finish(channel, 1, 'sudo: a password is required\n');
		}
	} else if (command.startsWith(sudoPrefix.password)) {
		rest = command.slice(sudoPrefix.password.length);
		// Like sudo: with NOPASSWD the password line is not read, and would reach the command's stdin.
		const newline = user.sudo === 'nopasswd' ? -1 : input.indexOf('\n');
		const typed = input.subarray(0, newline).toString();
		stdin = input.subarray(newline + 1);
		if (user.sudo !== 'nopasswd' && typed !== user.password) {
			return finish(channel, 1, 'Sorry, try again.\nsudo: 1 incorrect password attempt\n');
		}

		if (user.sudo === 'denied') {
			return finish(channel, 1, `${username} is not in the sudoers file.\n`);
		}
	}

	// Its own process group, like a command under sshd: a group kill must never reach the test runner.
	const child = spawn('sh', ['-c', rest], {stdio: 'pipe', detached: true});
	child.stdout.on('data', (chunk: Buffer) => channel.write(chunk));
	child.stderr.on('data', (chunk: Buffer) => channel.stderr.write(chunk));
	child.on('close', (code, signal) => {
		if (signal) {
			channel.exit(signal.replace(/^SIG/, ''), false, '');
		} else {
			channel.exit(code ?? 1);
		}

		channel.end();
	});
	child.stdin.on('error', () => undefined);
	child.stdin.end(stdin);
	return child;
}

/** A fake SSH server for a test file: started before its tests, closed after them. */
export function startedSshServer(users: Readonly<Record<string, FakeUser>>): () => FakeSshServer {
	let server: FakeSshServer | undefined;
	beforeAll(async () => {
		server = await startSshServer(users);
	});
	afterAll(async () => {
		await server?.close();
	});
	return () => server!;
}
