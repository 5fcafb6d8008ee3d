import {LABEL, NETWORK, PREFIX, type Service} from './config.js';
import {docker, dockerMaybe} from './docker.js';
import {serviceAddress, type WorldNetwork} from './network.js';
import {recipeHash} from './recipe-hash.js';

export interface ServiceSpec {
	service: Service;
	image: string;
	command: string[];
	env?: Record<string, string>;
	/** host path -> container path, read-only */
	mounts?: Record<string, string>;
	/** Container ports also published on the test machine's loopback only, on a port Docker picks. */
	loopbackPorts?: number[];
	/** A named volume (prefixed, so `down` removes it) mounted at this path, kept across restarts. */
	dataPath?: string;
	/** Anything else that should restart the service when it changes (a config file's text, a certificate). */
	config?: unknown;
}

/**
 * Runs one service container at its fixed address in the world network. Idempotent: a running
 * container started from the same spec is kept; one from an older spec is replaced.
 */
export async function ensureServiceContainer(network: WorldNetwork, spec: ServiceSpec): Promise<string> {
	const name = `${PREFIX}${spec.service}`;
	const address = serviceAddress(network, spec.service);
	const specHash = recipeHash(spec, network.subnet);
	const running = await dockerMaybe([
		'container',
		'inspect',
		'--format',
		`{{.State.Running}} {{index .Config.Labels "${LABEL}.spec"}}`,
		name,
	]);
	if (running === `true ${specHash}`) return address;
	await dockerMaybe(['rm', '--force', '--volumes', name]);
	await docker([
		'run',
		'--detach',
		'--name',
		name,
		'--hostname',
		spec.service,
		'--label',
		`${LABEL}=${spec.service}`,
		'--label',
		`${LABEL}.spec=${specHash}`,
		'--network',
		NETWORK,
		'--ip',
		address,
		'--restart',
		'unless-stopped',
		...Object.entries(spec.env ?? {}).flatMap(([key, value]) => ['--env', `${key}=${value}`]),
		...Object.entries(spec.mounts ?? {}).flatMap(([from, to]) => ['--volume', `${from}:${to}:ro`]),
		...(spec.loopbackPorts ?? []).flatMap(port => ['--publish', `127.0.0.1::${port}`]),
		...(spec.dataPath ? ['--volume', `${name}-data:${spec.dataPath}`] : []),
		spec.image,
		...spec.command,
	]);
	return address;
}

/** The loopback port Docker published for a service's container port. */
export async function loopbackPort(service: Service, port: number): Promise<number> {
	const out = await docker(['port', `${PREFIX}${service}`, `${port}/tcp`]);
	const match = /127\.0\.0\.1:(\d+)/.exec(out);
	if (!match) throw new Error(`${service} publishes no loopback port for ${port}: ${out}`);
	return Number(match[1]);
}
