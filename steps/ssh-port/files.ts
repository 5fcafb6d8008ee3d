/**
 * What the ssh-port step writes on the server, as pure functions: the sshd and ssh.socket drop-ins for a
 * set of ports, and the revert script an armed timer runs if the laptop cannot come back on the new port.
 */
import {quote} from '../../source/remote/command.js';

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
