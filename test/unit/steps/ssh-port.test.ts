import {describe, expect, it} from 'vitest';
import {toShell} from '../../../source/remote/command.js';
import {decideSshPort, portHolders, type SshPortFacts} from '../../../steps/ssh-port/decide.js';
import {
	armRevert,
	clearRevert,
	disarmRevert,
	restartSshd,
	revertNow,
	revertScriptText,
	socketConfig,
	sshdConfig,
} from '../../../steps/ssh-port/files.js';
import {socketPorts} from '../../../steps/ssh-port/index.js';

describe('ssh-port files', () => {
	it('lists every port for sshd and for ssh.socket (after resetting its addresses)', () => {
		expect(sshdConfig([22, 2222])).toBe('# Written by labbox (ssh-port step): the ports sshd listens on.\nPort 22\nPort 2222\n');
		expect(socketConfig([2222])).toBe(
			'# Written by labbox (ssh-port step): ssh.socket listens on these ports only.\n[Socket]\nListenStream=\nListenStream=2222\n',
		);
	});

	it('reverts a service-started sshd to no drop-in', () => {
		expect(revertScriptText({}, 'service', 'ssh.service')).toBe(
			[
				'#!/bin/sh',
				'# Written by labbox: undoes an SSH port change that the laptop could not confirm.',
				'rm -f /etc/ssh/sshd_config.d/10-labbox-port.conf',
				'systemctl restart ssh.service',
				'rm -f /usr/local/sbin/labbox-ssh-revert',
				'',
			].join('\n'),
		);
	});

	it('reverts a socket-started sshd to the previous drop-ins, then reloads systemd', () => {
		const script = revertScriptText({sshd: 'Port 22\nPort 2222', socket: undefined}, 'socket', 'ssh.socket');
		expect(script).toContain("cat > /etc/ssh/sshd_config.d/10-labbox-port.conf <<'LABBOX_EOF'\nPort 22\nPort 2222\nLABBOX_EOF");
		expect(script).toContain('rm -f /etc/systemd/system/ssh.socket.d/zz-labbox-port.conf');
		expect(script).toContain('systemctl daemon-reload\nsystemctl restart ssh.socket');
	});
});

describe('ssh-port facts', () => {
	it('reads the ports ssh.socket listens on', () => {
		expect(socketPorts('[::]:22 (Stream)\n0.0.0.0:2222 (Stream)\n')).toEqual([22, 2222]);
		expect(socketPorts('')).toEqual([]);
	});

	it('names the programs holding a port', () => {
		expect(portHolders('LISTEN 0 511 0.0.0.0:2222 0.0.0.0:* users:(("nginx",pid=812,fd=6),("nginx",pid=811,fd=6))')).toEqual(['nginx']);
	});
});

describe('ssh-port revert commands', () => {
	it('arms the revert as a systemd timer, disarms it once confirmed', () => {
		expect(toShell(armRevert())).toBe('systemd-run --unit=labbox-ssh-revert --on-active=120 /bin/sh /usr/local/sbin/labbox-ssh-revert');
		expect(toShell(disarmRevert())).toBe("sh -c 'systemctl stop labbox-ssh-revert.timer ; rm -f /usr/local/sbin/labbox-ssh-revert'");
		expect(toShell(clearRevert())).toBe(
			"sh -c 'systemctl stop labbox-ssh-revert.timer labbox-ssh-revert.service 2>/dev/null ; systemctl reset-failed labbox-ssh-revert.timer labbox-ssh-revert.service 2>/dev/null ; true'",
		);
		expect(toShell(restartSshd('socket', 'ssh.socket'))).toBe('systemctl daemon-reload && systemctl restart ssh.socket');
		expect(toShell(restartSshd('service', 'ssh.service'))).toBe('systemctl restart ssh.service');
	});

	it('reverts at once: stops the timer, lets a running revert finish, runs the script only if it is still there', () => {
		expect(toShell(revertNow())).toBe(
			"sh -c 'systemctl stop labbox-ssh-revert.timer 2>/dev/null ; for _ in $(seq 50); do systemctl --quiet is-active labbox-ssh-revert.service || break ; sleep 0.2 ; done ; if test -e /usr/local/sbin/labbox-ssh-revert ; then /bin/sh /usr/local/sbin/labbox-ssh-revert ; fi'",
		);
	});
});

describe('ssh-port decision', () => {
	// After `labbox run connect ssh-port` moved sshd to 2222 beside 22, connected on 22.
	const moved: SshPortFacts = {
		start: {mode: 'service', unit: 'ssh.service'},
		listening: [22, 2222],
		port: 2222,
		closeOld: false,
		connectedOn: 2222,
		firewall: 'none',
		revert: false,
	};

	it('is done when sshd listens on the wanted ports and nothing is pending', () => {
		expect(decideSshPort(moved)).toEqual({status: 'done', detail: 'sshd listens on 22, 2222'});
	});

	// Issue 9 item 1: killed after the restart on 2222 and before the disarm, the ports look right, but the server
	// will undo them by itself: not done.
	it('is todo while a revert is armed, though sshd listens on the wanted ports, and the plan says so', () => {
		expect(decideSshPort({...moved, connectedOn: 22, revert: {script: true, armed: true, running: false}})).toEqual({
			status: 'todo',
			changes: [
				'undo the SSH port change an interrupted run left unconfirmed (labbox-ssh-revert.timer is armed to undo it by itself)',
				'move sshd to 22 and 2222 again and prove port 2222 by a login from here',
			],
		});
	});

	it.each([
		[{script: true, armed: false, running: false}, 'its revert is still on the server'],
		[{script: true, armed: true, running: true}, 'the server is undoing it now'],
		[{script: false, armed: false, running: true}, 'the server is undoing it now'],
	])('is todo for any pending revert (%j): %s', (revert, why) => {
		const check = decideSshPort({...moved, revert});
		expect(check.status === 'todo' && check.changes[0]).toBe(`undo the SSH port change an interrupted run left unconfirmed (${why})`);
	});

	it('plans the move, and the firewall', () => {
		expect(decideSshPort({...moved, listening: [22], connectedOn: 22, firewall: 'ufw'})).toEqual({
			status: 'todo',
			changes: ['sshd listens on 22 and 2222 (now 22), started by ssh.service', 'open 2222/tcp in ufw'],
		});
	});

	it('is blocked on the web ports and on a port another program holds', () => {
		expect(decideSshPort({...moved, port: 443}).status).toBe('blocked');
		expect(
			decideSshPort({...moved, listening: [22], port: 2225, holders: 'LISTEN 0 5 0.0.0.0:2225 0.0.0.0:* users:(("python3",pid=9,fd=3))'}),
		).toMatchObject({
			status: 'blocked',
			reason: 'Port 2225 is already used on the server by python3',
		});
	});
});
