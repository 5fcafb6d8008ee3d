/**
 * The dns step's decisions, as pure data: which names to check, which address is right, whether the answers
 * of the resolvers match it, and the exact record to create when they do not.
 */
import {BlockList, isIP} from 'node:net';
import type {PortHolder} from '../remote/facts/port-holders.js';
import {probeUnit} from './probe.js';

/** What one resolver said of one name. */
export type Answer =
	| {readonly resolver: string; readonly addresses: readonly string[]}
	/** `missing`: the resolver answered that there is no A record; `unreachable`: it did not answer. */
	| {readonly resolver: string; readonly error: 'missing' | 'unreachable'; readonly detail?: string};

/** How the records of one name compare with the wanted address. */
export type Verdict =
	| {readonly status: 'ok'}
	| {readonly status: 'missing'}
	| {readonly status: 'wrong'; readonly found: readonly string[]; readonly resolver: string}
	| {readonly status: 'no-resolver'; readonly detail: string};

/** The address the name must point to, where it comes from, and a note when the server is behind NAT. */
export interface WantedAddress {
	readonly address: string;
	readonly note?: string;
}

// Addresses nobody on the internet can reach the server at.
const notPublic = new BlockList();
for (const [network, prefix] of [
	['0.0.0.0', 8],
	['10.0.0.0', 8],
	['100.64.0.0', 10],
	['127.0.0.0', 8],
	['169.254.0.0', 16],
	['172.16.0.0', 12],
	['192.168.0.0', 16],
] as const) {
	notPublic.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
	['::1', 128],
	['fc00::', 7],
	['fe80::', 10],
] as const) {
	notPublic.addSubnet(network, prefix, 'ipv6');
}

/** Whether an address is reachable from the internet (not private, loopback, link-local or carrier NAT). */
export function isPublicAddress(address: string): boolean {
	const family = isIP(address);
	return family !== 0 && !notPublic.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** A wildcard is checked through a name nobody would create by hand (any name under it must resolve). */
export function lookupName(name: string, random: string): string {
	return name.startsWith('*.') ? `labbox-check-${random}${name.slice(1)}` : name;
}

/**
 * The right address: the one the laptop reaches the server at when it is public; else the server's own public
 * address; else (a private network only) the laptop's, with a warning. `configured` (dns.address) wins.
 */
export function wantedAddress(laptopView: string, serverAddresses: readonly string[], configured?: string): WantedAddress {
	if (configured) {
		return {
			address: configured,
			note: configured === laptopView ? undefined : `dns.address ${configured} is used (labbox reaches the server at ${laptopView})`,
		};
	}
	if (isPublicAddress(laptopView)) {
		const nat = serverAddresses.length > 0 && !serverAddresses.includes(laptopView);
		return {
			address: laptopView,
			note: nat
				? `the server is behind NAT: it sees itself as ${serverAddresses.join(', ')}, the laptop reaches it at ${laptopView}; ports 80 and 443 of ${laptopView} must be forwarded to it`
				: undefined,
		};
	}
	const own = serverAddresses.find(isPublicAddress);
	if (own) {
		return {address: own, note: `labbox reaches the server at the private address ${laptopView}; its public address is ${own}`};
	}
	return {
		address: laptopView,
		note: `${laptopView} is a private address: the lab will be reachable from this network only (set dns.address if the server has a public address behind NAT)`,
	};
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every(item => b.includes(item));

/** Ok only when every resolver that answered gives exactly the wanted address. */
export function judge(answers: readonly Answer[], address: string): Verdict {
	const answered = answers.filter(answer => !('error' in answer) || answer.error === 'missing');
	if (answered.length === 0) {
		return {
			status: 'no-resolver',
			detail: answers.map(answer => `${answer.resolver}: ${'detail' in answer ? (answer.detail ?? 'no answer') : 'no answer'}`).join('; '),
		};
	}
	const wrong = answered.find(answer => 'addresses' in answer && !sameSet(answer.addresses, [address]));
	if (wrong && 'addresses' in wrong) {
		return {status: 'wrong', found: wrong.addresses, resolver: wrong.resolver};
	}
	return answered.every(answer => 'addresses' in answer) ? {status: 'ok'} : {status: 'missing'};
}

/** One line of the screen: what is wrong with a name. */
export function describeVerdict(name: string, verdict: Verdict, address: string): string {
	switch (verdict.status) {
		case 'ok': {
			return `${name} → ${address}`;
		}
		case 'missing': {
			return `${name} has no A record yet (wanted: ${address})`;
		}
		case 'wrong': {
			return `${name} points to ${verdict.found.join(', ')} (resolver ${verdict.resolver}), not to ${address}`;
		}
		case 'no-resolver': {
			return `no DNS resolver answered for ${name}: ${verdict.detail}`;
		}
	}
}

/** Seconds a new record should live: short, so a mistake is corrected quickly. */
export const suggestedTtl = 300;

/** Exactly what to create at the DNS provider for the names that are not right yet. */
export function recordInstructions(names: readonly string[], address: string): string[] {
	const type = isIP(address) === 6 ? 'AAAA' : 'A';
	const lines = [`Create at your DNS provider (or change, if a record for the name exists: never two):`];
	for (const name of names) {
		const zone = name.replace(/^\*\./, '').split('.').slice(-2).join('.');
		const host = name === zone ? '@' : name.slice(0, -(zone.length + 1));
		lines.push(`  ${type}  ${name}  ${address}  TTL ${suggestedTtl}   (if your zone is ${zone}, the name there is "${host}")`);
	}
	if (names.some(name => name.startsWith('*.'))) {
		lines.push('  The * record is a wildcard: every name under the lab (one per user) then resolves to the server.');
	}
	lines.push(`  A record that existed before may be cached for up to its old TTL; ${suggestedTtl} s keeps later changes quick.`);
	return lines;
}

/** What to do about port 80 for the proof: serve the token ourselves, through the lab's nginx, wait for the lab's own renewer, or stop. */
export type Port80Plan =
	| {readonly via: 'responder' | 'nginx'}
	/** The lab's certificate renewer holds it (an order of an earlier, interrupted run): wait for it to end (issue 9 item 5). */
	| {readonly via: 'wait'; readonly renewers: readonly PortHolder[]}
	| {readonly via: 'blocked'; readonly holders: readonly PortHolder[]};

/** What the server runs that is the lab's own, beside the port's holders. */
export interface OwnProcesses {
	/** The lab's nginx runs (docker compose). */
	readonly labNginx: boolean;
	/** Full ids of the running containers of the lab's renewer (by their label). */
	readonly renewers: readonly string[];
}

/**
 * Port 80 free (or held only by our own responder, which the run stops first): our responder; held by the lab's
 * own nginx (in Docker): its webroot; by the lab's renewer: wait; else blocked, naming the other holders only.
 */
export function port80Plan(holders: readonly PortHolder[], own: OwnProcesses): Port80Plan {
	const others = holders.filter(holder => holder.unit !== `${probeUnit}.service`);
	const renewers = others.filter(holder => holder.container !== undefined && own.renewers.includes(holder.container));
	const foreign = others.filter(holder => !renewers.includes(holder));
	if (own.labNginx && foreign.length > 0 && foreign.every(holder => holder.process === 'docker-proxy' || holder.process === 'nginx')) {
		return renewers.length > 0 ? {via: 'wait', renewers} : {via: 'nginx'};
	}
	if (foreign.length > 0) {
		return {via: 'blocked', holders: foreign};
	}
	return renewers.length > 0 ? {via: 'wait', renewers} : {via: 'responder'};
}

/** A holder as the user can find it: `python3 (pid 812, unit web.service)`. */
export function describeHolder(holder: PortHolder): string {
	const where = holder.container
		? `container ${holder.container.slice(0, 12)}`
		: holder.unit && !holder.unit.endsWith('.scope')
			? `unit ${holder.unit}`
			: undefined;
	return `${holder.process} (pid ${holder.pid}${where ? `, ${where}` : ''})`;
}

/**
 * How to stop a holder for good, as commands to type: its unit when systemd runs it as a service (disabled too
 * when it is enabled, so it stays off after a reboot), its container, else the process itself (issue 9 item 8).
 */
export function stopAdvice(holder: PortHolder): string {
	if (holder.container) {
		return `\`sudo docker stop ${holder.container.slice(0, 12)}\``;
	}
	if (holder.process === 'docker-proxy') {
		// Runs in docker.service: stopping that unit would stop Docker; the container publishing the port is the one.
		return '`sudo docker ps --filter publish=80` names the container that publishes port 80: `sudo docker stop` it';
	}
	if (holder.pid === 1) {
		// systemd itself listens, for a .socket unit: that unit is what to stop.
		return '`systemctl list-sockets` names the .socket unit on port 80: `sudo systemctl disable --now` it';
	}
	// user@UID.service is a user's whole service manager: never the unit to stop.
	if (holder.unit?.endsWith('.service') && !/^user@\d+\.service$/.test(holder.unit)) {
		return holder.unitState === 'enabled' ? `\`sudo systemctl disable --now ${holder.unit}\`` : `\`sudo systemctl stop ${holder.unit}\``;
	}
	return `\`sudo kill ${holder.pid}\``;
}

/** Port 80 is taken by programs that are not the lab's: who, and how to stop each (one line per unit or container). */
export function port80Blocked(all: readonly PortHolder[], rerun: string): {readonly reason: string; readonly fix: string} {
	// nginx's master and workers share one unit: one advice for it.
	const seen = new Set<string>();
	const holders = all.filter(holder => {
		const key = holder.container ?? (holder.unit?.endsWith('.service') ? holder.unit : `pid ${holder.pid}`);
		return !seen.has(key) && Boolean(seen.add(key));
	});
	return {
		reason: `Port 80 on the server is used by ${holders.map(describeHolder).join(', ')}; the lab needs it (HTTP → HTTPS and certificate checks)`,
		fix: `Stop it on the server (${holders.map(stopAdvice).join('; then ')}), then run \`labbox run ${rerun}\`.`,
	};
}

/** The interface addresses of `ip -o addr show scope global`, without Docker's own bridges. */
export function serverAddresses(output: string): string[] {
	const found: string[] = [];
	for (const line of output.split('\n')) {
		const match = /^\d+:\s+(\S+)\s+inet6?\s+([^/\s]+)/.exec(line);
		if (match && !/^(docker\d*|br-|veth)/.test(match[1]!)) {
			found.push(match[2]!);
		}
	}
	return found;
}
