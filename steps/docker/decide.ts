/**
 * The docker step's decision, as pure data (pyinfra style): facts in, a verdict and the commands out.
 * Kept apart from SSH so every case is a unit test.
 */
import {write, type Command} from '../../source/remote/command.js';
import {aptInstall, aptUpdate, dpkgConfigurePending} from '../../source/remote/commands/apt.js';
import {enable} from '../../source/remote/commands/systemctl.js';
import type {OsRelease} from '../../source/remote/facts/os-release.js';

/** What the server has, as far as Docker goes. */
export interface DockerFacts {
	readonly os: OsRelease;
	/** Installed packages among those we care about. */
	readonly packages: readonly string[];
	readonly snapDocker: boolean;
	readonly active: boolean;
	readonly enabled: boolean;
	/** `docker info` answered with this server version. */
	readonly server: string | false;
	readonly compose: string | false;
	readonly composeV1: string | false;
	readonly user: string;
	readonly userInDockerGroup: boolean;
	/** An install was interrupted on the server (killed, or stopped by Ctrl-C): dpkg must finish it before apt works. */
	readonly dpkgInterrupted: boolean;
}

export interface DockerWanted {
	readonly source: 'official' | 'distro';
	/** Docker's apt repository for `official` (e.g. its URL for Debian); see README. */
	readonly repository?: string;
}

export type DockerVerdict =
	| {readonly status: 'done'; readonly detail: string}
	| {readonly status: 'todo'; readonly changes: readonly string[]; readonly commands: readonly Command[]}
	| {readonly status: 'blocked'; readonly reason: string; readonly fix: string};

/** Packages whose presence tells which Docker is installed. */
export const watchedPackages = [
	'docker.io',
	'docker-cli',
	'docker-doc',
	'containerd',
	'runc',
	'docker-ce',
	'docker-ce-cli',
	'containerd.io',
	'docker-compose',
	'docker-compose-v2',
	'docker-compose-plugin',
	'podman-docker',
];

/** The distribution's Docker packages, which Docker's own (containerd.io conflicts with containerd and runc) cannot sit beside. */
const distroDockerPackages = [
	'docker.io',
	'docker-cli',
	'docker-doc',
	'docker-compose',
	'docker-compose-v2',
	'podman-docker',
	'containerd',
	'runc',
];

const officialPackages = ['docker-ce', 'docker-ce-cli', 'containerd.io', 'docker-compose-plugin'];

/**
 * The distribution's packages with Compose v2, or undefined where there is none (Debian 12: only Compose v1).
 * Debian 13's docker.io only recommends its client (docker-cli), and we install without recommends.
 */
export function distroPackages(os: OsRelease): string[] | undefined {
	if (os.id === 'debian') {
		return Number(os.versionId ?? 0) >= 13 ? ['docker.io', 'docker-cli', 'docker-compose'] : undefined;
	}
	if (os.id === 'ubuntu') {
		return ['docker.io', 'docker-compose-v2'];
	}
	return undefined;
}

/** Where Docker's repository keeps its signing key. */
export function repositoryKeyUrl(repository: string): string {
	return `${repository.replace(/\/+$/, '')}/gpg`;
}

/**
 * Fetches a file with a bounded time (issue 9 item 6: without one, a dropped address took 134 s per try): 10 s to
 * connect, 60 s per try, no new try after 40 s; about 35 s in all when nothing answers.
 */
export function download(url: string, file: string): Command {
	return ['curl', '-fsSL', '--connect-timeout', '10', '--max-time', '60', '--retry', '2', '--retry-max-time', '40', url, '-o', file];
}

/** Adds Docker's signed apt repository (the key goes to /etc/apt/keyrings, as Docker's own guide does). */
export function officialRepository(os: OsRelease, repository: string): Command[] {
	const base = repository.replace(/\/+$/, '');
	const line = `deb [signed-by=/etc/apt/keyrings/docker.asc] ${base} ${os.codename ?? ''} stable`;
	return [
		aptInstall(['ca-certificates', 'curl']),
		['install', '-m', '0755', '-d', '/etc/apt/keyrings'],
		download(repositoryKeyUrl(repository), '/etc/apt/keyrings/docker.asc'),
		['chmod', 'a+r', '/etc/apt/keyrings/docker.asc'],
		write(['printf', '%s\\n', line], '/etc/apt/sources.list.d/docker.list'),
	];
}

/** The one way to Docker's own packages where the distribution's are installed, in order (issue 9 item 10: no advice loop). */
function switchToOfficial(facts: DockerFacts): string {
	const installed = distroDockerPackages.filter(name => facts.packages.includes(name));
	return (
		`1. remove the distribution's Docker packages on the server: \`sudo apt-get remove ${installed.join(' ')}\` (images, containers and volumes in /var/lib/docker stay); ` +
		`2. set docker.source: official and docker.repository (Docker's apt repository for ${facts.os.id}, from Docker's "Install Docker Engine" guide) in lab.yaml; ` +
		'3. run `labbox run docker`.'
	);
}

function addToGroup(facts: DockerFacts): Command[] {
	return facts.user !== 'root' && !facts.userInDockerGroup ? [['usermod', '-aG', 'docker', facts.user]] : [];
}

export function decideDocker(facts: DockerFacts, wanted: DockerWanted): DockerVerdict {
	if (facts.snapDocker) {
		return {
			status: 'blocked',
			reason: 'Docker is installed as a snap, which cannot bind-mount the lab folders and fights the apt packages',
			fix: 'Remove it on the server with `sudo snap remove --purge docker` (its containers and images go with it), then run `labbox run docker`.',
		};
	}
	const groupCommands = addToGroup(facts);
	const running = facts.active && facts.enabled && facts.server !== false;
	if (running && facts.compose !== false) {
		if (groupCommands.length === 0) {
			return {status: 'done', detail: `Docker ${facts.server}, Compose ${facts.compose}`};
		}
		return {status: 'todo', changes: [`add ${facts.user} to the docker group`], commands: groupCommands};
	}
	const hasOfficial = facts.packages.some(name => officialPackages.includes(name));
	const hasDistro = facts.packages.includes('docker.io');
	// Where the distribution has no Compose v2 (Debian 12), Docker's own packages are the only way.
	const distroHasCompose = distroPackages(facts.os) !== undefined;
	if (wanted.source === 'distro' && hasOfficial) {
		return {
			status: 'blocked',
			reason: "Docker's own packages (docker-ce) are installed, but docker.source is distro",
			fix: distroHasCompose
				? 'Set docker.source: official in lab.yaml (with docker.repository), or remove docker-ce on the server first.'
				: `Set docker.source: official and docker.repository in lab.yaml (${facts.os.prettyName} has no Compose v2 package), then run \`labbox run docker\`.`,
		};
	}
	if (wanted.source === 'official' && hasDistro) {
		return {
			status: 'blocked',
			reason: `The distribution's docker.io is installed, but docker.source is official${distroHasCompose ? '' : ` (and ${facts.os.prettyName} has no Compose v2 package, so only Docker's own packages will do)`}`,
			fix: distroHasCompose
				? 'Set docker.source: distro in lab.yaml, or remove docker.io on the server first (`sudo apt-get remove docker.io`).'
				: `The one way: ${switchToOfficial(facts)}`,
		};
	}
	let install: Command[];
	if (wanted.source === 'distro') {
		const packages = distroPackages(facts.os);
		if (!packages) {
			return {
				status: 'blocked',
				reason: `${facts.os.prettyName} has no Compose v2 package${facts.composeV1 ? ` (only Compose v1 ${facts.composeV1}, end of life)` : ''}`,
				fix: hasDistro
					? `The one way is Docker's own packages: ${switchToOfficial(facts)}`
					: "Use Docker's own packages: set docker.source: official and docker.repository in lab.yaml, then run `labbox run docker`.",
			};
		}
		install = [aptUpdate(), aptInstall(packages)];
	} else {
		if (!wanted.repository) {
			return {
				status: 'blocked',
				reason: 'docker.source is official, but docker.repository is not set',
				fix: `Set docker.repository in lab.yaml to Docker's apt repository for ${facts.os.id} (the URL in Docker's "Install Docker Engine" guide), or use docker.source: distro.`,
			};
		}
		install = [...officialRepository(facts.os, wanted.repository), aptUpdate(), aptInstall(officialPackages)];
	}
	if (facts.dpkgInterrupted) {
		install = [dpkgConfigurePending(), ...install];
	}
	const changes = [
		...(facts.dpkgInterrupted ? ['finish the package install that was interrupted (dpkg --configure -a)'] : []),
		running
			? 'install Compose v2'
			: `install Docker from ${wanted.source === 'distro' ? `${facts.os.prettyName}'s packages` : "Docker's repository"}`,
		...(facts.active && facts.enabled ? [] : ['enable and start the docker service']),
		...(groupCommands.length > 0 ? [`add ${facts.user} to the docker group`] : []),
	];
	return {status: 'todo', changes, commands: [...install, enable('docker', {now: true}), ...groupCommands]};
}
