/**
 * Becoming root: directly when logged in as root, else `sudo -n` (passwordless) or `sudo -S -k -p ''` with the
 * password as the first line of stdin (no pty needed, nothing in the command line, so never in a log).
 */
import {shell, type Command} from './command.js';

/** How this session becomes root, found once by probing (`Session.sudoMode`). */
export type SudoMode = 'root' | 'nopasswd' | 'password';

/** A command wrapped to run as root, and the stdin prefix it needs. */
export interface AsRoot {
	readonly command: Command;
	/** Sent before the caller's stdin: the password line, or nothing. Secret: never log it. */
	readonly stdinPrefix?: string;
}

/** Wraps a command so that it runs as root in the given mode (the whole compound command, via sh -c). */
export function asRoot(command: Command, mode: SudoMode, password?: string): AsRoot {
	switch (mode) {
		case 'root': {
			return {command};
		}

		case 'nopasswd': {
			return {command: ['sudo', '-n', '--', ...shell(command)]};
		}

		case 'password': {
			// -k: always read the password, so the password line is consumed and never reaches the command's stdin.
			return {command: ['sudo', '-S', '-k', '-p', '', '--', ...shell(command)], stdinPrefix: `${password ?? ''}\n`};
		}
	}
}
