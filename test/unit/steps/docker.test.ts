import {describe, expect, it} from 'vitest';
import {toShell} from '../../../source/remote/command.js';
import {untilUnlocked} from '../../../source/remote/commands/apt.js';
import {CommandFailedError} from '../../../source/remote/errors.js';
import {decideDocker, download, type DockerFacts} from '../../../steps/docker/decide.js';
import {installFailure} from '../../../steps/docker/failure.js';

const trixie = {id: 'debian', versionId: '13', codename: 'trixie', prettyName: 'Debian GNU/Linux 13 (trixie)'};
const bookworm = {id: 'debian', versionId: '12', codename: 'bookworm', prettyName: 'Debian GNU/Linux 12 (bookworm)'};
const fresh: DockerFacts = {
	os: trixie,
	packages: [],
	snapDocker: false,
	active: false,
	enabled: false,
	server: false,
	compose: false,
	composeV1: false,
	user: 'root',
	userInDockerGroup: false,
	dpkgInterrupted: false,
};
const running: DockerFacts = {
	...fresh,
	packages: ['docker.io', 'docker-compose'],
	active: true,
	enabled: true,
	server: '26.1.5',
	compose: '2.26.1',
};
/** An apt or dpkg command as the step runs it: again while another apt holds a lock (test/unit/remote/commands/apt.test.ts). */
const unlocked = (command: string) => `${toShell(untilUnlocked([]))} ${command}`;
const commands = (facts: DockerFacts, source: 'distro' | 'official' = 'distro', repository?: string) => {
	const verdict = decideDocker(facts, {source, repository});
	return verdict.status === 'todo' ? verdict.commands.map(command => toShell(command)) : verdict.status;
};

describe('docker decision', () => {
	it("installs Debian 13's packages, then enables the service", () => {
		expect(commands(fresh)).toEqual([
			unlocked(
				'env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -o Acquire::http::Timeout=20 -o Acquire::https::Timeout=20 -o Acquire::Retries=2 update',
			),
			unlocked(
				'env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -o Acquire::http::Timeout=20 -o Acquire::https::Timeout=20 -o Acquire::Retries=2 install -y --no-install-recommends docker.io docker-cli docker-compose',
			),
			'systemctl enable --now docker',
		]);
	});

	it('first finishes an install that was interrupted on the server (apt refuses to work before)', () => {
		const verdict = decideDocker({...fresh, dpkgInterrupted: true, packages: ['runc']}, {source: 'distro'});
		expect(verdict.status === 'todo' && verdict.changes[0]).toBe('finish the package install that was interrupted (dpkg --configure -a)');
		expect(commands({...fresh, dpkgInterrupted: true})).toEqual([
			unlocked('env DEBIAN_FRONTEND=noninteractive dpkg --configure -a'),
			unlocked(
				'env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -o Acquire::http::Timeout=20 -o Acquire::https::Timeout=20 -o Acquire::Retries=2 update',
			),
			unlocked(
				'env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -o Acquire::http::Timeout=20 -o Acquire::https::Timeout=20 -o Acquire::Retries=2 install -y --no-install-recommends docker.io docker-cli docker-compose',
			),
			'systemctl enable --now docker',
		]);
	});

	it('is done when the engine runs with Compose v2, and only adds a sudo user to the docker group', () => {
		expect(decideDocker(running, {source: 'distro'})).toEqual({status: 'done', detail: 'Docker 26.1.5, Compose 2.26.1'});
		expect(commands({...running, user: 'researcher'})).toEqual(['usermod -aG docker researcher']);
		expect(decideDocker({...running, user: 'researcher', userInDockerGroup: true}, {source: 'distro'}).status).toBe('done');
	});

	it('starts a stopped engine without reinstalling from another source', () => {
		const verdict = decideDocker({...running, active: false, server: false}, {source: 'distro'});
		expect(verdict.status === 'todo' && verdict.changes).toEqual([
			"install Docker from Debian GNU/Linux 13 (trixie)'s packages",
			'enable and start the docker service',
		]);
	});

	it("uses Docker's repository for official, with the key in /etc/apt/keyrings", () => {
		expect(commands(fresh, 'official', 'https://repo.example.org/linux/debian/')).toEqual([
			unlocked(
				'env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -o Acquire::http::Timeout=20 -o Acquire::https::Timeout=20 -o Acquire::Retries=2 install -y --no-install-recommends ca-certificates curl',
			),
			'install -m 0755 -d /etc/apt/keyrings',
			'curl -fsSL --connect-timeout 10 --max-time 60 --retry 2 --retry-max-time 40 https://repo.example.org/linux/debian/gpg -o /etc/apt/keyrings/docker.asc',
			'chmod a+r /etc/apt/keyrings/docker.asc',
			"printf '%s\\n' 'deb [signed-by=/etc/apt/keyrings/docker.asc] https://repo.example.org/linux/debian trixie stable' > /etc/apt/sources.list.d/docker.list",
			unlocked(
				'env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -o Acquire::http::Timeout=20 -o Acquire::https::Timeout=20 -o Acquire::Retries=2 update',
			),
			unlocked(
				'env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -o Acquire::http::Timeout=20 -o Acquire::https::Timeout=20 -o Acquire::Retries=2 install -y --no-install-recommends docker-ce docker-ce-cli containerd.io docker-compose-plugin',
			),
			'systemctl enable --now docker',
		]);
	});

	it.each([
		[
			'Debian 12 with distro (no Compose v2 there)',
			{...fresh, os: bookworm, composeV1: '1.29.2'},
			'distro',
			/no Compose v2 package \(only Compose v1 1\.29\.2/,
			/docker.source: official/,
		],
		['a snap Docker', {...running, snapDocker: true}, 'distro', /installed as a snap/, /snap remove/],
		['docker-ce against distro', {...fresh, packages: ['docker-ce']}, 'distro', /docker-ce\) are installed/, /docker.source: official/],
		['docker.io against official', {...fresh, packages: ['docker.io']}, 'official', /docker.io is installed/, /docker.source: distro/],
		['official without a repository', fresh, 'official', /docker.repository is not set/, /docker.repository/],
	] as const)('is blocked for %s, saying what to do', (_name, facts, source, reason, fix) => {
		const verdict = decideDocker(facts, {source});
		expect(verdict.status).toBe('blocked');
		expect(verdict.status === 'blocked' && verdict.reason).toMatch(reason);
		expect(verdict.status === 'blocked' && verdict.fix).toMatch(fix);
	});

	// Issue 9 item 10: distro said "use official", official said "use distro, or remove docker.io": a loop.
	it("on Debian 12 with Debian's docker.io, both sources give the one way that works, in order, and it works", () => {
		const installed: DockerFacts = {
			...fresh,
			os: bookworm,
			packages: ['docker.io', 'containerd', 'runc'],
			active: true,
			enabled: true,
			server: '20.10.24',
			composeV1: '1.29.2',
		};
		const oneWay =
			"1. remove the distribution's Docker packages on the server: `sudo apt-get remove docker.io containerd runc` (images, containers and volumes in /var/lib/docker stay); " +
			'2. set docker.source: official and docker.repository (Docker\'s apt repository for debian, from Docker\'s "Install Docker Engine" guide) in lab.yaml; ' +
			'3. run `labbox run docker`.';
		const distro = decideDocker(installed, {source: 'distro'});
		const official = decideDocker(installed, {source: 'official', repository: 'https://repo.example.org/linux/debian'});
		expect(distro).toEqual({
			status: 'blocked',
			reason: 'Debian GNU/Linux 12 (bookworm) has no Compose v2 package (only Compose v1 1.29.2, end of life)',
			fix: `The one way is Docker's own packages: ${oneWay}`,
		});
		expect(official).toEqual({
			status: 'blocked',
			reason:
				"The distribution's docker.io is installed, but docker.source is official (and Debian GNU/Linux 12 (bookworm) has no Compose v2 package, so only Docker's own packages will do)",
			fix: `The one way: ${oneWay}`,
		});
		// Neither sends the user to docker.source: distro, which cannot work there.
		expect(`${distro.status === 'blocked' && distro.fix} ${official.status === 'blocked' && official.fix}`).not.toMatch(
			/docker\.source: distro/,
		);
		// Following the steps: the packages gone (dpkg keeps their configuration), official installs.
		const removed = {...installed, packages: [], active: false, enabled: false, server: false as const};
		expect(decideDocker(removed, {source: 'official', repository: 'https://repo.example.org/linux/debian'}).status).toBe('todo');
		// Docker's own packages on Debian 12 with distro: only official will do, not "remove docker-ce".
		const ce = decideDocker({...fresh, os: bookworm, packages: ['docker-ce']}, {source: 'distro'});
		expect(ce.status === 'blocked' && ce.fix).toBe(
			'Set docker.source: official and docker.repository in lab.yaml (Debian GNU/Linux 12 (bookworm) has no Compose v2 package), then run `labbox run docker`.',
		);
	});

	// Issue 9 item 6: curl without a connect timeout waited 134 s per try, 4 tries, before saying anything.
	it('bounds the download of the repository key, and says which address did not answer, with the fix', () => {
		expect(toShell(download('https://192.0.2.10/gpg', '/k.asc'))).toBe(
			'curl -fsSL --connect-timeout 10 --max-time 60 --retry 2 --retry-max-time 40 https://192.0.2.10/gpg -o /k.asc',
		);
		const wanted = {source: 'official', repository: 'https://192.0.2.10/linux/debian'} as const;
		const curl = download('https://192.0.2.10/linux/debian/gpg', '/etc/apt/keyrings/docker.asc');
		const timedOut = installFailure(
			curl,
			new CommandFailedError('curl', 28, ['curl: (28) Failed to connect to 192.0.2.10 port 443 after 10002 ms: Timeout was reached']),
			wanted,
		);
		expect(timedOut?.message).toBe(
			"The server could not reach https://192.0.2.10/linux/debian/gpg to fetch Docker's repository key: no answer in time from 192.0.2.10:443.",
		);
		expect(timedOut?.hint).toMatch(/^Check docker\.repository in lab\.yaml .* Then `labbox run docker`\.$/);
		// apt's own words, for Docker's repository and for the distribution's mirror.
		const update = decideDocker(fresh, wanted);
		const aptUpdate =
			update.status === 'todo'
				? update.commands.find(command => toShell(command).includes('apt-get') && toShell(command).endsWith(' update'))!
				: [];
		const apt = (line: string) =>
			installFailure(aptUpdate, new CommandFailedError('apt-get update', 100, ['Err:5 https://x trixie InRelease', line]), wanted);
		expect(apt('  Could not connect to 192.0.2.10:443 (192.0.2.10), connection timed out')?.message).toBe(
			'The server could not reach 192.0.2.10:443 (192.0.2.10) to download packages: no answer in time.',
		);
		expect(apt('  Could not connect to 192.0.2.10:443 (192.0.2.10), connection timed out')?.hint).toMatch(/^Check docker\.repository/);
		expect(apt("  Temporary failure resolving 'mirror.example.org'")?.hint).toMatch(/distribution's package mirror/);
		// A failure without a known cause keeps the command's own error.
		expect(installFailure(aptUpdate, new CommandFailedError('apt-get update', 100, ['E: something else']), wanted)).toBeUndefined();
	});

	it('reports a full disk during the install as a full disk, with the numbers', () => {
		const install = new CommandFailedError('apt-get install', 100, [
			'dpkg: error processing archive /var/cache/apt/archives/docker.io.deb (--unpack):',
			" cannot copy extracted data for './usr/sbin/dockerd' to '/usr/sbin/dockerd.dpkg-new': failed to write (No space left on device)",
		]);
		const error = installFailure(['apt-get', 'install'], install, {source: 'distro'}, {mount: '/', total: 4 * 1024 ** 3, available: 0});
		expect(error?.message).toBe(
			'The server\'s disk is full: installing Docker stopped with "no space left on device". 0.0 GiB of 4.0 GiB is free on / (which holds /usr); about 0.6 GiB is needed.',
		);
	});
});
