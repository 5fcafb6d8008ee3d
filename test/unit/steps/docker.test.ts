import {describe, expect, it} from 'vitest';
import {toShell} from '../../../source/remote/command.js';
import {untilUnlocked} from '../../../source/remote/commands/apt.js';
import {decideDocker, type DockerFacts} from '../../../steps/docker/decide.js';

const trixie = {id: 'debian', versionId: '13', codename: 'trixie', prettyName: 'Debian GNU/Linux 13 (trixie)'};
const bookworm = {id: 'debian', versionId: '12', codename: 'bookworm', prettyName: 'Debian GNU/Linux 12 (bookworm)'};
const fresh: DockerFacts = {os: trixie, packages: [], snapDocker: false, active: false, enabled: false, server: false, compose: false, composeV1: false, user: 'root', userInDockerGroup: false, dpkgInterrupted: false};
const running: DockerFacts = {...fresh, packages: ['docker.io', 'docker-compose'], active: true, enabled: true, server: '26.1.5', compose: '2.26.1'};
/** An apt or dpkg command as the step runs it: again while another apt holds a lock (test/unit/remote/commands/apt.test.ts). */
const unlocked = (command: string) => `${toShell(untilUnlocked([]))} ${command}`;
const commands = (facts: DockerFacts, source: 'distro' | 'official' = 'distro', repository?: string) => {
	const verdict = decideDocker(facts, {source, repository});
	return verdict.status === 'todo' ? verdict.commands.map(command => toShell(command)) : verdict.status;
};

describe('docker decision', () => {
	it("installs Debian 13's packages, then enables the service", () => {
		expect(commands(fresh)).toEqual([
			unlocked('env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update'),
			unlocked('env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends docker.io docker-cli docker-compose'),
			'systemctl enable --now docker',
		]);
	});

	it('first finishes an install that was interrupted on the server (apt refuses to work before)', () => {
		const verdict = decideDocker({...fresh, dpkgInterrupted: true, packages: ['runc']}, {source: 'distro'});
		expect(verdict.status === 'todo' && verdict.changes[0]).toBe('finish the package install that was interrupted (dpkg --configure -a)');
		expect(commands({...fresh, dpkgInterrupted: true})).toEqual([
			unlocked('env DEBIAN_FRONTEND=noninteractive dpkg --configure -a'),
			unlocked('env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update'),
			unlocked('env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends docker.io docker-cli docker-compose'),
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
		expect(verdict.status === 'todo' && verdict.changes).toEqual(["install Docker from Debian GNU/Linux 13 (trixie)'s packages", 'enable and start the docker service']);
	});

	it('uses Docker\'s repository for official, with the key in /etc/apt/keyrings', () => {
		expect(commands(fresh, 'official', 'https://repo.example.org/linux/debian/')).toEqual([
			unlocked('env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends ca-certificates curl'),
			'install -m 0755 -d /etc/apt/keyrings',
			'curl -fsSL --retry 3 https://repo.example.org/linux/debian/gpg -o /etc/apt/keyrings/docker.asc',
			'chmod a+r /etc/apt/keyrings/docker.asc',
			"printf '%s\\n' 'deb [signed-by=/etc/apt/keyrings/docker.asc] https://repo.example.org/linux/debian trixie stable' > /etc/apt/sources.list.d/docker.list",
			unlocked('env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update'),
			unlocked('env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends docker-ce docker-ce-cli containerd.io docker-compose-plugin'),
			'systemctl enable --now docker',
		]);
	});

	it.each([
		['Debian 12 with distro (no Compose v2 there)', {...fresh, os: bookworm, composeV1: '1.29.2'}, 'distro', /no Compose v2 package \(only Compose v1 1\.29\.2/, /docker.source: official/],
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
});
