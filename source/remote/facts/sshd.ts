/** How sshd is started and which ports it listens on: what the ssh-port step must change, and how. */
import {any, chain, combine, raw, shell} from '../command.js';
import {exists} from '../commands/files.js';
import {isActive} from '../commands/systemctl.js';
import {lines, type Fact} from './fact.js';

/** `socket`: ssh.socket listens and starts sshd (Ubuntu 22.10+), so `Port` alone changes nothing. */
export interface SshdStart {
	readonly mode: 'socket' | 'service';
	/** The unit to restart after a change. */
	readonly unit: string;
}

const units = ['ssh.socket', 'ssh.service', 'sshd.service'];
const unitStates = `for u in ${units.join(' ')}; do echo "$u $(systemctl is-active "$u") $(systemctl is-enabled "$u" 2>/dev/null)"; done`;

export const sshdStart: Fact<SshdStart> = {
	name: 'sshd-start',
	command: shell([raw(unitStates)]),
	parse(output) {
		const states = new Map(lines(output).map(line => [line.split(/\s+/)[0], line.split(/\s+/).slice(1)]));
		const active = (unit: string) => states.get(unit)?.[0] === 'active';
		if (active('ssh.socket') || (states.get('ssh.socket')?.[1] === 'enabled' && !active('ssh.service'))) {
			return {mode: 'socket', unit: 'ssh.socket'};
		}

		const service = units.slice(1).find(unit => active(unit));
		return service ? {mode: 'service', unit: service} : undefined;
	},
};

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

/** The revert of `unit` (a `systemd-run` timer and its service) running `script`; false when nothing is pending. */
export function sshdRevert(unit: string, script: string): Fact<PendingRevert | false> {
	return {
		name: 'sshd-revert',
		// `is-active` prints `inactive` for a unit that is not loaded (a transient timer is gone once it has run).
		command: chain(
			any(combine(exists(script), ['echo', 'script']), ['echo', 'no-script']),
			isActive(`${unit}.timer`),
			isActive(`${unit}.service`),
		),
		parse(output) {
			const [file, timer, service] = lines(output);
			if (file === undefined || timer === undefined || service === undefined) {
				return undefined;
			}
			const pending = {script: file === 'script', armed: timer === 'active', running: running.has(service)};
			return pending.script || pending.armed || pending.running ? pending : false;
		},
	};
}
