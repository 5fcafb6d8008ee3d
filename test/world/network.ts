import {LABEL, NETWORK, PREFIX, serviceHosts, standInHosts, type Service} from './config.js';
import {docker, dockerMaybe} from './docker.js';

export interface WorldNetwork {
	name: string;
	subnet: string;
	gateway: string;
}

function toInt(ip: string): number {
	return ip.split('.').reduce((sum, part) => sum * 256 + Number(part), 0);
}

function toIp(value: number): string {
	return [24, 16, 8, 0].map(shift => Math.floor(value / 2 ** shift) % 256).join('.');
}

function parseCidr(cidr: string): {base: number; bits: number} {
	const [ip, bits] = cidr.split('/');
	return {base: toInt(ip), bits: Number(bits)};
}

/** The world's services sit at fixed addresses low in the subnet, so their certificates stay valid. */
export function serviceAddress(network: WorldNetwork, service: Service): string {
	return toIp(parseCidr(network.subnet).base + {...serviceHosts, ...standInHosts}[service]);
}

/** Servers get addresses from the upper half only, so they never take a service's address. */
function serverRange(subnet: string): string {
	const {base, bits} = parseCidr(subnet);
	return `${toIp(base + 2 ** (32 - bits - 1))}/${bits + 1}`;
}

async function inspect(name: string): Promise<WorldNetwork | undefined> {
	const out = await dockerMaybe(['network', 'inspect', '--format', '{{json .IPAM.Config}}', name]);
	if (!out) return undefined;
	const [config] = JSON.parse(out) as {Subnet: string; Gateway: string}[];
	return {name, subnet: config.Subnet, gateway: config.Gateway};
}

/**
 * The world's own bridge network. Docker chooses a free subnet (so it never overlaps the
 * machine's networks): we let it pick one on a throw-away network, then create ours with that
 * subnet made explicit, which is what allows fixed addresses for the services.
 */
export async function ensureNetwork(): Promise<WorldNetwork> {
	const existing = await inspect(NETWORK);
	if (existing) return existing;
	const probe = `${PREFIX}probe-net`;
	await dockerMaybe(['network', 'rm', probe]);
	await docker(['network', 'create', '--label', LABEL, probe]);
	const picked = await inspect(probe);
	await docker(['network', 'rm', probe]);
	if (!picked) throw new Error('docker did not report the subnet it chose');
	const {bits} = parseCidr(picked.subnet);
	const range = serverRange(picked.subnet);
	if (bits > 24) throw new Error(`subnet ${picked.subnet} is too small for the world`);
	await docker([
		'network',
		'create',
		'--label',
		LABEL,
		'--subnet',
		picked.subnet,
		'--gateway',
		picked.gateway,
		'--ip-range',
		range,
		// Its first address ends in .0: reserve it, so no server gets an address that looks like a network.
		'--aux-address',
		`reserved=${range.split('/')[0]}`,
		NETWORK,
	]);
	return {name: NETWORK, subnet: picked.subnet, gateway: picked.gateway};
}

export async function existingNetwork(): Promise<WorldNetwork | undefined> {
	return inspect(NETWORK);
}
