import {readFile} from 'node:fs/promises';
import {Client} from 'ssh2';
import type {ServerEntry} from './server.js';

export interface RunResult {
	stdout: string;
	stderr: string;
	code: number | null;
}

/** The raw key blob of an OpenSSH public key line (`ssh-ed25519 AAAA... comment`). */
function keyBlob(line: string): Buffer {
	return Buffer.from(line.trim().split(/\s+/)[1] ?? '', 'base64');
}

/**
 * Runs one command over SSH on a world server as `user`, verifying the host key against the one
 * the world read from the server (ssh2 would accept any host key otherwise).
 */
export async function sshRun(
	server: Pick<ServerEntry, 'host' | 'port' | 'hostKey' | 'users'>,
	user: 'root' | 'researcher',
	command: string,
	{input, hostKey = server.hostKey}: {input?: string; hostKey?: string} = {},
): Promise<RunResult> {
	const account = server.users[user];
	const privateKey = await readFile(account.keyPath);
	const expected = keyBlob(hostKey);
	return new Promise((resolve, reject) => {
		const client = new Client();
		client.on('error', reject);
		client.on('ready', () => {
			client.exec(command, (error, stream) => {
				if (error) {
					client.end();
					reject(error);
					return;
				}
				let stdout = '';
				let stderr = '';
				stream.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
				stream.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
				stream.on('close', (code: number | null) => {
					client.end();
					resolve({stdout, stderr, code});
				});
				stream.end(input);
			});
		});
		client.connect({
			host: server.host,
			port: server.port,
			username: account.user,
			privateKey,
			readyTimeout: 20_000,
			hostVerifier: (key: Buffer) => key.equals(expected),
		});
	});
}
