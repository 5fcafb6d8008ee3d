/**
 * The ssh-port step's decision, pure: its facts in, a check out (what the plan says). Kept apart from SSH so
 * every case is a unit test.
 */
import type {Check} from '../../source/engine/types.js';
import type {Firewall} from '../../source/remote/facts/firewall.js';
import type {PendingRevert, SshdStart} from '../../source/remote/facts/sshd.js';
import {revertUnit} from './files.js';

/** What the server has, as far as sshd's port goes. */
export interface SshPortFacts {
	readonly start: SshdStart;
	/** The ports sshd (or ssh.socket) listens on. */
	readonly listening: readonly number[];
	/** ssh.port: where sshd is to listen. */
	readonly port: number;
	/** Whether to listen on `port` only. */
	readonly closeOld: boolean;
	/** The port this run is connected on (lab.yaml's server.port when the run began). */
	readonly connectedOn: number;
	readonly firewall?: Firewall;
	/** `ss -Hltnp` for `port`. */
	readonly holders?: string;
	/** A change an interrupted run left unconfirmed, or false. */
	readonly revert?: PendingRevert | false;
}

/** The programs holding a port, from `ss -Hltnp` (`users:(("nginx",pid=1,fd=6))`). */
export function portHolders(output: string): string[] {
	return [...new Set([...output.matchAll(/\(\("([^"]+)"/g)].map(match => match[1]!))];
}

/** The same ports, in any order. */
export function same(a: readonly number[], b: readonly number[]): boolean {
	return a.length === b.length && [...a].sort().every((port, index) => port === [...b].sort()[index]);
}

/** The ports sshd is to listen on: the new one beside the old ones, or the new one alone. */
export function wantedPorts(facts: Pick<SshPortFacts, 'listening' | 'port' | 'closeOld'>): number[] {
	return facts.closeOld ? [facts.port] : [...new Set([...facts.listening, facts.port])];
}

/**
 * What the plan says of a change an interrupted run left unconfirmed (issue 9 item 1): it is undone first,
 * then made again and proven, as the server would otherwise undo it by itself behind lab.yaml's back.
 */
export function pendingRevertChanges(revert: PendingRevert, wanted: readonly number[], port: number): string[] {
	const why = revert.running
		? 'the server is undoing it now'
		: revert.armed
			? `${revertUnit}.timer is armed to undo it by itself`
			: 'its revert is still on the server';
	return [
		`undo the SSH port change an interrupted run left unconfirmed (${why})`,
		`move sshd to ${wanted.join(' and ')} again and prove port ${port} by a login from here`,
	];
}

/** The check: blocked, done, or what apply would change. */
export function decideSshPort(facts: SshPortFacts): Check {
	const {port, listening} = facts;
	if ([80, 443].includes(port)) {
		return {
			status: 'blocked',
			reason: `ssh.port ${port} is needed by the lab's web server`,
			fix: 'Choose another ssh.port in lab.yaml, e.g. 2222.',
		};
	}
	const holders = portHolders(facts.holders ?? '').filter(name => name !== 'sshd' && name !== 'systemd');
	if (holders.length > 0 && !listening.includes(port)) {
		return {
			status: 'blocked',
			reason: `Port ${port} is already used on the server by ${holders.join(', ')}`,
			fix: 'Choose another ssh.port in lab.yaml, or stop that program on the server.',
		};
	}
	const wanted = wantedPorts(facts);
	// Listening is not done while the server may still undo it: the step is done once the revert is disarmed.
	if (facts.revert) {
		return {status: 'todo', changes: pendingRevertChanges(facts.revert, wanted, port)};
	}
	if (same(listening, wanted)) {
		return {status: 'done', detail: `sshd listens on ${wanted.join(', ')}`};
	}
	const changes = [`sshd listens on ${wanted.join(' and ')} (now ${listening.join(', ') || 'unknown'}), started by ${facts.start.unit}`];
	if (facts.firewall && facts.firewall !== 'none') {
		changes.push(`open ${port}/tcp in ${facts.firewall}`);
	}
	return {status: 'todo', changes};
}
