/** Compose commands of the stack step (kamal `commands/*.rb`): values, run elsewhere. */
import path from 'node:path/posix';
import {pipe, type Command} from '../../source/remote/command.js';
import {labFolders} from '../../source/templates/lab-files.js';
import type {ServiceState} from '../../source/remote/commands/lab-containers.js';
import {notebookNetwork} from '../../source/templates/notebook-network.js';

/** `docker compose` on the lab's file; its folder is the project folder (relative paths, .env). */
function compose(root: string, ...args: string[]): Command {
	return ['docker', 'compose', '--file', path.join(root, 'compose.yaml'), ...args];
}

/** Starts what is missing and recreates only the services whose configuration changed. */
export function composeUp(root: string): Command {
	return compose(root, 'up', '--detach', '--remove-orphans');
}

/**
 * Whether `docker compose up`'s output (both streams) says it changed nothing: its only lines are `Container NAME
 * Running`, every container already as wanted. Any other line (Recreate, Created, Started, a network) is a change,
 * and so is an output not understood: never an `ok` that hides a change (issue 10 item 10).
 */
export function composeChangedNothing(output: string): boolean {
	const lines = output
		.split('\n')
		.map(line => line.trim())
		.filter(line => line !== '');
	return lines.length > 0 && lines.every(line => /^Container \S+\s+Running$/.test(line));
}

/** `SERVICE RESTARTS STATUS` of each of the lab's containers (a crash loop shows as a growing restart count). */
export function containerStates(root: string): Command {
	const format = '{{index .Config.Labels "com.docker.compose.service"}} {{.RestartCount}} {{.State.Status}}';
	return pipe(compose(root, 'ps', '--all', '--quiet'), ['xargs', '--no-run-if-empty', 'docker', 'inspect', '--format', format]);
}

/** One container's restarts and status, by service. */
export type ContainerStates = ReadonlyMap<string, {readonly restarts: number; readonly status: string}>;

export function parseContainerStates(output: string): ContainerStates {
	const states = new Map<string, {restarts: number; status: string}>();
	for (const line of output.split('\n')) {
		const [service, restarts, status] = line.trim().split(' ');
		if (service && restarts && status && /^\d+$/.test(restarts)) {
			states.set(service, {restarts: Number(restarts), status});
		}
	}
	return states;
}

/** Services that stopped or restarted since `before` (compose up): the lab will not come up by waiting. */
export function failingServices(before: ContainerStates, now: ContainerStates): string[] {
	return stackServices.flatMap(name => {
		const state = now.get(name);
		if (!state) {
			return [`${name} has no container`];
		}
		const restarts = state.restarts - (before.get(name)?.restarts ?? 0);
		if (restarts > 0) {
			return [`${name} stopped and was restarted ${restarts} time(s)`];
		}
		return state.status === 'running' ? [] : [`${name} is ${state.status}`];
	});
}

/**
 * The hub's container: compose names it PROJECT-SERVICE-1, and templates/compose.yaml sets the project's name
 * (`name: labbox`).
 */
export const hubContainer = 'labbox-hub-1';

/**
 * A command inside the hub's container. `docker exec` on the known container, not `docker compose exec`: the
 * same process in the same container, without starting the Compose plugin and reading the project's files,
 * 0.1 to 0.3 s less in the round trip of facts, where the hub's user list is the slowest fact (issue 11).
 */
function hubExec(...command: string[]): Command {
	return ['docker', 'exec', hubContainer, ...command];
}

/** The same, with the command's stdin attached (`-i`: docker exec, unlike compose exec, closes it otherwise). */
function hubExecWithStdin(...command: string[]): Command {
	return ['docker', 'exec', '--interactive', hubContainer, ...command];
}

/** labbox's client of the hub's API, inside the hub container (templates/jupyterhub/hub_users.py). */
const hubUsersScript = '/etc/labbox/hub_users.py';

/** The hub's users, one JSON line each (`{"name": "alice", "server": true}`), asked of the hub's API. */
export function listHubUsers(): Command {
	return hubExec('python3', hubUsersScript, 'list');
}

/**
 * The hub's REST API as the server itself reaches it (issue 11, speed): the hub's fixed address on the notebooks'
 * bridge, which the host routes to, instead of a Python started inside the hub container.
 */
export const hubApi = {
	bridge: notebookNetwork.bridge,
	users: `http://${notebookNetwork.hub}:${notebookNetwork.hubApiPort}/hub/api/users`,
	/** The labbox service's token: jupyterhub_config.py makes it in data/ (0600), the hub's /srv/jupyterhub/data. */
	tokenFile: (root: string) => path.join(root, 'data', 'labbox-api-token'),
} as const;

/** Stops each user's server and deletes them from the hub: their sessions and tokens end (issue 9 item 4). */
export function removeHubUsers(names: readonly string[]): Command {
	return hubExec('python3', hubUsersScript, 'remove', ...names);
}

/** The lab accounts (auth.type local, issue 14), one JSON line each: `{"name": "alice", "authorized": false}`. */
export function listAccounts(): Command {
	return hubExec('python3', hubUsersScript, 'accounts');
}

/** Approves each signed-up lab account (issue 14 item 1); exit 4 names one that has not signed up. */
export function approveAccounts(names: readonly string[]): Command {
	return hubExec('python3', hubUsersScript, 'approve', ...names);
}

/** Makes NAME's approved lab account (issue 14 item 2); its password goes on stdin, never on the command line. */
export function createAccount(name: string): Command {
	return hubExecWithStdin('python3', hubUsersScript, 'create', name);
}

/**
 * Removes each lab account, then its user from the hub (server stopped, sessions and tokens ended); the home stays
 * (`labbox users remove` on a local-accounts lab). Exit 5: the hub runs a configuration without removal yet.
 */
export function removeAccounts(names: readonly string[]): Command {
	return hubExec('python3', hubUsersScript, 'remove-account', ...names);
}

/** The last lines a service logged. */
export function composeLogs(root: string, service: string, lines = 40): Command {
	return compose(root, 'logs', '--no-color', '--tail', String(lines), service);
}

/** The folders the rendered files go into (never homes, shared, datasets or data). */
export function makeFolders(root: string): Command {
	return ['mkdir', '-p', ...labFolders().map(folder => path.join(root, folder))];
}

/** The services that must run. */
export const stackServices = ['nginx', 'hub'] as const;

/** What is wrong with the services: missing or not running, one line each (empty: all run). */
export function serviceProblems(services: readonly ServiceState[]): string[] {
	return stackServices.flatMap(name => {
		const found = services.find(service => service.service === name);
		if (!found) {
			return [`${name} is not running yet (no container)`];
		}
		return found.state === 'running' ? [] : [`${name} is ${found.state} (${found.status})`];
	});
}
