/**
 * Becoming root: directly when logged in as root, else `sudo -n` (passwordless) or `sudo -S -k -p ''` with the
 * password as the first line of stdin (no pty needed, nothing in the command line, so never in a log).
 */
import {raw, shell, type Command} from './command.js';

/** How this session becomes root, found once by probing (`Session.sudoMode`). */
export type SudoMode = 'root' | 'nopasswd' | 'password';

/** A command wrapped to run as root, and the stdin prefix it needs. */
export interface AsRoot {
	readonly command: Command;
	/** Sent before the caller's stdin: the password line, or nothing. Secret: never log it. */
	readonly stdinPrefix?: string;
}

/**
 * Wraps a command so that it runs as root in the given mode (the whole compound command, via sh -c). `tag`
 * becomes the inner shell's `$0`, so `stopTagged` can find the command again.
 */
export function asRoot(command: Command, mode: SudoMode, password?: string, tag = 'sh'): AsRoot {
	switch (mode) {
		case 'root': {
			return {command};
		}

		case 'nopasswd': {
			return {command: ['sudo', '-n', '--', ...shell(command, tag)]};
		}

		case 'password': {
			// -k: always read the password, so the password line is consumed and never reaches the command's stdin.
			return {command: ['sudo', '-S', '-k', '-p', '', '--', ...shell(command, tag)], stdinPrefix: `${password ?? ''}\n`};
		}
	}
}

// `[x]yz` matches the tagged processes but not this script's own command line, which holds `[x]yz`.
const killTaggedGroups =
	'for pid in $(pgrep -f "$1"); do g=$(ps -o pgid= -p "$pid" | tr -d " "); [ -n "$g" ] && kill -TERM "-$g"; done; true';

/**
 * Stops a tagged root command and its children (run it as root). Why: sshd delivers an SSH "signal" as the
 * login user, who may not signal root's processes, so an aborted sudo command would run on.
 */
export function stopTagged(tag: string): Command {
	return shell([raw(killTaggedGroups)], 'sh', `[${tag[0]}]${tag.slice(1)}`);
}
