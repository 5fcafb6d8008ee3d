/**
 * Who listens on a TCP port: each process with its pid and, when systemd runs it, its unit and that unit's
 * state (issue 9 item 8: a process is not a unit; systemd knows which unit a pid belongs to).
 */
import {raw, shell} from '../command.js';
import {lines, type Fact} from './fact.js';

/** One process listening on the port. */
export interface PortHolder {
	readonly pid: number;
	/** Its name (`/proc/PID/comm`): python3, nginx, node. */
	readonly process: string;
	/** The systemd unit it runs in (`ps -o unit=`): other-web.service, session-3.scope, docker-ID.scope. */
	readonly unit?: string;
	/** `systemctl is-enabled` of that unit: enabled, disabled, static, transient... */
	readonly unitState?: string;
	/** The Docker container it runs in (full id), read from its docker-ID.scope. */
	readonly container?: string;
}

// The port is `$1`; one line per pid: `PID UNIT STATE CONTAINER COMM` (`-` when unknown; comm last, it may hold
// spaces). The container is the id at the end of the pid's cgroup path (docker-ID.scope, or /docker/ID with the
// cgroupfs driver), kept only when this server's Docker knows it (a server that is itself a container has an id too).
const holdersScript = [
	`ss -Hltnp "sport = :$1" | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -un | while read -r pid; do`,
	`unit=$(ps -o unit= -p "$pid" | tr -d ' '); state=$(systemctl is-enabled "\${unit:--}" 2>/dev/null | head -n 1);`,
	`id=$(grep -E -o '[0-9a-f]{64}(\\.scope)?$' "/proc/$pid/cgroup" | head -n 1 | cut -c1-64);`,
	// docker inspect (a Go program: ~25 ms) only when the cgroup names an id (issue 11).
	`container=$([ -n "$id" ] && docker inspect --format '{{.Id}}' "$id" 2>/dev/null);`,
	`echo "$pid \${unit:--} \${state:--} \${container:--} $(cat "/proc/$pid/comm")"; done`,
].join(' ');

/** The processes listening on TCP `port` (none: an empty list). */
export function portHoldersFact(port: number): Fact<PortHolder[]> {
	return {
		name: 'port-holders',
		command: shell([raw(holdersScript)], 'sh', String(port)),
		parse(output) {
			return lines(output).flatMap(line => {
				const match = /^(\d+) (\S+) (\S+) ([\da-f]{64}|-) (.+)$/.exec(line);
				if (!match) {
					return [];
				}
				const [, pid, unit, state, container, process] = match as unknown as [string, string, string, string, string, string];
				return [
					{
						pid: Number(pid),
						process,
						...(unit === '-' ? {} : {unit}),
						...(state === '-' ? {} : {unitState: state}),
						...(container === '-' ? {} : {container}),
					},
				];
			});
		},
	};
}
