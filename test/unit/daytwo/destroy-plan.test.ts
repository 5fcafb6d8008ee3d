import {describe, expect, it} from 'vitest';
import {destroyCommands, destroyPlan, labOnServer, parseLabOnServer} from '../../../source/daytwo/destroy-plan.js';
import {toShell} from '../../../source/remote/command.js';
import {firewallFiles} from '../../../steps/stack/firewall.js';

const seen = `== containers
labbox-hub-1
labbox-nginx-1
jupyter-alice
== units
labbox-firewall.service enabled enabled
labbox-renewer.service static -
labbox-renewer.timer enabled enabled
labbox-ssh-revert.timer static -
== root
`;

describe('labbox destroy: the plan and its commands (issue 13 item 3)', () => {
	it('one look at the server: containers of the project, the notebooks and the renewer, the units, the root', () => {
		expect(toShell(labOnServer('/srv/lab'))).toBe(
			"sh -c 'echo '\\''== containers'\\'' ; docker ps --all --filter label=com.docker.compose.project=labbox --format '\\''{{.Names}}'\\'' 2>/dev/null ; docker ps --all --filter network=labbox-notebooks --format '\\''{{.Names}}'\\'' 2>/dev/null ; docker ps --all --filter label=labbox.role=renewer --format '\\''{{.Names}}'\\'' 2>/dev/null ; echo '\\''== units'\\'' ; systemctl list-unit-files --no-legend --plain '\\''labbox-*'\\'' 2>/dev/null ; echo '\\''== root'\\'' ; test -d /srv/lab || echo missing'",
		);
		// The SSH port's revert unit belongs to sshd: destroy never names it.
		expect(parseLabOnServer(seen)).toEqual({
			containers: ['jupyter-alice', 'labbox-hub-1', 'labbox-nginx-1'],
			units: ['labbox-firewall.service', 'labbox-renewer.service', 'labbox-renewer.timer'],
			root: true,
		});
	});

	it('the plan says what goes and what stays; --purge says it deletes the root', () => {
		const found = parseLabOnServer(seen);
		const plan = destroyPlan(found, '/srv/lab', false);
		expect(plan).toEqual([
			'stop and remove the containers jupyter-alice, labbox-hub-1, labbox-nginx-1',
			'disable and remove the units labbox-firewall.service, labbox-renewer.service, labbox-renewer.timer',
			"remove the notebook firewall's rules and /usr/local/sbin/labbox-firewall",
			'keep /srv/lab: homes, shared, datasets, the hub database (data/), certificates and configuration; `labbox` brings the lab back',
			'keep the images (docker image prune frees their space), Docker, and sshd on its port, as they are',
		]);
		expect(destroyPlan(found, '/srv/lab', true)[3]).toBe(
			'DELETE /srv/lab with everything in it: homes, shared, datasets, the hub database, certificates (asks for the domain)',
		);
	});

	it('notebooks go before compose down; only --purge removes the root, and nothing else under it is touched', () => {
		const commands = destroyCommands(parseLabOnServer(seen), '/srv/lab', false).map(command => toShell(command));
		expect(commands.slice(0, 6)).toEqual([
			'docker ps --all --quiet --filter network=labbox-notebooks | xargs --no-run-if-empty docker rm --force',
			'docker ps --all --quiet --filter label=labbox.role=renewer | xargs --no-run-if-empty docker rm --force',
			"test '!' -e /srv/lab/compose.yaml || docker compose --file /srv/lab/compose.yaml down --remove-orphans",
			'systemctl disable --now labbox-firewall.service labbox-renewer.service labbox-renewer.timer',
			'rm -f /etc/systemd/system/labbox-firewall.service /etc/systemd/system/labbox-renewer.service /etc/systemd/system/labbox-renewer.timer',
			'systemctl daemon-reload',
		]);
		expect(commands.at(-1)).toBe('rm -f /usr/local/sbin/labbox-firewall');
		// Every chain the firewall script makes is emptied and deleted, in both families.
		const chains = [...String(firewallFiles()[0]!.content).matchAll(/own_chain "\$ipt" (\S+)/g)].map(match => match[1]);
		expect(chains).toContain('LABBOX-METADATA');
		for (const chain of chains)
			for (const ipt of ['iptables', 'ip6tables']) expect(commands.join('\n')).toContain(`${ipt} --wait -X ${chain}`);
		expect(commands.join('\n')).toContain('iptables --wait -D DOCKER-USER -i labbox-nb -j LABBOX-METADATA');
		expect(commands.some(command => command.includes('rm -rf'))).toBe(false);
		expect(
			destroyCommands(parseLabOnServer(seen), '/srv/lab', true)
				.map(command => toShell(command))
				.at(-1),
		).toBe('rm -rf -- /srv/lab');
	});
});
