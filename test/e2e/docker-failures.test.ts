// Issue 9 items 6, 9 and 10 on fresh world servers through the built CLI: an unreachable docker.repository fails
// in bounded time naming the address; a disk too small for the images is refused before anything changes, with
// the numbers; Debian 12 with Debian's docker.io gets the same one way from both docker.source values.
// Network rule: the repository is a TEST-NET-1 address (RFC 5737) dropped by a rule inside the server, so no
// packet leaves the server.
import {describe, it} from 'vitest';
import {stepLines} from './lab-world.js';
import {snapshot, sshPorts, stepsLab} from './server-lab.js';

const results = (output: string) => stepLines(output).map(line => line.split(' ').slice(0, 2).join(' '));
const dropped = '192.0.2.10';

describe.concurrent('the docker step fails clearly', () => {
	it('item 6: an unreachable docker.repository fails within a minute, naming the address and the fix', async ({expect, onTestFinished}) => {
		const lab = await stepsLab('debian13', {
			'docker.source': 'official',
			'docker.repository': `https://${dropped}/linux/debian`,
			'ssh.port': 22,
		});
		onTestFinished(() => lab.remove());
		await lab.server.exec(`iptables -I OUTPUT -d ${dropped} -j DROP`);
		expect((await lab.server.exec(`iptables -C OUTPUT -d ${dropped} -j DROP`)).exitCode).toBe(0);
		const started = Date.now();
		const run = await lab.labbox(['run', 'connect', 'docker', '--yes'], {timeout: 300_000});
		const seconds = (Date.now() - started) / 1000;
		const output = String(run.all);
		console.log(`  docker step with a dropped repository failed in ${seconds.toFixed(1)} s`);
		expect(run.timedOut, output).toBe(false);
		expect(run.exitCode, output).toBe(1);
		expect(results(output), output).toEqual(['connect ok', 'docker failed']);
		expect(output).toMatch(
			new RegExp(
				`The server could not reach https://${dropped.replaceAll('.', '\\.')}/linux/debian/gpg to fetch Docker's repository key: no answer in time`,
			),
		);
		expect(output).toContain('fix: Check docker.repository in lab.yaml');
		expect(seconds).toBeLessThan(60);
		// Nothing half-made: no repository line for apt to trip over, no Docker.
		expect((await lab.server.exec('test -e /etc/apt/sources.list.d/docker.list')).exitCode).toBe(1);
		expect((await lab.server.exec('command -v dockerd')).exitCode).not.toBe(0);
	});

	it('item 6: a registry that drops packets: Docker installs (apt with its timeouts), then the pull fails in bounded time naming the registry', async ({
		expect,
		onTestFinished,
	}) => {
		const lab = await stepsLab('debian13', {'ssh.port': 22, 'images.singleuser': `${dropped}:5000/lab/singleuser:1`});
		onTestFinished(() => lab.remove());
		await lab.server.exec(`iptables -I OUTPUT -d ${dropped} -j DROP`);
		const installed = await lab.labbox(['run', 'connect', 'docker', '--yes']);
		expect(installed.exitCode, String(installed.all)).toBe(0);
		const started = Date.now();
		const run = await lab.labbox(['run', 'images', '--yes'], {timeout: 300_000});
		const seconds = (Date.now() - started) / 1000;
		const output = String(run.all);
		console.log(`  images step with a dropped registry failed in ${seconds.toFixed(1)} s`);
		expect(run.timedOut, output).toBe(false);
		expect(run.exitCode, output).toBe(1);
		expect(output).toContain(
			`The server could not reach the registry ${dropped}:5000 to pull ${dropped}:5000/lab/singleuser:1: no answer in time.`,
		);
		expect(seconds).toBeLessThan(90);
	});

	it('item 9: a disk too small for the images is refused before any change, with the numbers', async ({expect, onTestFinished}) => {
		const lab = await stepsLab('debian13');
		onTestFinished(() => lab.remove());
		// Docker's data root on a small filesystem of its own (a tmpfs takes no memory until written).
		await lab.server.exec('mount -t tmpfs -o size=1g tmpfs /var/lib/docker');
		const before = await snapshot(lab.server);
		const run = await lab.labbox(['run', 'connect', 'ssh-port', 'docker', 'homes', '--yes']);
		const output = String(run.all);
		expect(run.exitCode, output).toBe(1);
		expect(results(output), output).toEqual(['connect failed', 'ssh-port skipped', 'docker skipped', 'homes skipped']);
		expect(output).toMatch(
			/Not enough disk space: 1\.0 GiB is free on \/var\/lib\/docker, where Docker stores images \(\/var\/lib\/docker\), but about 5\.\d GiB is needed \(/,
		);
		expect(output).toContain('connect blocked: Not enough disk space');
		expect(output).toContain('fix: Make room for at least');
		expect(await snapshot(lab.server)).toEqual(before);
		expect(await sshPorts(lab.server)).toEqual([22]);

		// The plan says so too, and `labbox run docker` alone refuses as well.
		const plan = await lab.labbox(['plan']);
		expect(String(plan.all)).toMatch(/Not enough disk space: 1\.0 GiB is free on \/var\/lib\/docker/);
		const docker = await lab.labbox(['run', 'docker', '--yes']);
		expect(docker.exitCode, String(docker.all)).toBe(1);
		expect(results(String(docker.all))).toEqual(['docker failed']);
		expect(String(docker.all)).toMatch(/Not enough disk space: 1\.0 GiB is free on \/var\/lib\/docker/);
		expect(await snapshot(lab.server)).toEqual(before);
	});

	it("item 10: Debian 12 with Debian's docker.io: distro and official give the same one way, in order", async ({
		expect,
		onTestFinished,
	}) => {
		const lab = await stepsLab('debian12', {'ssh.port': 22});
		onTestFinished(() => lab.remove());
		const installed = await lab.server.exec(
			'apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends docker.io >/dev/null',
		);
		expect(installed.exitCode, installed.stderr).toBe(0);
		// In labbox's order (docker.io first), those Debian installed.
		const packages = (
			await lab.server.exec("for p in docker.io containerd runc; do dpkg-query -W -f '${Package}\\n' $p 2>/dev/null; done")
		).stdout
			.trim()
			.split('\n');
		const oneWay = `1. remove the distribution's Docker packages on the server: \`sudo apt-get remove ${packages.join(' ')}\``;
		const before = await snapshot(lab.server);
		const distro = await lab.labbox(['run', 'connect', 'docker', '--yes']);
		expect(results(String(distro.all)), String(distro.all)).toEqual(['connect ok', 'docker failed']);
		expect(String(distro.all)).toContain(oneWay);
		await lab.change({'docker.source': 'official', 'docker.repository': `https://${dropped}/linux/debian`});
		const official = await lab.labbox(['run', 'connect', 'docker', '--yes']);
		expect(results(String(official.all)), String(official.all)).toEqual(['connect ok', 'docker failed']);
		expect(String(official.all)).toContain(oneWay);
		expect(`${distro.all}\n${official.all}`).not.toContain('docker.source: distro');
		expect(await snapshot(lab.server)).toEqual(before);
	});
});
