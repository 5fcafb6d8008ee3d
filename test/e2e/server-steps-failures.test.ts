// Bad inputs to the four server steps, each on a fresh server (all at once) through the built CLI: a clear
// message naming the problem and the fix, exit 1 (a step failed) or 2 (configuration), nothing changed on the
// server. And ssh-port's safety: a new port the laptop cannot reach is undone by the revert, the old one works.
import {mkdir, readdir, readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {execa} from 'execa';
import {describe, it, type ExpectStatic} from 'vitest';
import type {Variant} from '../world/index.js';
import {pinnedHostKey, stepLines} from './lab-world.js';
import {serverSteps, snapshot, sshPorts, stepsLab, withoutTimes, type StepsLab} from './server-lab.js';

/** A key pair the servers do not know, made in `folder`. */
async function strangerKey(folder: string): Promise<{file: string; publicKey: string}> {
	const file = path.join(folder, 'stranger_ed25519');
	await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'stranger', '-f', file]);
	return {file, publicKey: (await readFile(`${file}.pub`, 'utf8')).trim()};
}

/** `connect failed`, ... from the plain output. */
const results = (output: string) => stepLines(output).map(line => line.split(' ').slice(0, 2).join(' '));
const connectFailed = ['connect failed', 'ssh-port skipped', 'docker skipped', 'homes skipped'];

/** Runs the four steps on a lab that must refuse; checks nothing changed on the server; returns what it said. */
async function refused(lab: StepsLab, expect: ExpectStatic, env: Record<string, string> = {}) {
	const before = await snapshot(lab.server);
	const run = await lab.labbox(['run', ...serverSteps, '--yes'], {env});
	const output = String(run.all);
	expect(await snapshot(lab.server), output).toEqual(before);
	expect(await sshPorts(lab.server)).toEqual([22]);
	return {code: run.exitCode, output};
}

// One pool for the whole file (the longest first), so the short failures run beside the port moves.
describe.concurrent('server steps refusing', () => {
	const moving: Variant[] = ['debian13', 'ssh-socket'];

	describe.concurrent('ssh-port when the new port cannot be reached from the laptop', () => {
		it.for(moving)(
			'%s: fails naming the firewalls, the revert restores the old ports, the old port still works',
			async (variant, {expect, onTestFinished}) => {
				const lab = await stepsLab(variant);
				onTestFinished(() => lab.remove());
				const moved = await lab.labbox(['run', 'connect', 'ssh-port', '--yes']);
				expect(moved.exitCode, String(moved.all)).toBe(0);
				expect(await sshPorts(lab.server)).toEqual([22, 2222]);

				// A firewall inside the server drops the new port, as a cloud provider's would.
				await lab.server.exec('iptables -I INPUT -p tcp --dport 2224 -j DROP');
				await lab.change({'ssh.port': 2224});
				const before = await snapshot(lab.server);
				const started = Date.now();
				const blocked = await lab.labbox(['run', 'ssh-port', '--yes'], {timeout: 120_000});
				const seconds = (Date.now() - started) / 1000;
				const output = String(blocked.all);
				console.log(`  ${variant}: labbox run ssh-port to a dropped port failed in ${seconds.toFixed(1)} s`);
				expect(blocked.exitCode, output).toBe(1);
				expect(output).toContain('Could not log in on the new SSH port 2224');
				expect(output).toContain('The change was undone; port 2222 works as before.');
				// The command is spelled as labbox was started (issue 10 item 5): here `node …/bin/labbox.js`.
				expect(output).toMatch(
					/fix: Open 2224\/tcp in every firewall between you and the server \(your cloud provider's security group or firewall too\), then run `[^`]*labbox(\.js)? run ssh-port`\./,
				);
				// Ends once it has failed: the probe of the new port is not left open (readyTimeout is 20 s).
				expect(seconds).toBeLessThan(45);
				expect(await sshPorts(lab.server)).toEqual([22, 2222]);
				expect(withoutTimes(await snapshot(lab.server))).toEqual(withoutTimes(before));
				expect((await lab.yaml()).server.port).toBe(2222);

				const again = await lab.labbox(['run', 'connect', '--yes']);
				expect(again.exitCode, String(again.all)).toBe(0);
			},
		);

		it('debian13: a new port where the login works but commands fail is undone too, and labbox ends', async ({expect, onTestFinished}) => {
			const lab = await stepsLab('debian13', {'ssh.port': 2226});
			onTestFinished(() => lab.remove());
			// The probe on the new port logs in, then its command fails while the connection stays open.
			await lab.server.exec("printf 'Match LocalPort 2226\\n\\tForceCommand /bin/false\\n' >> /etc/ssh/sshd_config");
			const before = await snapshot(lab.server);
			const started = Date.now();
			const run = await lab.labbox(['run', 'connect', 'ssh-port', '--yes'], {timeout: 60_000});
			const output = String(run.all);
			expect(run.timedOut, 'labbox did not end').toBe(false);
			expect(run.exitCode, output).toBe(1);
			expect(output).toContain(
				'Could not log in on the new SSH port 2226: The server command failed with exit code 1: true. The change was undone; port 22 works as before.',
			);
			// A probe left open would keep the CLI alive (its keepalive) long after the failure.
			expect(Date.now() - started).toBeLessThan(15_000);
			expect(await sshPorts(lab.server)).toEqual([22]);
			expect(withoutTimes(await snapshot(lab.server))).toEqual(withoutTimes(before));
		});
	});

	describe.concurrent('bad inputs: a clear message, exit 1 or 2, nothing changed on the server', () => {
		it('an unknown host', async ({expect, onTestFinished}) => {
			// .invalid never resolves (RFC 6761).
			const lab = await stepsLab('debian13', {'server.host': 'labbox-no-such-server.invalid'});
			onTestFinished(() => lab.remove());
			const {code, output} = await refused(lab, expect);
			expect(code, output).toBe(1);
			expect(results(output)).toEqual(connectFailed);
			expect(output).toContain('Cannot find the server "labbox-no-such-server.invalid": the name does not resolve.');
			expect(output).toContain('fix: Check the spelling of the address');
		});

		it('a closed port', async ({expect, onTestFinished}) => {
			const lab = await stepsLab('debian13', {'server.port': 2299});
			onTestFinished(() => lab.remove());
			const {code, output} = await refused(lab, expect);
			expect(code, output).toBe(1);
			expect(results(output)).toEqual(connectFailed);
			expect(output).toContain(`Nothing answers on port 2299 of ${lab.server.host} (connection refused).`);
			expect(output).toContain(
				'fix: Check the port (after a port change it is the one in lab.yaml) and that sshd runs and listens on 2299.',
			);
		});

		it('a key the server does not know', async ({expect, onTestFinished}) => {
			const lab = await stepsLab('debian13');
			onTestFinished(() => lab.remove());
			await lab.change({'server.identityFile': (await strangerKey(lab.home)).file});
			const {code, output} = await refused(lab, expect, {SSH_AUTH_SOCK: ''});
			expect(code, output).toBe(1);
			expect(results(output)).toEqual(connectFailed);
			expect(output).toContain(`${lab.server.host} refused the login of "researcher": the key or password was not accepted.`);
			expect(output).toContain('~researcher/.ssh/authorized_keys on the server');
		});

		it('a wrong sudo password', async ({expect, onTestFinished}) => {
			const lab = await stepsLab('sudo-password');
			onTestFinished(() => lab.remove());
			const {code, output} = await refused(lab, expect, {LABBOX_SERVER_SUDO_PASSWORD: 'not-the-password'});
			expect(code, output).toBe(1);
			expect(results(output)).toEqual(connectFailed);
			expect(output).toContain(`sudo on ${lab.server.host} refused the password of "researcher".`);
			expect(output).toContain(
				'fix: Give the sudo password of researcher in LABBOX_SERVER_SUDO_PASSWORD (the environment, or secrets.env beside lab.yaml)',
			);
			// A secret: on no screen and in no log.
			const logs = path.join(lab.lab, '.labbox', 'logs');
			const logged = await Promise.all((await readdir(logs)).map(async file => readFile(path.join(logs, file), 'utf8')));
			expect(logged.join('\n')).toContain('refused the password');
			expect(`${output}\n${logged.join('\n')}`).not.toContain('not-the-password');
		});

		it('a changed host key: pinned in lab.yaml, or in known_hosts', async ({expect, onTestFinished}) => {
			const lab = await stepsLab('debian13', {'server.hostKey': 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'});
			onTestFinished(() => lab.remove());
			const pinned = await refused(lab, expect);
			expect(pinned.code, pinned.output).toBe(1);
			expect(results(pinned.output)).toEqual(connectFailed);
			expect(pinned.output).toContain(
				`The host key of ${lab.server.host}:22 has CHANGED (now ${pinnedHostKey(lab.server)}); it differs from the key pinned in lab.yaml`,
			);
			expect(pinned.output).toContain('man-in-the-middle');
			expect(pinned.output).toContain('fix: Only if you know the server was reinstalled: update the pinned fingerprint in lab.yaml');

			// The right key pinned, but known_hosts (checked first) holds another one for this host.
			await lab.change({'server.hostKey': pinnedHostKey(lab.server)});
			await mkdir(path.join(lab.home, '.ssh'), {recursive: true});
			await writeFile(path.join(lab.home, '.ssh', 'known_hosts'), `${lab.server.host} ${(await strangerKey(lab.home)).publicKey}\n`);
			const known = await refused(lab, expect);
			expect(known.code, known.output).toBe(1);
			expect(results(known.output)).toEqual(connectFailed);
			expect(known.output).toContain(
				`The host key of ${lab.server.host}:22 has CHANGED (now ${pinnedHostKey(lab.server)}); it differs from the key in ${path.join(lab.home, '.ssh', 'known_hosts')} line 1`,
			);
			expect(known.output).toContain(`remove the old key with \`ssh-keygen -R ${lab.server.host}\``);
		});

		it('an invalid port number', async ({expect, onTestFinished}) => {
			const lab = await stepsLab('debian13', {'ssh.port': 70_000});
			onTestFinished(() => lab.remove());
			const {code, output} = await refused(lab, expect);
			expect(code, output).toBe(2);
			expect(output).toContain('The configuration needs attention (nothing was run):');
			expect(output).toContain(
				'ssh.port: 70000 (from ssh.port in lab.yaml) is not valid: expected a whole number from 1 to 65535, not 80 or 443, e.g. ssh.port: 2222',
			);
		});

		it('a port already in use on the server', async ({expect, onTestFinished}) => {
			const lab = await stepsLab('debian13', {'ssh.port': 2225});
			onTestFinished(() => lab.remove());
			await lab.server.exec('systemd-run --unit=squatter python3 -m http.server 2225 && sleep 1');
			const {code, output} = await refused(lab, expect);
			expect(code, output).toBe(1);
			expect(results(output)).toEqual(['connect ok', 'ssh-port failed', 'docker skipped', 'homes skipped']);
			expect(output).toContain('ssh-port failed');
			expect(output).toContain('Port 2225 is already used on the server by python3');
			expect(output).toContain('fix: Choose another ssh.port in lab.yaml, or stop that program on the server.');
		});

		it('an unsupported OS', async ({expect, onTestFinished}) => {
			const lab = await stepsLab('debian13');
			onTestFinished(() => lab.remove());
			await lab.server.exec(
				`printf 'NAME="Fedora Linux"\\nID=fedora\\nVERSION_ID=40\\nPRETTY_NAME="Fedora Linux 40 (Server Edition)"\\n' > /etc/os-release.new && mv /etc/os-release.new /etc/os-release`,
			);
			const {code, output} = await refused(lab, expect);
			expect(code, output).toBe(1);
			expect(results(output)).toEqual(connectFailed);
			expect(output).toContain('connect blocked: The server runs Fedora Linux 40 (Server Edition), which labbox does not support');
			expect(output).toContain('fix: Use a server with Debian 12 or 13, Ubuntu 22.04 or 24.04.');
		});
	});
});
