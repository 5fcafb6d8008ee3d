/**
 * What the ssh-port step writes on the server, as pure functions: the sshd and ssh.socket drop-ins for a
 * set of ports, and the revert script an armed timer runs if the laptop cannot come back on the new port.
 */
import {quote, raw, shell, type Command} from '../../source/remote/command.js';

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

/** Puts a file back as it was: its old content, or no file. */
function restore(path: string, previous: string | undefined): string {
	if (previous === undefined) {
		return `rm -f ${quote(path)}`;
	}
	return `cat > ${quote(path)} <<'LABBOX_EOF'\n${previous.replace(/\n?$/, '\n')}LABBOX_EOF`;
}

/** The revert script: restores both drop-ins as they were before, then restarts whatever starts sshd. */
export function revertScriptText(previous: {sshd?: string; socket?: string}, mode: 'socket' | 'service', unit: string): string {
	const restart = mode === 'socket' ? `systemctl daemon-reload\nsystemctl restart ssh.socket` : `systemctl restart ${quote(unit)}`;
	return [
		'#!/bin/sh',
		'# Written by labbox: undoes an SSH port change that the laptop could not confirm.',
		restore(sshdDropIn, previous.sshd),
		...(mode === 'socket' ? [restore(socketDropIn, previous.socket)] : []),
		restart,
		`rm -f ${quote(revertScript)}`,
		'',
	].join('\n');
}

/** Clears what an earlier revert left (a stopped or failed unit of the same name), so the timer can be armed again. */
export function clearRevert(): Command {
	return shell([raw(`systemctl stop ${revertUnit}.timer ${revertUnit}.service 2>/dev/null; systemctl reset-failed ${revertUnit}.service ${revertUnit}.timer 2>/dev/null; true`)]);
}

/** Arms the revert: the server runs the script by itself in `revertAfterSeconds` unless labbox disarms it. */
export function armRevert(): Command {
	return ['systemd-run', `--unit=${revertUnit}`, `--on-active=${revertAfterSeconds}`, '/bin/sh', revertScript];
}

/** Disarms the revert once the new port is proven: the change is confirmed. */
export function disarmRevert(): Command {
	return shell([raw(`systemctl stop ${revertUnit}.timer; rm -f ${revertScript}`)]);
}

/**
 * Undoes an unconfirmed change at once (issue 9 item 1): stops the timer, lets a revert it already started
 * finish (10 s at most), then runs the script if it is still there (it removes itself; gone: nothing to undo).
 */
export function revertNow(): Command {
	return shell([
		raw(
			`systemctl stop ${revertUnit}.timer 2>/dev/null; for i in $(seq 50); do systemctl -q is-active ${revertUnit}.service || break; sleep 0.2; done; if [ -e ${revertScript} ]; then /bin/sh ${revertScript}; fi`,
		),
	]);
}
