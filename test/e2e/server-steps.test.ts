// The four server steps (connect, ssh-port, docker, homes) through the built CLI, as researcher with sudo, on
// fresh debian13, ssh-socket and sudo-password servers, all at once. The first `labbox run` moves sshd to 2222,
// installs Docker and makes /srv/lab; lab.yaml then connects on 2222 (22 is shut to prove it). `run` applies
// named steps again by design (each that has an apply reports `changed`; connect, which only checks, `ok`): the
// same command again must change nothing on the server; `--resume`, which checks the last run's steps first,
// reports each `ok`. Then `labbox run ssh-port`
// alone moves sshd to 2223 and closes the old ports. And a run killed (SIGKILL) while dpkg installs Docker is
// finished by `labbox --resume`, Docker working and dpkg consistent. And ssh-port stopped (kill -9, Ctrl-C) inside
// its armed window, after sshd was restarted on the new port and before the disarm (issue 9 item 1): the next
// `labbox --resume` ends with the revert disarmed, the new port proven and lab.yaml connecting there.
import {readdir, readFile} from 'node:fs/promises';
import path from 'node:path';
import {describe, it, type ExpectStatic} from 'vitest';
import {waitForState} from '../helpers/labbox-process.js';
import {waitFor} from '../world/wait.js';
import type {Variant} from '../world/index.js';
import {stepLines} from './lab-world.js';
import {serverSteps, snapshot, sshPorts, stepsLab, type StepsLab} from './server-lab.js';

const variants: Variant[] = ['debian13', 'ssh-socket', 'sudo-password'];

/** `connect ok`, ... from the plain output. */
const results = (output: unknown) => stepLines(String(output)).map(line => line.split(' ').slice(0, 2).join(' '));

/** One line per step with its wall time, for the test's output. */
function timings(title: string, output: unknown): string {
	return [`  ${title}:`, ...stepLines(String(output)).map(line => `    ${line.slice(0, 110)}`)].join('\n');
}

/**
 * Starts `labbox run connect ssh-port` and returns once it is inside ssh-port's armed window: the revert armed,
 * sshd restarted on 2222. The server drops packets to 2222 meanwhile (a slow or filtered network), so the proof
 * from the laptop cannot finish and the disarm cannot come: the run is held inside the window, not raced.
 */
async function insideArmedWindow(lab: StepsLab, expect: ExpectStatic) {
	await lab.server.exec('iptables -I INPUT -p tcp --dport 2222 -j DROP');
	const run = lab.labbox(['run', 'connect', 'ssh-port', '--yes']);
	let output = '';
	run.all?.on('data', chunk => (output += String(chunk)));
	await waitFor(
		'sshd restarted on 2222 with the revert armed',
		async () => output.includes('armed: the server undoes') && (await sshPorts(lab.server)).includes(2222),
		{timeoutMs: 60_000, intervalMs: 100},
	);
	expect((await lab.server.exec('systemctl is-active labbox-ssh-revert.timer')).stdout.trim()).toBe('active');
	return {run}; // In an object: an async function would wait for the run it returned.
}

/** The end a `--resume` must reach: no revert pending, sshd on 22 and 2222, lab.yaml on 2222, a login there. */
async function converged(lab: StepsLab, expect: ExpectStatic) {
	expect((await lab.server.exec('systemctl is-active labbox-ssh-revert.timer')).stdout.trim()).toBe('inactive');
	expect((await lab.server.exec("systemctl list-timers --all --no-legend 'labbox-ssh-revert*'")).stdout.trim()).toBe('');
	expect((await lab.server.exec('test -e /usr/local/sbin/labbox-ssh-revert')).exitCode).toBe(1);
	expect(await sshPorts(lab.server)).toEqual([22, 2222]);
	expect((await lab.yaml()).server.port).toBe(2222);
	// Only 2222 answers from here: the next run logs in there, and finds nothing left to do.
	await lab.server.exec('iptables -I INPUT -p tcp --dport 22 -j REJECT --reject-with tcp-reset');
	const again = await lab.labbox(['--resume', '--yes']);
	expect(again.exitCode, String(again.all)).toBe(0);
	expect(results(again.all)).toEqual(['connect ok', 'ssh-port ok']);
}

describe.concurrent('labbox run connect ssh-port docker homes --yes', () => {
	it.for(variants)(
		'%s as researcher: changes, then changes nothing; then `labbox run ssh-port` alone',
		async (variant, {expect, onTestFinished}) => {
			const lab = await stepsLab(variant);
			onTestFinished(() => lab.remove());
			const first = await lab.labbox(['run', ...serverSteps, '--yes']);
			console.log(timings(`${variant}, first run`, first.all));
			expect(first.exitCode, String(first.all)).toBe(0);
			expect(results(first.all)).toEqual(['connect ok', 'ssh-port changed', 'docker changed', 'homes changed']);
			expect((await lab.yaml()).server.port).toBe(2222);
			expect(await sshPorts(lab.server)).toEqual([22, 2222]);
			expect((await lab.server.exec('id -nG researcher')).stdout.split(/\s+/)).toContain('docker');
			const folders = (
				await lab.server.exec("stat -c '%n %a %u:%g' /srv/lab /srv/lab/homes /srv/lab/shared /srv/lab/datasets /srv/lab/data")
			).stdout;
			expect(folders.trim().split('\n')).toEqual([
				'/srv/lab 755 0:0',
				'/srv/lab/homes 755 0:0',
				'/srv/lab/shared 2775 1000:100',
				'/srv/lab/datasets 755 0:0',
				'/srv/lab/data 700 0:0',
			]);

			// From here on, only 2222 answers: the next runs must connect there.
			await lab.server.exec('iptables -I INPUT -p tcp --dport 22 -j REJECT --reject-with tcp-reset');
			const before = await snapshot(lab.server);
			const again = await lab.labbox(['run', ...serverSteps, '--yes']);
			expect(again.exitCode, String(again.all)).toBe(0);
			// `run` re-checks on the server and changes nothing that is already so (issue 10 item 10).
			expect(results(again.all)).toEqual(serverSteps.map(id => `${id} ok`));
			expect(await snapshot(lab.server)).toEqual(before);

			const resumed = await lab.labbox(['--resume', '--yes']);
			console.log(timings(`${variant}, --resume after it`, resumed.all));
			expect(resumed.exitCode, String(resumed.all)).toBe(0);
			expect(results(resumed.all)).toEqual(serverSteps.map(id => `${id} ok`));
			expect(await snapshot(lab.server)).toEqual(before);

			// ssh-port alone, on a lab whose other steps are done: to 2223, closing the old ports as lab.yaml says.
			await lab.change({'ssh.port': 2223, 'ssh.closeOldPort': true});
			const moved = await lab.labbox(['run', 'ssh-port', '--yes']);
			console.log(timings(`${variant}, labbox run ssh-port to 2223`, moved.all));
			expect(moved.exitCode, String(moved.all)).toBe(0);
			expect(results(moved.all)).toEqual(['ssh-port changed']);
			expect(await sshPorts(lab.server)).toEqual([2223]);
			expect((await lab.yaml()).server.port).toBe(2223);
			const connected = await lab.labbox(['run', 'connect', '--yes']);
			expect(connected.exitCode, String(connected.all)).toBe(0);
		},
	);

	it('killed (SIGKILL) while dpkg installs Docker, `labbox --resume` ends with Docker working', async ({expect, onTestFinished}) => {
		const lab = await stepsLab('debian13');
		onTestFinished(() => lab.remove());
		const first = lab.labbox(['run', ...serverSteps, '--yes']);
		await waitForState(lab.lab, state => state.lastRun?.current === 'docker', 60_000);
		await waitFor('dpkg installing Docker on the server', async () => (await lab.server.exec('pgrep -x dpkg')).exitCode === 0, {
			timeoutMs: 120_000,
			intervalMs: 100,
		});
		first.kill('SIGKILL');
		const killed = await first;
		expect(killed.signal).toBe('SIGKILL');
		console.log(timings('killed during the Docker install; before that', killed.all));
		console.log(
			`  dpkg --audit right after the kill: ${(await lab.server.exec('dpkg --audit')).stdout.trim().split('\n')[0] || '(nothing)'}`,
		);

		const resumed = await lab.labbox(['--resume', '--yes']);
		console.log(timings('labbox --resume', resumed.all));
		expect(resumed.exitCode, String(resumed.all)).toBe(0);
		// ssh-port wrote 2222 to lab.yaml after proving it: connect, checked there, is simply ok.
		expect(results(resumed.all)).toEqual(['connect ok', 'ssh-port ok', 'docker changed', 'homes changed']);
		const audit = await lab.server.exec('dpkg --audit');
		expect(audit.exitCode).toBe(0);
		expect(audit.stdout).toBe('');
		const packages = (
			await lab.server.exec("dpkg-query -W -f '${db:Status-Abbrev}${Package}\\n' docker.io docker-cli docker-compose containerd runc")
		).stdout;
		expect(packages.trim().split('\n').sort()).toEqual(['ii containerd', 'ii docker-cli', 'ii docker-compose', 'ii docker.io', 'ii runc']);
		expect((await lab.server.exec("docker info --format '{{.ServerVersion}}'")).exitCode).toBe(0);
		expect((await lab.server.exec('docker compose version')).stdout).toMatch(/Docker Compose version v?2\./);
		// The researcher's own login uses Docker through the docker group.
		expect((await lab.server.exec("su - researcher -c 'docker info --format {{.ServerVersion}}'")).exitCode).toBe(0);
	});

	it('interrupted (Ctrl-C) while dpkg installs Docker: stops apt on the server, exits 130, `labbox --resume` finishes', async ({
		expect,
		onTestFinished,
	}) => {
		const lab = await stepsLab('sudo-password');
		onTestFinished(() => lab.remove());
		const first = lab.labbox(['run', ...serverSteps, '--yes']);
		await waitForState(lab.lab, state => state.lastRun?.current === 'docker', 60_000);
		// While dpkg unpacks docker.io (the largest package) with its journal open: stopped there, it is half done.
		const unpacking = "ls /var/lib/dpkg/updates | grep -qE '^[0-9]+$' && pgrep -f 'dpkg-deb --fsys-tarfile .*/[0-9]+-docker.io_'";
		await waitFor('dpkg unpacking docker.io on the server', async () => (await lab.server.exec(unpacking)).exitCode === 0, {
			timeoutMs: 120_000,
			intervalMs: 100,
		});
		first.kill('SIGINT');
		const interrupted = await first;
		console.log(timings('Ctrl-C during the Docker install', interrupted.all));
		expect(interrupted.exitCode, String(interrupted.all)).toBe(130);
		expect(results(interrupted.all)).toEqual(['connect ok', 'ssh-port changed', 'docker interrupted', 'homes skipped']);
		// Stopped on the server too, not left running behind the user's back (apt's dpkg, in a session of its own,
		// ends once apt is gone).
		await waitFor(
			'apt and dpkg to end on the server',
			async () => (await lab.server.exec('pgrep -x apt-get || pgrep -x dpkg')).exitCode === 1,
			{timeoutMs: 15_000, intervalMs: 200},
		);
		// Half installed: apt itself refuses to work until `dpkg --configure -a`.
		expect((await lab.server.exec('ls /var/lib/dpkg/updates')).stdout).toMatch(/^\d+$/m);
		expect((await lab.server.exec('apt-get -o DPkg::Lock::Timeout=60 install -y docker.io')).stderr).toContain('dpkg was interrupted');

		const resumed = await lab.labbox(['--resume', '--yes']);
		console.log(timings('labbox --resume', resumed.all));
		expect(resumed.exitCode, String(resumed.all)).toBe(0);
		expect(results(resumed.all)).toEqual(['connect ok', 'ssh-port ok', 'docker changed', 'homes changed']);
		expect(String(resumed.all)).toContain('finish the package install that was interrupted (dpkg --configure -a)');
		expect((await lab.server.exec('dpkg --audit')).stdout).toBe('');
		expect((await lab.server.exec("docker info --format '{{.ServerVersion}}'")).exitCode).toBe(0);
	});

	it("killed (SIGKILL) inside ssh-port's armed window: `labbox --resume` undoes the unconfirmed change, moves again, proves it and disarms", async ({
		expect,
		onTestFinished,
	}) => {
		const lab = await stepsLab('debian13');
		onTestFinished(() => lab.remove());
		const {run: first} = await insideArmedWindow(lab, expect);
		first.kill('SIGKILL');
		const killed = await first;
		expect(killed.signal).toBe('SIGKILL');
		// Left as the kill found it: the server undoes it by itself unless a run confirms it; lab.yaml still on 22.
		expect((await lab.server.exec('systemctl is-active labbox-ssh-revert.timer')).stdout.trim()).toBe('active');
		expect((await lab.yaml()).server.port).toBeUndefined();
		await lab.server.exec('iptables -D INPUT -p tcp --dport 2222 -j DROP');

		const resumed = await lab.labbox(['--resume', '--yes']);
		console.log(timings('labbox --resume after a kill -9 in the armed window', resumed.all));
		expect(resumed.exitCode, String(resumed.all)).toBe(0);
		expect(results(resumed.all)).toEqual(['connect ok', 'ssh-port changed']);
		expect(String(resumed.all)).toContain(
			'+ undo the SSH port change an interrupted run left unconfirmed (labbox-ssh-revert.timer is armed to undo it by itself)',
		);
		expect(String(resumed.all)).toContain('+ move sshd to 22 and 2222 again and prove port 2222 by a login from here');
		await converged(lab, expect);
	});

	it("interrupted (Ctrl-C) inside ssh-port's armed window: undoes the change at once, says so, exits 130; `labbox --resume` moves again", async ({
		expect,
		onTestFinished,
	}) => {
		const lab = await stepsLab('debian13');
		onTestFinished(() => lab.remove());
		const {run: first} = await insideArmedWindow(lab, expect);
		first.kill('SIGINT');
		const interrupted = await first;
		console.log(timings('Ctrl-C in the armed window', interrupted.all));
		expect(interrupted.exitCode, String(interrupted.all)).toBe(130);
		expect(results(interrupted.all)).toEqual(['connect ok', 'ssh-port interrupted']);
		expect(String(interrupted.all)).toContain('Ctrl-C before port 2222 was confirmed: labbox undoes the change now (sshd back on 22)');
		// Undone before labbox ended: server and lab.yaml agree on 22, nothing left armed.
		expect(await sshPorts(lab.server)).toEqual([22]);
		expect((await lab.server.exec('systemctl is-active labbox-ssh-revert.timer')).stdout.trim()).toBe('inactive');
		expect((await lab.server.exec('test -e /usr/local/sbin/labbox-ssh-revert')).exitCode).toBe(1);
		expect((await lab.yaml()).server.port).toBeUndefined();
		const logs = path.join(lab.lab, '.labbox', 'logs');
		const logged = await Promise.all((await readdir(logs)).map(file => readFile(path.join(logs, file), 'utf8')));
		expect(logged.join('\n')).toContain('undid the unconfirmed SSH port change');
		await lab.server.exec('iptables -D INPUT -p tcp --dport 2222 -j DROP');

		const resumed = await lab.labbox(['--resume', '--yes']);
		console.log(timings('labbox --resume after Ctrl-C in the armed window', resumed.all));
		expect(resumed.exitCode, String(resumed.all)).toBe(0);
		expect(results(resumed.all)).toEqual(['connect ok', 'ssh-port changed']);
		await converged(lab, expect);
	});
});
