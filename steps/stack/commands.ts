/** Compose commands of the stack step (kamal `commands/*.rb`): values, run elsewhere. */
import path from 'node:path/posix';
import type {Command} from '../../source/remote/command.js';
import {labFolders} from '../../source/templates/lab-files.js';

/** `docker compose` on the lab's file; its folder is the project folder (relative paths, .env). */
function compose(root: string, ...args: string[]): Command {
	return ['docker', 'compose', '--file', path.join(root, 'compose.yaml'), ...args];
}

/** Starts what is missing and recreates only the services whose configuration changed. */
export function composeUp(root: string): Command {
	return compose(root, 'up', '--detach', '--remove-orphans');
}

/** Every service's container, one JSON object per line. */
export function composePs(root: string): Command {
	return compose(root, 'ps', '--all', '--format', 'json');
}

/** The last lines a service logged. */
export function composeLogs(root: string, service: string, lines = 40): Command {
	return compose(root, 'logs', '--no-color', '--tail', String(lines), service);
}

/** The folders the rendered files go into (never homes, shared, datasets or data). */
export function makeFolders(root: string): Command {
	return ['mkdir', '-p', ...labFolders().map(folder => path.join(root, folder))];
}

/** One service's container, as `docker compose ps --format json` says. */
export interface ServiceState {
	readonly service: string;
	/** `running`, `restarting`, `exited`, `created`... */
	readonly state: string;
	/** `Up 3 minutes`, `Restarting (1) 2 seconds ago`. */
	readonly status: string;
}

/** Parses `ps --format json`: one object per line (Compose 2.21+) or one array (older 2.x). */
export function parseServices(output: string): ServiceState[] {
	const trimmed = output.trim();
	if (trimmed === '') {
		return [];
	}
	const rows: unknown[] = trimmed.startsWith('[') ? JSON.parse(trimmed) : trimmed.split('\n').filter(line => line.startsWith('{')).map(line => JSON.parse(line));
	return rows.map(row => {
		const {Service, State, Status} = row as Record<string, unknown>;
		return {service: String(Service), state: String(State), status: String(Status ?? '')};
	});
}

/** The services that must run. */
export const stackServices = ['nginx', 'hub'] as const;

/** What is wrong with the services: missing or not running, one line each (empty: all run). */
export function serviceProblems(services: readonly ServiceState[]): string[] {
	return stackServices.flatMap(name => {
		const found = services.find(service => service.service === name);
		if (!found) {
			return [`${name} is not created`];
		}
		return found.state === 'running' ? [] : [`${name} is ${found.state} (${found.status})`];
	});
}
