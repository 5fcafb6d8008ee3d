// What the server-steps e2e tests share: a lab folder (lab.yaml, its own HOME) for the four server steps on a
// fresh world server, logging in as the sudo user `researcher`, and a snapshot of what those steps may change.
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {parse} from 'yaml';
import {startServer, world, type Server, type Variant} from '../world/index.js';
import {labConfig, labYaml, runLabbox} from './lab-world.js';

/** The four steps of issue 4, as `labbox run` names them. */
export const serverSteps = ['connect', 'ssh-port', 'docker', 'homes'] as const;

export interface StepsLab {
	readonly server: Server;
	/** The lab folder (lab.yaml, .labbox/). */
	readonly lab: string;
	/** The HOME labbox runs with (its ~/.ssh/known_hosts). */
	readonly home: string;
	/** Runs the built labbox in the lab folder; `env` adds to the lab's own variables (the secrets). */
	labbox(args: readonly string[], options?: {env?: Record<string, string>; timeout?: number}): ReturnType<typeof runLabbox>;
	/** Rewrites lab.yaml with these keys changed (undefined removes one). */
	change(values: Record<string, unknown>): Promise<void>;
	/** lab.yaml as labbox left it. */
	// biome-ignore lint/suspicious/noExplicitAny: parsed YAML, read key by key in the tests.
	yaml(): Promise<any>;
	/** Removes the server and the folders. */
	remove(): Promise<void>;
}

/**
 * A fresh server of the variant and a lab folder for it: researcher with the world's key, the host key pinned,
 * sshd to move to 2222, Docker from the distribution. The sudo password (sudo-password) and the OAuth secret
 * come from the environment, as secrets do.
 */
export async function stepsLab(variant: Variant, values: Record<string, unknown> = {}): Promise<StepsLab> {
	const [w, server] = await Promise.all([world(), startServer(variant)]);
	const lab = await mkdtemp(path.join(tmpdir(), 'labbox-e2e-steps-'));
	const home = await mkdtemp(path.join(tmpdir(), 'labbox-e2e-home-'));
	const config: Record<string, unknown> = {...labConfig(w, server, 'steps.test'), 'server.user': 'researcher', 'ssh.port': 2222, ...values};
	const env = {
		LABBOX_AUTH_CLIENT_SECRET: w.oidc!.clientSecret,
		...(variant === 'sudo-password' ? {LABBOX_SERVER_SUDO_PASSWORD: server.users.researcher.password} : {}),
	};
	const file = path.join(lab, 'lab.yaml');
	await writeFile(file, labYaml(config));
	return {
		server,
		lab,
		home,
		labbox: (args, options = {}) => runLabbox(args, {lab, home, env: {...env, ...options.env}, timeout: options.timeout}),
		async change(changed) {
			// From the file, which labbox itself updates (server.port after a port move).
			const current = flatKeys(parse(await readFile(file, 'utf8')) as Record<string, unknown>);
			for (const [key, value] of Object.entries(changed)) {
				if (value === undefined) delete current[key];
				else current[key] = value;
			}
			await writeFile(file, labYaml(current));
		},
		yaml: async () => parse(await readFile(file, 'utf8')),
		async remove() {
			await server.remove();
			await rm(lab, {recursive: true, force: true});
			await rm(home, {recursive: true, force: true});
		},
	};
}

/** lab.yaml's sections as flat keys (`server: {port: 22}` → `server.port`), as labYaml takes them. */
function flatKeys(yaml: Record<string, unknown>): Record<string, unknown> {
	return Object.fromEntries(
		Object.entries(yaml).flatMap(([section, value]) =>
			value !== null && typeof value === 'object' && !Array.isArray(value)
				? Object.entries(value).map(([key, inner]) => [`${section}.${key}`, inner])
				: [[section, value]],
		),
	);
}

/**
 * Everything the four steps may touch, as text: sshd's configuration and drop-ins (content, mode, owner, mtime),
 * the revert script and timer, what listens, when sshd and Docker last started, Docker's packages (dpkg), the
 * lab's folders (mode, owner, mtime) and researcher's groups. Equal snapshots: nothing was changed.
 */
export async function snapshot(server: Server): Promise<string> {
	const script = `
for f in /etc/ssh/sshd_config /etc/ssh/sshd_config.d/* /etc/systemd/system/ssh.socket.d/* /run/systemd/generator/ssh.socket.d/* /usr/local/sbin/labbox-ssh-revert; do
	[ -e "$f" ] && echo "file $(stat -c '%n %a %U:%G %y' "$f") $(sha256sum < "$f" | cut -c1-16)"
done
systemctl list-units --all --no-legend 'labbox-ssh-revert*' | sed 's/^/unit /'
ss -Hltn | awk '{print "listen " $4}' | sort
for u in ssh.service ssh.socket docker.service; do echo "started $u $(systemctl show -p ActiveEnterTimestamp --value "$u")"; done
dpkg-query -W -f '\${db:Status-Abbrev} \${Package} \${Version}\\n' 2>/dev/null | grep -E ' (docker|containerd|runc|tini)' | sed 's/^/package /'
stat -c 'folder %n %a %U:%G %y' /srv/lab /srv/lab/* 2>&1
echo "groups $(id -nG researcher)"
`;
	const result = await server.exec(script);
	return result.stdout;
}

/** The ports sshd listens on (sshd itself, or systemd for ssh.socket), sorted. */
export async function sshPorts(server: Server): Promise<number[]> {
	const out = (await server.exec("ss -Hltnp | grep -E '\"(sshd|systemd)\"' | awk '{print $4}'")).stdout;
	return [...new Set(out.split('\n').flatMap(address => (/:(\d+)$/.exec(address) ? [Number(/:(\d+)$/.exec(address)![1])] : [])))].sort(
		(a, b) => a - b,
	);
}

/** A snapshot without times (mtimes, start times): what a revert restores, as it writes files and restarts sshd again. */
export function withoutTimes(text: string): string {
	return text
		.split('\n')
		.filter(line => !line.startsWith('started '))
		.map(line => line.replace(/ \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ [+-]\d{4}/, ''))
		.join('\n');
}
