/** How sshd is started and which ports it listens on: what the ssh-port step must change, and how. */
import {any, combine} from '../command.js';
import {exists} from '../commands/files.js';
import {lines, type Fact} from './fact.js';
import {unitFact, type UnitFact} from './systemd.js';

/** `socket`: ssh.socket listens and starts sshd (Ubuntu 22.10+), so `Port` alone changes nothing. */
export interface SshdStart {
	readonly mode: 'socket' | 'service';
	/** The unit to restart after a change. */
	readonly unit: string;
}

const units = ['ssh.socket', 'ssh.service', 'sshd.service'];

export const sshdStart: UnitFact<SshdStart> = unitFact('sshd-start', units, states => {
	const active = (unit: string) => states.get(unit)?.active === 'active';
	if (active('ssh.socket') || (states.get('ssh.socket')?.enabled === 'enabled' && !active('ssh.service'))) {
		return {mode: 'socket', unit: 'ssh.socket'};
	}

	const service = units.slice(1).find(unit => active(unit));
	return service ? {mode: 'service', unit: service} : undefined;
});

/** The ports of sshd's effective configuration (`sshd -T`, needs root), in order. */
export const sshdPorts: Fact<number[]> = {
	name: 'sshd-ports',
	command: ['sshd', '-T'],
	parse(output) {
		const ports = lines(output)
			.map(line => /^port (\d+)$/i.exec(line)?.[1])
			.filter(port => port !== undefined)
			.map(Number);
		return ports.length > 0 ? ports : undefined;
	},
};

/**
 * A port change not yet confirmed from the laptop (issue 9 item 1): what an interrupted move leaves on the
 * server until the laptop proves the new port and disarms the revert, or the revert has run.
 */
export interface PendingRevert {
	/** The revert script is there: written before a move, removed by the disarm or by the revert itself. */
	readonly script: boolean;
	/** Its timer is armed: the server runs the revert by itself when it fires. */
	readonly armed: boolean;
	/** The timer has fired: the revert runs now. */
	readonly running: boolean;
}

const running = new Set(['active', 'activating', 'deactivating', 'reloading']);

/** Whether the revert's script is on the server (`present` or `absent`). */
export function revertScriptFact(script: string): Fact<boolean> {
	return {
		name: 'sshd-revert-script',
		command: any(combine(exists(script), ['echo', 'present']), ['echo', 'absent']),
		parse(output) {
			const answer = lines(output)[0];
			return answer === 'present' ? true : answer === 'absent' ? false : undefined;
		},
	};
}

/** The revert's `systemd-run` timer and service (`unit`): armed, running. */
export function revertUnitsFact(unit: string): UnitFact<Omit<PendingRevert, 'script'>> {
	// A transient timer is gone once it has run: its unit is then `not-found`, and `inactive`.
	return unitFact('sshd-revert-units', [`${unit}.timer`, `${unit}.service`], states => ({
		armed: states.get(`${unit}.timer`)!.active === 'active',
		running: running.has(states.get(`${unit}.service`)!.active),
	}));
}

/** The pending revert from its two facts; false when nothing is pending, undefined when either was not read. */
export function pendingRevert(
	script: boolean | undefined,
	units: Omit<PendingRevert, 'script'> | undefined,
): PendingRevert | false | undefined {
	if (script === undefined || units === undefined) {
		return undefined;
	}
	const pending = {script, ...units};
	return pending.script || pending.armed || pending.running ? pending : false;
}
