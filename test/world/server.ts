import {createHash, randomBytes} from 'node:crypto';
import {readFile} from 'node:fs/promises';
import {LABEL, PREFIX, ports} from './config.js';
import {docker, dockerExec} from './docker.js';
import {ensureNetwork, serviceAddress, type WorldNetwork} from './network.js';
import {ensureServerImage, type Variant} from './server-image.js';
import {ensureSshKey, secrets} from './secrets.js';
import {processAlive} from '../../source/engine/process-alive.js';
import {sshBanner} from './ssh-banner.js';
import {waitFor} from './wait.js';
import {caFile, ensureWorldCa} from './world-ca.js';

export interface SshUser {
	user: string;
	keyPath: string;
}

export interface ServerEntry {
	variant: Variant;
	containerName: string;
	host: string;
	port: number;
	/** The server's ed25519 host key (`ssh-ed25519 AAAA...`), to verify it like a known_hosts entry. */
	hostKey: string;
	/** How sshd is started: a normal unit, or socket activation as on Ubuntu 24.04. */
	sshListener: 'ssh.service' | 'ssh.socket';
	/** `systemctl is-system-running` when the server was handed out. */
	systemState: string;
	users: {
		root: SshUser;
		researcher: SshUser & {password: string; sudo: 'nopasswd' | 'password'};
	};
}

// Systemd as PID 1 without --privileged (which fails on these machines), as FIELD-NOTES measured.
const systemdFlags = [
	'--cap-add',
	'ALL',
	'--cap-drop',
	'SYS_RESOURCE',
	'--security-opt',
	'seccomp=unconfined',
	'--security-opt',
	'apparmor=unconfined',
	'--tmpfs',
	'/run',
	'--tmpfs',
	'/run/lock',
	'-v',
	'/sys/fs/cgroup:/sys/fs/cgroup:rw',
	'--cgroupns=host',
	// A real filesystem under the wizard's Docker, so it can use overlay2 instead of vfs.
	'-v',
	'/var/lib/docker',
];

/** The registry as Docker names it (host:port); its CA goes to /etc/docker/certs.d/HOST:PORT/ca.crt. */
export const registryHost = (network: WorldNetwork) => `${serviceAddress(network, 'registry')}:${ports.registry}`;

/**
 * Runs once systemd has booted, before the server is handed out: the world's key for both
 * users, the researcher's password (on stdin), and trust in the world CA for the system and for
 * Docker's registry client (so it is in place before the wizard installs Docker).
 */
const provisionScript = `set -e
read -r key
read -r password
for home in /root /home/researcher; do
	install -d -m 0700 "$home/.ssh"
	printf '%s\\n' "$key" > "$home/.ssh/authorized_keys"
	chmod 0600 "$home/.ssh/authorized_keys"
done
chown -R researcher:researcher /home/researcher/.ssh
printf 'researcher:%s\\n' "$password" | chpasswd
ca=/usr/local/share/ca-certificates/labbox-world-ca.crt
chmod 0644 "$ca"
install -D -m 0644 "$ca" "/etc/docker/certs.d/$WORLD_REGISTRY/ca.crt"
update-ca-certificates >/dev/null
`;

async function containerAddress(name: string, network: string): Promise<string> {
	return docker(['container', 'inspect', '--format', `{{(index .NetworkSettings.Networks "${network}").IPAddress}}`, name]);
}

export interface StartOptions {
	/** Container name without the prefix; default `server-VARIANT-RANDOM`. */
	name?: string;
	/** Keep it after this process ends (the default server, `world server`); else `up` prunes it then. */
	keep?: boolean;
}

/**
 * Which world made a server: its SSH key and CA. Another clone's world on the same engine uses the same
 * container names with other keys; a kept server of another world must be replaced, not reused.
 */
export async function worldIdentity(): Promise<string> {
	const [key] = await Promise.all([ensureSshKey(), ensureWorldCa()]);
	return createHash('sha256')
		.update(key.publicKey)
		.update(await readFile(caFile))
		.digest('hex')
		.slice(0, 16);
}

/** The world identity a server container was labelled with when it started. */
export async function serverIdentity(containerName: string): Promise<string> {
	return docker(['container', 'inspect', '--format', `{{index .Config.Labels "${LABEL}.world"}}`, containerName]);
}

/** Starts one fresh server of the variant and returns once sshd answers and systemd is up. */
export async function startServer(variant: Variant, options: StartOptions = {}): Promise<ServerEntry> {
	const [network, identity, image, key, secret] = await Promise.all([
		ensureNetwork(),
		worldIdentity(),
		ensureServerImage(variant),
		ensureSshKey(),
		secrets(),
	]);
	const containerName = `${PREFIX}${options.name ?? `server-${variant}-${randomBytes(3).toString('hex')}`}`;
	await docker([
		'run',
		'--detach',
		'--name',
		containerName,
		'--hostname',
		containerName.slice(PREFIX.length),
		'--label',
		`${LABEL}=server`,
		'--label',
		`${LABEL}.owner=${options.keep ? 'kept' : process.pid}`,
		'--label',
		`${LABEL}.world=${identity}`,
		'--network',
		network.name,
		...systemdFlags,
		image,
	]);
	await docker(['cp', caFile, `${containerName}:/usr/local/share/ca-certificates/labbox-world-ca.crt`]);
	// After boot: systemd mounts a fresh /tmp while booting, which would pull files from under us.
	const systemState = await waitForSystemd(containerName);
	const provision = await execProvision(containerName, key.publicKey, secret.researcherPassword, registryHost(network));
	if (provision.exitCode !== 0) throw new Error(`provisioning ${containerName} failed: ${provision.stderr}${provision.stdout}`);
	const host = await containerAddress(containerName, network.name);
	await waitFor(`sshd on ${containerName}`, () => sshBanner(host, 22), {timeoutMs: 60_000, intervalMs: 300});
	const hostKey = (await docker(['exec', containerName, 'cat', '/etc/ssh/ssh_host_ed25519_key.pub'])).trim();
	return {
		variant,
		containerName,
		host,
		port: 22,
		hostKey,
		sshListener: variant === 'ssh-socket' ? 'ssh.socket' : 'ssh.service',
		systemState,
		users: {
			root: {user: 'root', keyPath: key.keyPath},
			researcher: {
				user: 'researcher',
				keyPath: key.keyPath,
				password: secret.researcherPassword,
				sudo: variant === 'sudo-password' ? 'password' : 'nopasswd',
			},
		},
	};
}

function execProvision(container: string, publicKey: string, password: string, registry = '') {
	return dockerExec(container, provisionScript, {input: `${publicKey}\n${password}\n`, env: {WORLD_REGISTRY: registry}});
}

/**
 * Systemd has finished booting. `degraded` is accepted (a unit that cannot work in a container
 * may fail) but reported in the entry; `starting` is waited for.
 */
async function waitForSystemd(container: string): Promise<string> {
	return waitFor(
		`systemd in ${container}`,
		async () => {
			const state = (await dockerExec(container, 'systemctl is-system-running')).stdout.trim();
			return state === 'running' || state === 'degraded' ? state : undefined;
		},
		{timeoutMs: 90_000, intervalMs: 300},
	);
}

export async function removeServer(containerName: string): Promise<void> {
	if (!containerName.startsWith(PREFIX)) throw new Error(`${containerName} is not a world container`);
	await docker(['rm', '--force', '--volumes', containerName]);
}

/**
 * Removes fresh servers whose test process is gone (killed runs leave them behind); kept ones
 * (the default server, those from `npm run world -- server`) stay until `down`.
 */
export async function pruneOrphanServers(): Promise<number> {
	const out = await docker(['ps', '--all', '--filter', `label=${LABEL}=server`, '--format', `{{.Names}} {{.Label "${LABEL}.owner"}}`]);
	const orphans = out
		.split('\n')
		.map(line => line.split(' '))
		.filter(([name, owner]) => name?.startsWith(PREFIX) && /^\d+$/.test(owner ?? '') && !processAlive(Number(owner)))
		.map(([name]) => name);
	if (orphans.length > 0) await docker(['rm', '--force', '--volumes', ...orphans]);
	return orphans.length;
}
