import {expect, it} from 'vitest';
import {toShell} from '../../../../source/remote/command.js';
import * as systemctl from '../../../../source/remote/commands/systemctl.js';

it('isActive', () => {
	expect(toShell(systemctl.isActive('docker'))).toBe('systemctl is-active docker');
});

it('isEnabled', () => {
	expect(toShell(systemctl.isEnabled('ssh.socket'))).toBe('systemctl is-enabled ssh.socket');
});

it('enable', () => {
	expect(toShell(systemctl.enable('docker', {now: true}))).toBe('systemctl enable --now docker');
});

it('disable', () => {
	expect(toShell(systemctl.disable('ssh.socket'))).toBe('systemctl disable ssh.socket');
});

it('start', () => {
	expect(toShell(systemctl.start('docker'))).toBe('systemctl start docker');
});

it('stop', () => {
	expect(toShell(systemctl.stop('docker'))).toBe('systemctl stop docker');
});

it('restart', () => {
	expect(toShell(systemctl.restart('ssh.socket'))).toBe('systemctl restart ssh.socket');
});

it('reload', () => {
	expect(toShell(systemctl.reload('ssh'))).toBe('systemctl reload ssh');
});

it('daemonReload', () => {
	expect(toShell(systemctl.daemonReload())).toBe('systemctl daemon-reload');
});
