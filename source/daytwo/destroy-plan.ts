/**
 * `labbox destroy [--purge]` (issue 13 item 3), as data: what of the lab runs on the server (one read-only look),
 * and the commands that remove it. Containers (nginx, the hub, the users' notebook servers, a renewer still
 * running), the lab's systemd units and timers (labbox-*, never the SSH port's labbox-ssh-*), the notebook
 * firewall's rules and script. Kept: everything under lab.root (homes, shared, datasets, the hub database in
 * data/, certificates, configuration), the images, Docker and sshd as they are. --purge also removes lab.root.
 */
import path from 'node:path/posix';
import {any, chain, pipe, quiet, shell, type Command} from '../remote/command.js';
import {notebookNetwork} from '../templates/notebook-network.js';

/** What the plan is made from. */
export interface LabOnServer {
	/** Container names: compose services, notebook servers, renewer runs. */
	readonly containers: readonly string[];
	/** The lab's unit files (`labbox-renewer.timer`...). */
	readonly units: readonly string[];
	/** lab.root exists. */
	readonly root: boolean;
}

const mark = (name: string) => ['echo', `== ${name}`];
// The SSH port's own units (its revert timer) belong to sshd, which destroy leaves as it is.
const sshUnits = /^labbox-ssh/;

/** One read-only look: the lab's containers, units and root, in sections `== NAME`. */
export function labOnServer(root: string): Command {
	const names = ['--format', '{{.Names}}'];
	return shell(
		chain(
			mark('containers'),
			quiet(['docker', 'ps', '--all', '--filter', 'label=com.docker.compose.project=labbox', ...names]),
			quiet(['docker', 'ps', '--all', '--filter', `network=${notebookNetwork.name}`, ...names]),
			quiet(['docker', 'ps', '--all', '--filter', 'label=labbox.role=renewer', ...names]),
			mark('units'),
			quiet(['systemctl', 'list-unit-files', '--no-legend', '--plain', 'labbox-*']),
			mark('root'),
			any(['test', '-d', root], ['echo', 'missing']),
		),
	);
}

export function parseLabOnServer(output: string): LabOnServer {
	const sections = new Map<string, string[]>();
	let current = '';
	for (const line of output.split('\n').map(item => item.trim())) {
		if (line.startsWith('== ')) {
			current = line.slice(3);
			sections.set(current, []);
		} else if (line !== '') {
			sections.get(current)?.push(line);
		}
	}
	const units = (sections.get('units') ?? []).map(line => line.split(/\s+/)[0]!).filter(unit => !sshUnits.test(unit));
	return {
		containers: [...new Set(sections.get('containers') ?? [])].sort(),
		units: [...new Set(units)].sort(),
		root: !(sections.get('root') ?? []).includes('missing'),
	};
}

/** The plan's lines: what goes, and what stays. */
export function destroyPlan(found: LabOnServer, root: string, purge: boolean): string[] {
	return [
		found.containers.length > 0 ? `stop and remove the containers ${found.containers.join(', ')}` : 'no container of the lab runs',
		found.units.length > 0 ? `disable and remove the units ${found.units.join(', ')}` : 'no unit of the lab is installed',
		`remove the notebook firewall's rules and ${'/usr/local/sbin/labbox-firewall'}`,
		purge
			? `DELETE ${root} with everything in it: homes, shared, datasets, the hub database, certificates (asks for the domain)`
			: `keep ${root}: homes, shared, datasets, the hub database (data/), certificates and configuration; \`labbox\` brings the lab back`,
		'keep the images (docker image prune frees their space), Docker, and sshd on its port, as they are',
	];
}

/** Removes the firewall's jumps and chains (both families; what is absent is fine). */
function firewallRemoval(): Command[] {
	const {bridge} = notebookNetwork;
	return ['iptables', 'ip6tables'].flatMap(ipt => {
		const tolerant = (command: Command) => any(quiet(command), ['true']);
		return [
			tolerant([ipt, '--wait', '-D', 'DOCKER-USER', '-i', bridge, '-o', bridge, '-j', 'LABBOX-NOTEBOOKS']),
			tolerant([ipt, '--wait', '-D', 'FORWARD', '-i', bridge, '-o', bridge, '-j', 'LABBOX-NOTEBOOKS']),
			tolerant([ipt, '--wait', '-D', 'INPUT', '-i', bridge, '-j', 'LABBOX-INPUT']),
			...['DOCKER-USER', 'FORWARD'].map(parent => tolerant([ipt, '--wait', '-D', parent, '-i', bridge, '-j', 'LABBOX-METADATA'])),
			...['LABBOX-NOTEBOOKS', 'LABBOX-INPUT', 'LABBOX-METADATA'].flatMap(chainName => [
				tolerant([ipt, '--wait', '-F', chainName]),
				tolerant([ipt, '--wait', '-X', chainName]),
			]),
		];
	});
}

/** The commands, in order: notebooks first (compose cannot remove a network they are on), then compose, units, firewall. */
export function destroyCommands(found: LabOnServer, root: string, purge: boolean): Command[] {
	const compose = path.join(root, 'compose.yaml');
	return [
		pipe(
			['docker', 'ps', '--all', '--quiet', '--filter', `network=${notebookNetwork.name}`],
			['xargs', '--no-run-if-empty', 'docker', 'rm', '--force'],
		),
		pipe(
			['docker', 'ps', '--all', '--quiet', '--filter', 'label=labbox.role=renewer'],
			['xargs', '--no-run-if-empty', 'docker', 'rm', '--force'],
		),
		any(['test', '!', '-e', compose], ['docker', 'compose', '--file', compose, 'down', '--remove-orphans']),
		...(found.units.length > 0
			? [
					['systemctl', 'disable', '--now', ...found.units],
					['rm', '-f', ...found.units.map(unit => `/etc/systemd/system/${unit}`)],
					['systemctl', 'daemon-reload'],
				]
			: []),
		...firewallRemoval(),
		['rm', '-f', '/usr/local/sbin/labbox-firewall'],
		...(purge ? [['rm', '-rf', '--', root]] : []),
	];
}
