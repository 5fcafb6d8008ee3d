import {expect, it} from 'vitest';
import {toShell} from '../../../../source/remote/command.js';
import * as files from '../../../../source/remote/commands/files.js';

it('makeDirectory', () => {
	expect(toShell(files.makeDirectory('/srv/lab/homes'))).toBe('mkdir -p /srv/lab/homes');
});

it('chmod', () => {
	expect(toShell(files.chmod('0700', '/srv/lab/data'))).toBe('chmod 0700 /srv/lab/data');
});

it('chown', () => {
	expect(toShell(files.chown('1000:100', '/srv/lab/homes/ada'))).toBe('chown 1000:100 /srv/lab/homes/ada');
});

it('stat', () => {
	expect(toShell(files.stat('/srv/lab'))).toBe("stat -c '%a %u %g %F' /srv/lab");
	expect(toShell(files.stat(['/srv/lab', '/srv/lab/data'], '%n'))).toBe('stat -c %n /srv/lab /srv/lab/data');
});

it('sha256sum', () => {
	expect(toShell(files.sha256sum('/srv/lab/compose.yaml'))).toBe('sha256sum /srv/lab/compose.yaml');
});

it('exists', () => {
	expect(toShell(files.exists('/srv/lab'))).toBe('test -e /srv/lab');
});

it('isDirectory', () => {
	expect(toShell(files.isDirectory('/srv/lab'))).toBe('test -d /srv/lab');
});

it('readFile', () => {
	expect(toShell(files.readFile('/etc/os-release'))).toBe('cat /etc/os-release');
});

it('removeFile', () => {
	expect(toShell(files.removeFile('/tmp/x'))).toBe('rm -f /tmp/x');
});

it('move', () => {
	expect(toShell(files.move('/srv/lab/.env.tmp', '/srv/lab/.env'))).toBe('mv -f /srv/lab/.env.tmp /srv/lab/.env');
});
