import {PassThrough} from 'node:stream';
import {describe, expect, it} from 'vitest';
import {main} from '../../../source/cli/main.js';
import {configFlags} from '../../../source/cli/context.js';
import {tempDir} from '../../helpers/lab-folder.js';

/** Runs `labbox ARGS` in-process, capturing what it writes. */
async function labbox(...argv: string[]) {
	const stdout = new PassThrough();
	const stderr = new PassThrough();
	let out = '';
	let err = '';
	stdout.on('data', chunk => (out += String(chunk)));
	stderr.on('data', chunk => (err += String(chunk)));
	const code = await main(argv, {stdout: stdout as never, stderr: stderr as never, env: {CI: 'true'}, cwd: tempDir()});
	return {code, stdout: out, stderr: err};
}

describe('labbox on the command line', () => {
	it('a mistyped command is named, with the command meant, exit 2 (issue 10 item 12)', async () => {
		const typo = await labbox('stauts');
		expect(typo.code).toBe(2);
		expect(typo.stderr).toContain("labbox: unknown command 'stauts'. Did you mean 'status'?");
		expect(typo.stderr).not.toContain('too many arguments');
		const unknown = await labbox('logs');
		expect(unknown.code).toBe(2);
		expect(unknown.stderr).toContain("unknown command 'logs'.\nThe commands are: setup, run, resume, plan, status, backup, backups, restore, steps");
	});

	it('a mistyped step id gets the step meant', async () => {
		const result = await labbox('run', 'home');
		expect(result.code).toBe(2);
		expect(result.stderr).toContain("Unknown step home. Did you mean 'homes'? The steps are: connect, ssh-port");
	});

	it('every help page has examples and its exit codes; a boolean flag takes no value (issue 10 item 22)', async () => {
		const top = await labbox('--help');
		expect(top.code).toBe(0);
		expect(top.stdout).toContain('a Linux server you can reach with SSH as root or as a sudo user');
		for (const command of ['setup', 'run', 'resume', 'plan', 'status', 'steps']) {
			const help = await labbox(command, '--help');
			expect(help.code, command).toBe(0);
			expect(help.stdout, command).toContain('Examples:');
			expect(help.stdout, command).toContain('Exit codes:\n  0    done');
		}
		const setup = await labbox('setup', '--help');
		expect(setup.stdout).toMatch(/--ssh-close-old-port +Close the old SSH port/);
		expect(setup.stdout).toMatch(/--ssh-port <value>/);
		expect(setup.stdout).not.toContain('--no-ssh-close-old-port');
	});

	it('a switch and its --no- form become the key true and false', () => {
		expect(configFlags({sshCloseOldPort: true, dnsSubdomains: false})).toEqual({'ssh.closeOldPort': true, 'dns.subdomains': false});
	});
});
