import {generateKeyPairSync} from 'node:crypto';
import {existsSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {tempDir} from '../../helpers/lab-folder.js';
import {execa} from 'execa';
import {completeYaml, labbox, labboxCommandLine, root, waitForState} from '../../helpers/labbox-process.js';
import {applyCount} from '../../helpers/test-steps.js';

/** A lab folder with a complete lab.yaml and its own fake server folder. */
function lab() {
	const dir = tempDir();
	writeFileSync(path.join(dir, 'lab.yaml'), completeYaml);
	const server = path.join(dir, 'server');
	return {dir, server, env: {TEST_LAB_SERVER: server}};
}

// Each case starts labbox under tsx several times: allow for a slow, busy machine.
describe('labbox as a process', {timeout: 60_000}, () => {
	it('answers --help, --version and steps, and exits 2 on bad usage', async () => {
		const dir = tempDir();
		const help = await labbox(['--help'], {cwd: dir});
		expect(help.exitCode).toBe(0);
		expect(help.stdout).toContain('run [options] <step...>');
		expect((await labbox(['--version'], {cwd: dir})).stdout).toMatch(/^\d+\.\d+\.\d+$/);
		const steps = await labbox(['steps'], {cwd: dir});
		expect(steps.stdout).toMatch(/1\. alpha\s+a test step that writes alpha/);
		expect((await labbox(['frobnicate', 'x'], {cwd: dir})).exitCode).toBe(2);
		const unknownStep = await labbox(['run', 'delta'], {cwd: dir});
		expect(unknownStep.exitCode).toBe(2);
		expect(unknownStep.stderr).toContain('Unknown step delta. The steps are: alpha, beta, gamma');
		const badPort = await labbox(['plan', '--ssh-port', '0'], {cwd: dir});
		expect(badPort.exitCode).toBe(2);
		expect(badPort.stderr).toContain('ssh.port: 0 (from --ssh-port) is not valid');
	});

	it('ends quietly when its reader stops reading (labbox --help | head)', async () => {
		// `true` exits without reading: labbox's first write finds the pipe closed.
		const result = await execa('bash', ['-o', 'pipefail', '-c', `${labboxCommandLine} setup --help | true`], {
			cwd: tempDir(),
			reject: false,
			env: {CI: 'true', TSX_TSCONFIG_PATH: path.join(root, 'tsconfig.json')},
		});
		expect(result.stderr).not.toContain('EPIPE');
		expect(result.exitCode).toBe(0);
	});

	it('refuses a CA file that holds a private key before anything runs, naming the file: exit 2 (issue 9 item 3)', async () => {
		const {dir, server, env} = lab();
		const key = generateKeyPairSync('ec', {namedCurve: 'P-256'}).privateKey.export({type: 'pkcs8', format: 'pem'}) as string;
		writeFileSync(path.join(dir, 'acme-ca.pem'), key);
		const result = await labbox(['--yes', '--certificate-ca-file', './acme-ca.pem'], {cwd: dir, env});
		expect(result.exitCode).toBe(2);
		expect(result.stderr).toContain(`certificate.caFile: ${path.join(dir, 'acme-ca.pem')} is not valid: it holds a private key`);
		expect(result.all).not.toContain(key.split('\n')[1]);
		expect(applyCount(server, 'alpha')).toBe(0);
	});

	it('plan in an empty folder says what is missing, exit 2, no stack trace', async () => {
		const dir = tempDir();
		const result = await labbox(['plan'], {cwd: dir, env: {LABBOX_AUTH_CLIENT_SECRET: ''}});
		expect(result.exitCode).toBe(2);
		expect(result.stderr).toContain('server.host is missing');
		expect(result.stderr).toContain('auth.type is missing');
		expect(result.stderr).not.toMatch(/\n\s+at /);
		expect(existsSync(path.join(dir, '.labbox'))).toBe(false);
	});

	it('runs unattended, then finds everything done; a failure names the fix and the retry', async () => {
		const {dir, server, env} = lab();
		const first = await labbox(['--yes'], {cwd: dir, env});
		expect(first.exitCode).toBe(0);
		expect(first.stdout).toMatch(/^\d\d:\d\d:\d\d ✔ alpha changed/m);
		const second = await labbox(['--yes'], {cwd: dir, env});
		expect(second.stdout).toMatch(/✔ gamma ok/);
		expect(applyCount(server, 'gamma')).toBe(1);
		const rerun = await labbox(['run', 'beta'], {cwd: dir, env});
		expect(rerun.stdout).toMatch(/✔ beta ok .*re-checked, nothing to change/);
		rmSync(path.join(server, 'beta')); // no longer so on the server: run applies it again
		const failed = await labbox(['run', 'beta'], {cwd: dir, env: {...env, TEST_LAB_FAIL: 'beta'}});
		expect(failed.exitCode).toBe(1);
		expect(failed.stdout).toContain('beta failed on purpose');
		expect(failed.stdout).toContain('retry: labbox --resume');
	});

	it('--json writes one JSON event per line, for scripts (issue 10 item 19)', async () => {
		const {dir, env} = lab();
		const result = await labbox(['--yes', '--json'], {cwd: dir, env});
		expect(result.exitCode).toBe(0);
		const events = String(result.stdout)
			.trim()
			.split('\n')
			.map((line: string) => JSON.parse(line) as {type: string; id?: string; result?: string; outcome?: string});
		expect(events[0]).toMatchObject({type: 'run-start', mode: 'setup'});
		expect(events.filter(event => event.type === 'step-end').map(event => `${event.id} ${event.result}`)).toEqual([
			'alpha changed',
			'beta changed',
			'gamma changed',
		]);
		expect(events.at(-1)).toMatchObject({type: 'run-end', outcome: 'done'});
	});

	it('after a kill -9 mid-step, --resume re-checks what was done and finishes', async () => {
		const {dir, server, env} = lab();
		const run = labbox(['--yes'], {cwd: dir, env: {...env, TEST_LAB_SLOW: 'beta:30000'}});
		const during = await waitForState(dir, state => state.lastRun?.current === 'beta');
		run.kill('SIGKILL');
		await run;
		expect(during.steps.alpha.result).toBe('changed');
		expect(during.lastRun!.outcome).toBeUndefined();
		const status = await labbox(['status'], {cwd: dir, env});
		expect(status.stdout).toContain('cut off during beta');
		expect(status.exitCode, 'a cut-off run is not a well lab').toBe(1);
		const resumed = await labbox(['--resume', '--yes'], {cwd: dir, env});
		expect(resumed.exitCode).toBe(0);
		expect(resumed.stdout).toMatch(/✔ alpha ok/);
		expect(resumed.stdout).toMatch(/✔ beta changed/);
		expect(resumed.stdout).toMatch(/✔ gamma changed/);
		expect([applyCount(server, 'alpha'), applyCount(server, 'gamma')]).toEqual([1, 1]);
	});

	it('Ctrl-C (SIGINT) interrupts the running step, says how to resume, exits 130', async () => {
		const {dir, env} = lab();
		const run = labbox(['--yes'], {cwd: dir, env: {...env, TEST_LAB_SLOW: 'beta:30000'}});
		await waitForState(dir, state => state.lastRun?.current === 'beta');
		run.kill('SIGINT');
		const result = await run;
		expect(result.exitCode).toBe(130);
		expect(result.stdout).toContain('labbox --resume');
		const state = JSON.parse(readFileSync(path.join(dir, '.labbox/state.json'), 'utf8'));
		expect(state.steps.beta.result).toBe('interrupted');
		expect(state.lastRun.outcome).toBe('interrupted');
	});

	it('a second labbox on the same folder exits at once, naming the holder', async () => {
		const {dir, env} = lab();
		const run = labbox(['--yes'], {cwd: dir, env: {...env, TEST_LAB_SLOW: 'alpha:30000'}});
		await waitForState(dir, state => state.lastRun?.current === 'alpha');
		const second = await labbox(['run', 'gamma'], {cwd: dir, env});
		run.kill('SIGKILL');
		await run;
		expect(second.exitCode).toBe(1);
		expect(second.stderr).toContain(`Another labbox (pid ${run.pid}`);
		expect(second.stderr).toContain('"labbox setup"');
	});
});
