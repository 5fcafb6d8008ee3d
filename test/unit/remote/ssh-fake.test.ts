import {expect, it} from 'vitest';
import {gatherFacts} from '../../../source/remote/facts/gather.js';
import {arch, cpus} from '../../../source/remote/facts/hardware.js';
import {FakeShell, gatheredReply} from '../../helpers/ssh-fake.js';

it('answers from its table, succeeds by default and records the calls', async () => {
	const lines: string[] = [];
	const shell = new FakeShell([
		['systemctl is-active docker', {code: 3, stdout: 'inactive\n'}],
		[/^cat /, command => ({stdout: `${command}\n`})],
	]);
	expect(await shell.exec(['systemctl', 'is-active', 'docker'], {onLine: line => lines.push(line)})).toEqual({
		code: 3,
		stdout: 'inactive\n',
		stderr: '',
	});
	expect((await shell.run(['cat', '/etc/hostname'])).stdout).toBe('cat /etc/hostname\n');
	expect((await shell.run(['true'], {sudo: true})).code).toBe(0);
	await expect(shell.run(['systemctl', 'is-active', 'docker'])).rejects.toMatchObject({kind: 'command-failed', code: 3});
	expect(lines).toEqual(['inactive']);
	expect(shell.calls[2]).toEqual({command: 'true', sudo: true, stdin: ''});
});

it('fakes a facts round-trip and an upload', async () => {
	const shell = new FakeShell([[/@@labbox-fact/, gatheredReply({arch: 'x86_64\n', cpus: '4\n'})]]);
	expect(await gatherFacts(shell, {arch, cpus})).toEqual({arch: 'x86_64', cpus: 4});
	await shell.upload('/srv/lab/.env', 'A=1\n', {mode: '0600', sudo: true});
	expect(shell.calls.at(-1)).toMatchObject({
		sudo: true,
		stdin: 'A=1\n',
		command: expect.stringMatching(/chmod 0600 \/srv\/lab\/\.env\.labbox-\w+ /),
	});
});
