/**
 * `labbox users`, `labbox users add NAME... [--admin]`, `labbox users remove NAME... [--delete-home]` (issue 13
 * item 1). lab.yaml stays the one place that says who may log in: add and remove change its two lists in place
 * (comments kept), then run the stack step, which restarts the hub with the new allow list (running notebooks of
 * other users keep running: cleanup_servers is off) and removes whoever left it: their server stops, their
 * sessions and tokens end, their home stays. Deleting the home is a separate, explicit --delete-home. On a lab with
 * its own accounts (auth.type local) add and remove change the accounts through the hub instead (accounts-command.ts).
 */
import path from 'node:path/posix';
import {readFile} from 'node:fs/promises';
import writeFileAtomic from 'write-file-atomic';
import {ConfigError, crossCheck} from '../config/resolve.js';
import {addAccount, labAccounts, removeAccounts} from './accounts-command.js';
import {configProblem, lastLine, stopped, type UsersOptions} from './users-shared.js';
import {listHubUsers} from '../../steps/stack/commands.js';
import {parseHubUsers, type HubUser} from '../../steps/stack/leavers.js';
import {backups, homeDeletionBlocked} from '../daytwo/backup-hook.js';
import {confirmPlan, confirmTyped} from '../daytwo/confirm.js';
import {labConfig, openLab, type LabConnection} from '../daytwo/lab-connection.js';
import {
	addChanges,
	adminKey,
	allowKey,
	applyChanges,
	badNames,
	describeChange,
	editUserLists,
	removeChanges,
	type UserLists,
} from '../daytwo/user-lists.js';
import {usersReport} from '../daytwo/users-report.js';
import {commandFailed, exitCode, invocation, type GlobalFlags, type Io} from './context.js';
import {commandLine} from './invocation.js';

export type {UsersOptions} from './users-shared.js';

/** Runs `labbox run stack` as this user runs labbox (the caller loads the steps). */
export type RunStack = () => Promise<number>;

const lists = (config: Readonly<Record<string, unknown>>): UserLists => ({
	allowed: (config[allowKey] as string[] | undefined) ?? [],
	admins: (config[adminKey] as string[] | undefined) ?? [],
});

/** The hub's users through its API, or why it could not say. */
async function hubUsers(lab: LabConnection): Promise<HubUser[] | {unknown: string}> {
	const listed = await lab.shell.exec(listHubUsers(), {sudo: true, signal: lab.signal});
	if (listed.code !== 0) {
		return {unknown: lab.redactor.redact(lastLine(listed))};
	}
	return parseHubUsers(listed.stdout);
}

/** `labbox users`: lab.yaml's lists and the hub's live view. Exit 1 when the hub could not be asked. */
export async function usersList(flags: GlobalFlags, options: UsersOptions, io: Io): Promise<number> {
	let lab: LabConnection;
	try {
		lab = await openLab('users', flags, options, io);
	} catch (error) {
		if (error instanceof ConfigError) return configProblem(error, io);
		return commandFailed(error, io);
	}
	try {
		const hub = await hubUsers(lab);
		const {config} = lab;
		// Lab accounts (issue 14 item 1): who signed up and waits for approval.
		const accounts = config['auth.type'] === 'local' ? await labAccounts(lab) : undefined;
		io.stdout.write(
			usersReport({
				...lists(config),
				groups: (config['auth.allowedGroups'] as string[] | undefined) ?? [],
				allowAll: config['auth.allowAll'] === true,
				hub,
				...(accounts === undefined ? {} : {accounts}),
			}),
		);
		return Array.isArray(hub) && (accounts === undefined || Array.isArray(accounts)) ? exitCode.done : exitCode.failed;
	} finally {
		await lab.close();
	}
}

/** `labbox users add|remove NAME...`: plan, lab.yaml, the stack step, and (remove --delete-home) the homes. */
export async function usersChange(
	action: 'add' | 'remove',
	names: readonly string[],
	flags: GlobalFlags,
	options: UsersOptions,
	io: Io,
	runStack: RunStack,
): Promise<number> {
	const bad = badNames(names);
	if (bad.length > 0) {
		io.stderr.write(`${bad.join('\n')}\nNothing was changed.\n`);
		return exitCode.usage;
	}
	if (action === 'add' && options.deleteHome) {
		io.stderr.write('--delete-home goes with `labbox users remove`. Nothing was changed.\n');
		return exitCode.usage;
	}
	let loaded: Awaited<ReturnType<typeof labConfig>>;
	try {
		loaded = await labConfig(flags, options, io);
	} catch (error) {
		return configProblem(error, io);
	}
	// Lab accounts (issue 14 item 2): lab.yaml's allow list means nothing there; the account itself is made.
	if (action === 'add' && loaded.config['auth.type'] === 'local') {
		return addAccount(names, flags, options, io);
	}
	// The same there for remove: the account goes, through the hub; the home stays unless --delete-home (polish item 5).
	if (action === 'remove' && loaded.config['auth.type'] === 'local') {
		const removed = await removeAccounts(names, flags, options, io);
		return removed.homes ? deleteHomes(removed.homes, flags, options, io) : removed.code;
	}
	const {config, paths} = loaded;
	const before = lists(config);
	const changes = action === 'add' ? addChanges(before, names, Boolean(options.admin)) : removeChanges(before, names);
	const spoken = invocation(flags, options, io);
	const said = (rest: string) => commandLine(spoken, rest);
	if (action === 'remove') {
		const unknown = names.filter(name => !changes.some(change => change.name.toLowerCase() === name.toLowerCase()));
		if (unknown.length > 0 && !options.deleteHome) {
			io.stderr.write(
				`${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not in auth.allowedUsers or auth.admins: nothing to remove (\`${said('users')}\` lists who is). Nothing was changed.\n`,
			);
			return exitCode.usage;
		}
	}
	const after = applyChanges(before, changes);
	// Never a lab that lets strangers in, nor one nobody may enter by mistake (an empty allow list).
	const problems = crossCheck({...config, [allowKey]: after.allowed, [adminKey]: after.admins});
	if (changes.length > 0 && problems.length > 0) {
		io.stderr.write(`${problems.map(problem => problem.message).join('\n')}\nNothing was changed.\n`);
		return exitCode.usage;
	}
	if (changes.length === 0 && !options.deleteHome) {
		io.stdout.write(
			`Nothing to change: ${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} already ${options.admin ? 'allowed and an admin' : 'allowed'} in lab.yaml.\n`,
		);
		return exitCode.done;
	}
	const root = String(config['lab.root']);
	const leaving = action === 'remove' ? [...new Set(names.map(name => name.toLowerCase()))] : [];
	const groups = ((config['auth.allowedGroups'] as string[] | undefined) ?? []).length > 0 || config['auth.allowAll'] === true;
	const plan = [
		...changes.map(describeChange),
		...(changes.length > 0
			? ['labbox run stack: the hub restarts with the new lists (a few seconds); the notebook servers of other users keep running']
			: []),
		...leaving.map(name =>
			groups
				? `${name} may still log in through auth.allowedGroups or auth.allowAll (membership is up to your login provider); labbox cannot remove them from the hub`
				: `stop ${name}'s notebook server and end their sessions and tokens; ${path.join(root, 'homes', name)} is ${options.deleteHome ? 'deleted next' : 'kept'}`,
		),
		...(options.deleteHome ? leaving.map(name => `delete ${path.join(root, 'homes', name)} (asks you to type ${name} again)`) : []),
	];
	const answer = stopped(
		await confirmPlan(plan, {yes: flags.yes, io}),
		io,
		`${said(`users ${action} ${names.join(' ')}${options.admin ? ' --admin' : ''}`)} --yes`,
	);
	if (answer !== undefined) {
		return answer;
	}
	if (changes.length > 0) {
		const text = await readFile(paths.config, 'utf8');
		await writeFileAtomic(paths.config, editUserLists(text, changes));
		io.stdout.write(
			`lab.yaml: ${changes
				.map(describeChange)
				.map(line => line.replace(/^lab\.yaml: /, ''))
				.join('; ')}\n`,
		);
		const code = await runStack();
		if (code !== exitCode.done) {
			io.stderr.write(`lab.yaml has the change; the lab does not have it yet: run \`${said('run stack')}\` to finish.\n`);
			return code;
		}
	}
	return options.deleteHome ? deleteHomes(leaving, flags, options, io) : exitCode.done;
}

/** --delete-home: each name typed again; refused while the user is still in the hub or backups are stale. */
async function deleteHomes(names: readonly string[], flags: GlobalFlags, options: UsersOptions, io: Io): Promise<number> {
	const lab = await openLab('users', flags, options, io);
	try {
		const hub = await hubUsers(lab);
		for (const name of names) {
			const home = path.join(lab.root, 'homes', name);
			const inHub = Array.isArray(hub) ? hub.some(user => user.name.toLowerCase() === name) : true;
			if (inHub) {
				io.stderr.write(
					`${home} is kept: ${Array.isArray(hub) ? `${name} is still a user of the hub` : `the hub could not say whether ${name} is still a user (${(hub as {unknown: string}).unknown})`}.\n`,
				);
				return exitCode.failed;
			}
			const blocked = await homeDeletionBlocked(backups, lab);
			if (blocked) {
				io.stderr.write(`${home} is kept: ${blocked}\n`);
				return exitCode.failed;
			}
			const typed = await confirmTyped(`Deleting ${home} cannot be undone. Type ${name} to delete it:`, name, io);
			if (typed !== 'yes') {
				io.stderr.write(
					`${home} is kept${typed === 'cannot-ask' ? ': deleting a home folder asks for the name to be typed, in a terminal' : ''}.\n`,
				);
				return typed === 'interrupted' ? exitCode.interrupted : typed === 'cannot-ask' ? exitCode.usage : exitCode.done;
			}
			await lab.shell.run(deleteHome(lab.root, name), {sudo: true, signal: lab.signal});
			io.stdout.write(`deleted ${home}\n`);
		}
		return exitCode.done;
	} finally {
		await lab.close();
	}
}

/** Removes one user's home folder (the name is a checked lab user name: no `/`, no `..`). */
export function deleteHome(root: string, name: string) {
	return ['rm', '-rf', '--', path.join(root, 'homes', name)] as const;
}
