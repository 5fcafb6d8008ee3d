// Issue 11 (speed): the one round trip of facts of a no-op run is bounded by the Docker clients it starts on the
// server (each is a Go program of its own, the Compose plugin a heavier one that also loads the project): what
// several facts ask of the same client runs once, and neither the containers nor the versions need the plugin.
import {execFileSync} from 'node:child_process';
import {describe, expect, it} from 'vitest';
import {resolvedConfig} from '../../../source/config/resolve.js';
import {toShell} from '../../../source/remote/command.js';
import {gatherCommand, type FactSet} from '../../../source/remote/facts/gather.js';
import {steps} from '../../../steps/index.js';

const config = resolvedConfig({
	'server.host': 'lab.test',
	domain: 'lab.test',
	'lab.root': '/srv/lab',
	'certificate.mode': 'letsencrypt',
	'certificate.email': 'admin@lab.test',
	'images.singleuser': 'registry.test/scipy-notebook:1',
	'images.hub': 'registry.test/jupyterhub:5.4.6',
	'images.hubBuild': false,
	'images.nginx': 'registry.test/nginx:1.28',
	'auth.type': 'oidc',
	'auth.issuer': 'https://id.lab.test',
	'auth.clientId': 'lab',
	'auth.allowedUsers': ['alice'],
	'backup.repository': 'none',
});

/** The command a no-op run sends: every step's facts, keyed as the engine keys them. */
function roundTrip(): string {
	const all: Record<string, FactSet[string]> = {};
	const target = {host: 'lab.test', port: 22, username: 'root'};
	for (const step of steps) {
		for (const [key, fact] of Object.entries(step.facts?.({config, target}) ?? {})) {
			all[`${step.id}/${key}`] = fact;
		}
	}
	return toShell(gatherCommand(all));
}

const count = (text: string, pattern: RegExp) => text.match(pattern)?.length ?? 0;

describe('the round trip of facts of a no-op run (issue 11)', () => {
	const command = roundTrip();

	it('never starts the Compose plugin: its version comes from docker info', () => {
		expect(count(command, /docker compose/g)).toBe(0);
	});

	it("asks docker info once, for the daemon's version, the Compose plugin's and Docker's disk", () => {
		expect(count(command, /docker info/g)).toBe(1);
	});

	it("lists the lab's containers once, for the stack and the dns steps", () => {
		expect(count(command, /docker ps --all --filter label=com\.docker\.compose\.project=labbox/g)).toBe(1);
	});

	it("asks the hub's users of its API with curl on the server, hub_users.py in the hub container only as a fallback", () => {
		expect(command).toContain('curl -fsS --connect-timeout 1 --max-time 20 -H @-');
		expect(command).toContain("'http://172.30.250.2:8081/hub/api/users?limit=200'");
	});

	it('asks docker image inspect about every image at once (the watched images and the renewer), one by one only if one is missing', () => {
		expect(command).toContain(
			"docker image inspect --format '{{.Id}}' registry.test/scipy-notebook:1 registry.test/nginx:1.28 registry.test/jupyterhub:5.4.6 labbox-renewer:acme-client-5.4.0 2>/dev/null > /dev/null && echo present '*' ||",
		);
		expect(count(command, /docker image inspect/g)).toBe(5);
	});

	it('asks systemd once, for every unit any step reads (each is-active or is-enabled was a process of its own)', () => {
		expect(count(command, /systemctl show/g)).toBe(1);
		// The others ask only when needed: firewalld when ufw is not there, the port-80 holder's unit when there is
		// one, the lab's firewall unit before its check script.
		expect(count(command, /systemctl is-(?:active|enabled) (?:[\w.-]+|--quiet [\w.-]+|"\$\{unit:--\}")/g)).toBe(3);
	});

	it('is one shell script the server can parse (every fact runs in a subshell of the same shell)', () => {
		expect(() => execFileSync('sh', ['-n', '-c', command])).not.toThrow();
	});

	it('starts each fact in a subshell, not in a shell of its own, and prints all outputs with one cat', () => {
		expect(command).not.toMatch(/sh -c '(?:uname|nproc|cat) /);
		expect(count(command, /\bcat "\$d"/g)).toBe(1);
	});
});
