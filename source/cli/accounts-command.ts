/**
 * Lab accounts from the laptop (auth.type local, issue 14): `labbox users approve NAME...` approves people who
 * signed up; `labbox users add NAME` makes an approved account with a one-time password, so the owner can let
 * someone in also with `auth.signup: false`. Both go through the hub (hub_users.py as the labbox service, in the
 * hub container): the hub's own session changes its database, and the password travels on stdin only.
 */
import {ConfigError} from '../config/resolve.js';
import {approveAccounts, createAccount, listAccounts, removeAccounts as removeAccountsCommand} from '../../steps/stack/commands.js';
import {confirmPlan} from '../daytwo/confirm.js';
import {approvalPlan, oneTimePassword, parseAccounts, removalPlan, type LabAccount} from '../daytwo/lab-accounts.js';
import path from 'node:path/posix';
import {labConfig, openLab, type LabConnection} from '../daytwo/lab-connection.js';
import {badNames} from '../daytwo/user-lists.js';
import {commandFailed, exitCode, invocation, type GlobalFlags, type Io} from './context.js';
import {commandLine} from './invocation.js';
import {configProblem, lastLine, stopped, type UsersOptions} from './users-shared.js';

/** The lab's accounts, or why the hub could not say. */
export async function labAccounts(lab: LabConnection): Promise<LabAccount[] | {unknown: string}> {
	const listed = await lab.shell.exec(listAccounts(), {sudo: true, signal: lab.signal});
	return listed.code === 0 ? parseAccounts(listed.stdout) : {unknown: lab.redactor.redact(lastLine(listed))};
}

/** Checks made before connecting: names, and that the lab has its own accounts. Exit code, or undefined to go on. */
async function refused(names: readonly string[], flags: GlobalFlags, options: UsersOptions, io: Io, verb: string) {
	const bad = badNames(names);
	if (bad.length > 0) {
		io.stderr.write(`${bad.join('\n')}\nNothing was changed.\n`);
		return exitCode.usage;
	}
	try {
		const {config} = await labConfig(flags, options, io);
		if (config['auth.type'] !== 'local') {
			io.stderr.write(
				`\`labbox users ${verb}\` is for lab accounts (auth.type local); this lab logs in with ${String(config['auth.type'])}: \`labbox users add NAME\` allows a user there. Nothing was changed.\n`,
			);
			return exitCode.usage;
		}
	} catch (error) {
		return configProblem(error, io);
	}
	return undefined;
}

/** Connects, or says why not (exit code). */
async function connect(flags: GlobalFlags, options: UsersOptions, io: Io): Promise<LabConnection | number> {
	try {
		return await openLab('users', flags, options, io);
	} catch (error) {
		if (error instanceof ConfigError) return configProblem(error, io);
		return commandFailed(error, io);
	}
}

/** Connects, lists the accounts and hands them to `work`; or says why not (an exit code). Closes the connection. */
async function withAccounts(
	flags: GlobalFlags,
	options: UsersOptions,
	io: Io,
	work: (lab: LabConnection, accounts: LabAccount[]) => Promise<number>,
): Promise<number> {
	const lab = await connect(flags, options, io);
	if (typeof lab === 'number') return lab;
	try {
		const accounts = await labAccounts(lab);
		if (!Array.isArray(accounts)) {
			io.stderr.write(`The hub could not list its accounts (nothing was changed): ${accounts.unknown}\n`);
			return exitCode.failed;
		}
		return await work(lab, accounts);
	} finally {
		await lab.close();
	}
}

/** `labbox users approve NAME...`: every name must have signed up, else nothing is approved (exit 2). */
export async function usersApprove(names: readonly string[], flags: GlobalFlags, options: UsersOptions, io: Io): Promise<number> {
	const early = await refused(names, flags, options, io, 'approve');
	if (early !== undefined) return early;
	const said = (rest: string) => commandLine(invocation(flags, options, io), rest);
	return withAccounts(flags, options, io, async (lab, accounts) => {
		const plan = approvalPlan(accounts, names);
		const domain = String(lab.config.domain);
		if (plan.unknown.length > 0) {
			io.stderr.write(
				`${plan.unknown.join(', ')} ${plan.unknown.length === 1 ? 'has' : 'have'} not signed up: there is no account to approve. ` +
					`Ask them to sign up at https://${domain}/hub/signup, or make the account with \`${said(`users add ${plan.unknown.join(' ')}`)}\`. Nothing was changed.\n`,
			);
			return exitCode.usage;
		}
		if (plan.approve.length === 0) {
			io.stdout.write(`Nothing to change: ${plan.already.join(', ')} ${plan.already.length === 1 ? 'is' : 'are'} already approved.\n`);
			return exitCode.done;
		}
		const answer = stopped(
			await confirmPlan(
				[
					...plan.approve.map(name => `approve ${name}'s lab account: they can log in at https://${domain}/hub/login`),
					...plan.already.map(name => `${name} is already approved`),
				],
				{yes: flags.yes, io},
			),
			io,
			`${said(`users approve ${names.join(' ')}`)} --yes`,
		);
		if (answer !== undefined) return answer;
		const result = await lab.shell.exec(approveAccounts(plan.approve), {sudo: true, signal: lab.signal});
		io.stdout.write(lab.redactor.redact(result.stdout));
		if (result.code !== 0) {
			io.stderr.write(`Approving failed: ${lab.redactor.redact(lastLine(result))}\n`);
			return exitCode.failed;
		}
		return exitCode.done;
	});
}

/**
 * `labbox users add NAME` on a lab with its own accounts: the account, approved, with a one-time password shown
 * once on this screen (never in lab.yaml, the log or a file): the owner gives it to NAME, who changes it at
 * /hub/change-password. One name at a time, so each password is said next to its name.
 */
export async function addAccount(names: readonly string[], flags: GlobalFlags, options: UsersOptions, io: Io): Promise<number> {
	const early = await refused(names, flags, options, io, 'add');
	if (early !== undefined) return early;
	if (names.length !== 1 || options.admin || options.deleteHome) {
		io.stderr.write(
			`${options.admin ? 'With lab accounts, make admins in /hub/admin once they have an account (auth.admins names only the account labbox keeps). ' : options.deleteHome ? '--delete-home goes with `labbox users remove`. ' : 'With lab accounts, add one user at a time: each gets a password of their own, shown once. '}Nothing was changed.\n`,
		);
		return exitCode.usage;
	}
	const name = names[0]!.toLowerCase();
	const said = (rest: string) => commandLine(invocation(flags, options, io), rest);
	return withAccounts(flags, options, io, async (lab, accounts) => {
		const domain = String(lab.config.domain);
		const existing = accounts.find(account => account.name.toLowerCase() === name);
		if (existing) {
			io.stdout.write(
				existing.authorized
					? `Nothing to change: ${name} already has an account and can log in (a forgotten password: an admin sets a new one at https://${domain}/hub/change-password/${name}).\n`
					: `Nothing to change: ${name} has signed up already and waits for approval: \`${said(`users approve ${name}`)}\`.\n`,
			);
			return exitCode.done;
		}
		const answer = stopped(
			await confirmPlan([`make the lab account ${name}, approved, with a one-time password shown here once (give it to ${name})`], {
				yes: flags.yes,
				io,
			}),
			io,
			`${said(`users add ${name}`)} --yes`,
		);
		if (answer !== undefined) return answer;
		const password = oneTimePassword(Number(lab.config['auth.passwordMinLength'] ?? 10));
		// Known to the log's redaction before it exists anywhere else; it goes to the hub on stdin only.
		lab.redactor.add(password);
		const result = await lab.shell.exec(createAccount(name), {sudo: true, signal: lab.signal, stdin: `${password}\n`});
		if (result.code !== 0) {
			io.stderr.write(`Making ${name}'s account failed: ${lab.redactor.redact(lastLine(result))}\n`);
			return exitCode.failed;
		}
		io.stdout.write(
			`Made the lab account ${name}. Give ${name} this one-time password (shown only now; labbox keeps no copy):\n\n` +
				`  ${password}\n\n` +
				`${name} logs in at https://${domain}/hub/login and sets their own at https://${domain}/hub/change-password.\n`,
		);
		return exitCode.done;
	});
}

/**
 * `labbox users remove NAME...` on a lab with its own accounts (polish item 5): lab.yaml's allow list means nothing
 * there, so the accounts themselves go, through the hub: no more logins, their servers stop, their sessions and
 * tokens end; their homes stay. Every name must have an account (unless --delete-home, for homes only), and the
 * admin's, which labbox keeps, is refused: otherwise nothing is removed (exit 2). `homes`: whose home folders
 * --delete-home should delete next (each name typed again), once the accounts are gone.
 */
export async function removeAccounts(
	names: readonly string[],
	flags: GlobalFlags,
	options: UsersOptions,
	io: Io,
): Promise<{code: number; homes?: readonly string[]}> {
	const said = (rest: string) => commandLine(invocation(flags, options, io), rest);
	let homes: readonly string[] | undefined;
	const code = await withAccounts(flags, options, io, async (lab, accounts) => {
		const admin = (lab.config['auth.admins'] as string[] | undefined)?.[0];
		const plan = removalPlan(accounts, names, admin);
		if (plan.admin.length > 0) {
			io.stderr.write(
				`${plan.admin.join(', ')} is the admin's lab account, which labbox keeps (auth.admins): it would come back when the hub starts. To hand the lab over, name the new admin in auth.admins and run \`${said('')}\`. Nothing was changed.\n`,
			);
			return exitCode.usage;
		}
		if (plan.unknown.length > 0 && !options.deleteHome) {
			io.stderr.write(
				`${plan.unknown.join(', ')} ${plan.unknown.length === 1 ? 'has' : 'have'} no lab account: nothing to remove (\`${said('users')}\` lists the accounts). Nothing was changed.\n`,
			);
			return exitCode.usage;
		}
		const home = (name: string) => path.join(lab.root, 'homes', name);
		const answer = stopped(
			await confirmPlan(
				[
					...plan.remove.map(
						name =>
							`remove ${name}'s lab account: they can no longer log in; their notebook server stops, their sessions and tokens end; ${home(name)} is ${options.deleteHome ? 'deleted next' : 'kept'}`,
					),
					...(options.deleteHome
						? [...plan.remove, ...plan.unknown].map(name => `delete ${home(name)} (asks you to type ${name} again)`)
						: []),
				],
				{yes: flags.yes, io},
			),
			io,
			`${said(`users remove ${names.join(' ')}${options.deleteHome ? ' --delete-home' : ''}`)} --yes`,
		);
		if (answer !== undefined) return answer;
		if (plan.remove.length > 0) {
			const result = await lab.shell.exec(removeAccountsCommand(plan.remove), {sudo: true, signal: lab.signal});
			io.stdout.write(lab.redactor.redact(result.stdout));
			if (result.code !== 0) {
				io.stderr.write(
					result.code === 5
						? `The hub runs a configuration from before labbox could remove lab accounts: run \`${said('run stack')}\` first, then this command again. Nothing was removed.\n`
						: `Removing failed: ${lab.redactor.redact(lastLine(result))}\n`,
				);
				return exitCode.failed;
			}
		}
		homes = options.deleteHome ? [...plan.remove, ...plan.unknown] : undefined;
		return exitCode.done;
	});
	return {code, homes};
}
