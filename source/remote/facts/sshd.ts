/** How sshd is started and which ports it listens on: what the ssh-port step must change, and how. */
import {raw, shell} from '../command.js';
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
		const states = new Map(lines(output).map((line) => [line.split(/\s+/)[0], line.split(/\s+/).slice(1)]));
		const active = (unit: string) => states.get(unit)?.[0] === 'active';
		if (active('ssh.socket') || (states.get('ssh.socket')?.[1] === 'enabled' && !active('ssh.service'))) {
			return {mode: 'socket', unit: 'ssh.socket'};
		}

		const service = units.slice(1).find((unit) => active(unit));
		return service ? {mode: 'service', unit: service} : undefined;
	},
};

/** The ports of sshd's effective configuration (`sshd -T`, needs root), in order. */
export const sshdPorts: Fact<number[]> = {
	name: 'sshd-ports',
	command: ['sshd', '-T'],
	parse(output) {
		const ports = lines(output)
			.map((line) => /^port (\d+)$/i.exec(line)?.[1])
			.filter((port) => port !== undefined)
			.map(Number);
		return ports.length > 0 ? ports : undefined;
	},
};
