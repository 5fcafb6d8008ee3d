import {describe, expect, it} from 'vitest';
import {revertScriptText, socketConfig, sshdConfig} from '../../../steps/ssh-port/files.js';
import {portHolders, socketPorts} from '../../../steps/ssh-port/index.js';

describe('ssh-port files', () => {
	it('lists every port for sshd and for ssh.socket (after resetting its addresses)', () => {
		expect(sshdConfig([22, 2222])).toBe('# Written by labbox (ssh-port step): the ports sshd listens on.\nPort 22\nPort 2222\n');
		expect(socketConfig([2222])).toBe('# Written by labbox (ssh-port step): ssh.socket listens on these ports only.\n[Socket]\nListenStream=\nListenStream=2222\n');
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
