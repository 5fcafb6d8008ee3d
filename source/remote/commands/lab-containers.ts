/**
 * The lab's Compose containers as the Docker client lists them, read by the stack step (its services) and the dns
 * step (is the lab's nginx on port 80). `docker ps` on the project's labels, not `docker compose ps`: the same
 * containers (Compose lists its project's containers by these labels, one-off `run` containers left out) without
 * starting the Compose plugin and loading the project's files, 0.05 s instead of 0.2 s on the server, twice in
 * the round trip of facts (issue 11).
 */
import type {Command} from '../command.js';

/** The Compose project's name: templates/compose.yaml sets it (`name: labbox`). */
export const composeProject = 'labbox';

// One JSON object per line, with the keys `docker compose ps --format json` uses for the same values.
const format = '{"Service":{{json (.Label "com.docker.compose.service")}},"State":{{json .State}},"Status":{{json .Status}}}';

/** Every container of the lab's project, stopped ones too: `{"Service":"hub","State":"running","Status":"Up 3 minutes"}`. */
export function labContainers(): Command {
	return [
		'docker',
		'ps',
		'--all',
		'--filter',
		`label=com.docker.compose.project=${composeProject}`,
		'--filter',
		'label=com.docker.compose.oneoff=False',
		'--format',
		format,
	];
}

/** One service's container. */
export interface ServiceState {
	readonly service: string;
	/** `running`, `restarting`, `exited`, `created`... */
	readonly state: string;
	/** `Up 3 minutes`, `Restarting (1) 2 seconds ago`. */
	readonly status: string;
}

/** Reads `labContainers`' lines (Compose's `ps --format json` lines read the same). */
export function parseServices(output: string): ServiceState[] {
	return output
		.split('\n')
		.map(line => line.trim())
		.filter(line => line.startsWith('{'))
		.map(line => {
			const {Service, State, Status} = JSON.parse(line) as Record<string, unknown>;
			return {service: String(Service), state: String(State), status: String(Status ?? '')};
		});
}

/** The services whose container runs, one per line (what `docker compose ps --status running --services` says). */
export function runningServices(output: string): string {
	return [...new Set(parseServices(output).flatMap(({service, state}) => (state === 'running' ? [service] : [])))].join('\n');
}
