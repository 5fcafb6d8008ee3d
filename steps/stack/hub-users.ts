/**
 * The hub's users on the server (issue 9 item 4): asked of, and removed through, the hub's own API by
 * hub_users.py inside the hub container. Which of them must go is leavers.ts's decision.
 */
import {StepError, type StepIO} from '../../source/engine/types.js';
import type {RemoteShell} from '../../source/remote/remote-shell.js';
import {StepCommands} from '../../source/remote/step-commands.js';
import {listHubUsers, removeHubUsers} from './commands.js';
import {leavers, parseHubUsers, type AllowRules, type HubUser} from './leavers.js';

/** Where the lab is and who may log in, by lab.yaml. */
export interface HubLab {
	readonly root: string;
	readonly rules: AllowRules;
	readonly signal?: AbortSignal;
}

const nonEmpty = (text: string) => text.split('\n').filter(line => line.trim() !== '');

/** The hub's users whom lab.yaml no longer admits, or why the hub could not say (it runs an older configuration, say). */
export async function findLeavers(shell: RemoteShell, lab: HubLab): Promise<HubUser[] | {readonly unknown: string}> {
	const listed = await shell.exec(listHubUsers(), {sudo: true, signal: lab.signal});
	return leaversFrom({code: listed.code, output: `${listed.stdout}\n${listed.stderr}`}, lab.rules);
}

/** The leavers from hub_users.py's answer (its output, both streams, and exit code), or why it could not say. Pure. */
export function leaversFrom(
	listed: {readonly code: number; readonly output: string},
	rules: AllowRules,
): HubUser[] | {readonly unknown: string} {
	if (listed.code !== 0) {
		return {unknown: nonEmpty(listed.output).at(-1) ?? `exit code ${listed.code}`};
	}
	return leavers(parseHubUsers(listed.output), rules);
}

/** Stops the servers of the users who left the allow list and deletes them from the hub; returns their names. */
export async function removeLeavers(shell: RemoteShell, lab: HubLab, io: Pick<StepIO, 'line'>): Promise<string[]> {
	const found = await findLeavers(shell, lab);
	if (!Array.isArray(found)) {
		throw new StepError(
			`The hub did not list its users, so users lab.yaml no longer allows still have their access: ${found.unknown}`,
			`Look at \`docker compose logs hub\` in ${lab.root} on the server; then run labbox run stack again.`,
		);
	}
	const names = found.map(user => user.name);
	if (names.length === 0) {
		return [];
	}
	const result = await new StepCommands(shell, io, lab.signal ?? new AbortController().signal).exec(removeHubUsers(names));
	if (result.code !== 0) {
		throw new StepError(
			`Removing the access of ${names.join(', ')} failed (exit code ${result.code}).`,
			'See the output below; then run labbox run stack again.',
			nonEmpty(`${result.stdout}\n${result.stderr}`).slice(-20),
		);
	}
	return names;
}
