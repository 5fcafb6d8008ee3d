import {describe, expect, it} from 'vitest';
import {main} from '../../../source/cli/main.js';
import {configFlags} from '../../../source/cli/context.js';
import {whatYouNeed} from '../../../source/cli/help.js';
import {captured} from '../../helpers/captured.js';
import {tempDir} from '../../helpers/lab-folder.js';

/** Runs `labbox ARGS` in-process, capturing what it writes. */
async function labbox(...argv: string[]) {
	const [stdout, stderr] = [captured(), captured()];
	const code = await main(argv, {stdout: stdout.stream as never, stderr: stderr.stream as never, env: {CI: 'true'}, cwd: tempDir()});
	return {code, stdout: stdout.text(), stderr: stderr.text()};
}

describe('labbox on the command line', () => {
	it('a mistyped command is named, with the command meant, exit 2 (issue 10 item 12)', async () => {
		const typo = await labbox('stauts');
		expect(typo.code).toBe(2);
		expect(typo.stderr).toContain("labbox: unknown command 'stauts'. Did you mean 'status'?");
		expect(typo.stderr).not.toContain('too many arguments');
		const unknown = await labbox('deploy');
		expect(unknown.code).toBe(2);
		expect(unknown.stderr).toContain("unknown command 'deploy'.\nThe commands are: setup, run, resume, plan, status, ");
	});

	it('names its help as labbox was started: npm start -- --help before npm link (issue 10 item 5)', async () => {
		const [stdout, stderr] = [captured(), captured()];
		const run = async (...argv: string[]) =>
			main(argv, {
				stdout: stdout.stream as never,
				stderr: stderr.stream as never,
				env: {CI: 'true'},
				cwd: tempDir(),
				launcher: 'npm start --',
			});
		expect(await run('stauts')).toBe(2);
		expect(await run('status', 'now')).toBe(2);
		expect(stderr.text()).toContain('(npm start -- --help tells more)');
		expect(stderr.text()).toContain('(run npm start -- --help for usage)');
		expect(stderr.text()).not.toMatch(/labbox --help/);
	});

	it('a mistyped step id gets the step meant', async () => {
		const result = await labbox('run', 'home');
		expect(result.code).toBe(2);
		expect(result.stderr).toContain("Unknown step home. Did you mean 'homes'? The steps are: connect, ssh-port");
	});

	it('every help page has examples and its exit codes; a boolean flag takes no value (issue 10 item 22)', async () => {
		const top = await labbox('--help');
		expect(top.code).toBe(0);
		// The sentence the wizard's first screen says too (test/ui/wizard.test.ts): one home, source/cli/help.ts.
		expect(top.stdout.replaceAll(/\s+/g, ' ')).toContain(`${whatYouNeed} Nothing on the server changes`);
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
