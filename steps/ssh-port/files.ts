/**
 * What the ssh-port step writes on the server, as pure functions: the sshd and ssh.socket drop-ins for a
 * set of ports, and the revert script an armed timer runs if the laptop cannot come back on the new port.
 */
import {any, chain, combine, ifThen, quiet, raw, repeat, shell, toShell, write, type Command} from '../../source/remote/command.js';
import {exists, removeFile} from '../../source/remote/commands/files.js';
import {daemonReload, restart, stop} from '../../source/remote/commands/systemctl.js';

export const sshdDropIn = '/etc/ssh/sshd_config.d/10-labbox-port.conf';
// Sorted after the `addresses.conf` Ubuntu's generator writes, so our reset (`ListenStream=`) wins.
export const socketDropIn = '/etc/systemd/system/ssh.socket.d/zz-labbox-port.conf';
export const revertScript = '/usr/local/sbin/labbox-ssh-revert';
export const revertUnit = 'labbox-ssh-revert';
/** How long the server waits for the laptop to prove the new port before it undoes the change. */
export const revertAfterSeconds = 120;

export function sshdConfig(ports: readonly number[]): string {
	return `# Written by labbox (ssh-port step): the ports sshd listens on.\n${ports.map(port => `Port ${port}`).join('\n')}\n`;
}

export function socketConfig(ports: readonly number[]): string {
	return `# Written by labbox (ssh-port step): ssh.socket listens on these ports only.\n[Socket]\nListenStream=\n${ports.map(port => `ListenStream=${port}`).join('\n')}\n`;
}

/** Puts a file back as it was: its old content (a here-document), or no file. */
function restore(path: string, previous: string | undefined): string {
	if (previous === undefined) {
		return toShell(removeFile(path));
	}
	return `${toShell([...write(['cat'], path), raw("<<'LABBOX_EOF'")])}\n${previous.replace(/\n?$/, '\n')}LABBOX_EOF`;
}

/** How sshd is restarted: ssh.socket after re-reading units (its drop-in changed), or its service. */
export function restartSshd(mode: 'socket' | 'service', unit: string): Command {
	return mode === 'socket' ? combine(daemonReload(), restart('ssh.socket')) : restart(unit);
}

/** The revert script: restores both drop-ins as they were before, then restarts whatever starts sshd. */
export function revertScriptText(previous: {sshd?: string; socket?: string}, mode: 'socket' | 'service', unit: string): string {
	const restarts = mode === 'socket' ? [daemonReload(), restart('ssh.socket')] : [restart(unit)];
	return [
		'#!/bin/sh',
		'# Written by labbox: undoes an SSH port change that the laptop could not confirm.',
		restore(sshdDropIn, previous.sshd),
		...(mode === 'socket' ? [restore(socketDropIn, previous.socket)] : []),
		...restarts.map(command => toShell(command)),
		toShell(removeFile(revertScript)),
		'',
	].join('\n');
}

/** Clears what an earlier revert left (a stopped or failed unit of the same name), so the timer can be armed again. */
export function clearRevert(): Command {
	const units = [`${revertUnit}.timer`, `${revertUnit}.service`];
	return shell(chain(quiet(['systemctl', 'stop', ...units]), quiet(['systemctl', 'reset-failed', ...units]), ['true']));
}

/** Arms the revert: the server runs the script by itself in `revertAfterSeconds` unless labbox disarms it. */
export function armRevert(): Command {
	return ['systemd-run', `--unit=${revertUnit}`, `--on-active=${revertAfterSeconds}`, '/bin/sh', revertScript];
}

/** Disarms the revert once the new port is proven: the change is confirmed. */
export function disarmRevert(): Command {
	return shell(chain(stop(`${revertUnit}.timer`), removeFile(revertScript)));
}

/**
 * Undoes an unconfirmed change at once (issue 9 item 1): stops the timer, lets a revert it already started
 * finish (10 s at most), then runs the script if it is still there (it removes itself; gone: nothing to undo).
 */
export function revertNow(): Command {
	return shell(
		chain(
			quiet(stop(`${revertUnit}.timer`)),
			repeat(50, chain(any(['systemctl', '--quiet', 'is-active', `${revertUnit}.service`], ['break']), ['sleep', '0.2'])),
			ifThen(exists(revertScript), ['/bin/sh', revertScript]),
		),
	);
}
