/**
 * `labbox ssh [-- COMMAND...]` (issue 13 item 2): a shell on the server for what no command covers. labbox first
 * connects itself (so the host key is checked as for every command), writes the key it verified to
 * `.labbox/known_hosts`, then runs the system `ssh` with the lab's port, user and key and that file only.
 * Exit: ssh's own (0 done, 255 ssh could not connect), 1 labbox could not connect, 2 configuration.
 */
import {spawn} from 'node:child_process';
import path from 'node:path';
import {rm} from 'node:fs/promises';
import {ConfigError} from '../config/resolve.js';
import {openLab} from '../daytwo/lab-connection.js';
import {sshArgs} from '../daytwo/ssh-args.js';
import {sshTarget} from '../remote/lab-session.js';
import {appendKnownHost} from '../remote/known-hosts.js';
import {commandFailed, exitCode, type GlobalFlags, type Io} from './context.js';

export async function sshCommand(
	command: readonly string[],
	flags: GlobalFlags,
	options: Record<string, unknown>,
	io: Io,
): Promise<number> {
	let args: string[];
	try {
		const lab = await openLab('ssh', flags, options, io);
		try {
			const target = await sshTarget(lab.config, lab.paths.dir);
			const {session} = lab.shell;
			const key = session.hostKey;
			if (!key) {
				throw new Error('the server showed no host key');
			}
			const knownHosts = path.join(lab.paths.internal, 'known_hosts');
			await rm(knownHosts, {force: true});
			await appendKnownHost(knownHosts, session.target.host, session.target.port, key);
			args = sshArgs({...target, host: session.target.host, port: session.target.port}, knownHosts, command);
		} finally {
			await lab.close();
		}
	} catch (error) {
		if (error instanceof ConfigError) {
			io.stderr.write(`The configuration needs attention:\n${error.problems.map(item => `  • ${item.message}`).join('\n')}\n`);
			return exitCode.usage;
		}
		return commandFailed(error, io);
	}
	if (command.length === 0) {
		io.stderr.write("A shell on the server (labbox's connection; `sudo -i` for root, `exit` to leave).\n");
	}
	return new Promise(resolve => {
		const child = spawn('ssh', args, {stdio: 'inherit'});
		child.on('error', error => {
			io.stderr.write(`labbox: cannot run ssh: ${error.message}. Install OpenSSH's client (ssh).\n`);
			resolve(exitCode.failed);
		});
		child.on('exit', (code, signal) => resolve(code ?? (signal ? exitCode.interrupted : exitCode.failed)));
	});
}
