/**
 * `labbox restore` as a step the engine runs (issue 12): a plan first (which snapshot, what is replaced, where
 * the replaced files are kept), then the restore in place. Nothing is silently destroyed: what it replaces is
 * copied aside first, files made since the snapshot stay, and the hub is stopped only around a whole-lab restore.
 */
import path from 'node:path/posix';
import {StepError, type Check, type Step, type StepContext, type StepIO} from '../../source/engine/types.js';
import {combine, type Command} from '../../source/remote/command.js';
import {stepCommands} from '../../source/remote/step-commands.js';
import {labShell, type LabShell} from '../../source/remote/lab-session.js';
import {resticFailure} from './failure.js';
import {backingUp, backupPaths, restic, restoredNames} from './files.js';
import {chooseSnapshot, heldNames, parseSnapshots, shortTime, type Snapshot} from './snapshots.js';

export interface RestoreOptions {
	/** One user's home only; the hub keeps running. */
	readonly user?: string;
	/** A snapshot id (or its start); default the newest. */
	readonly snapshot?: string;
	/** Into this folder on the server instead of in place: nothing of the lab changes. */
	readonly to?: string;
}

/** The repository's snapshots, or a StepError saying why they cannot be read. */
export async function listSnapshots(ctx: StepContext, shell: LabShell): Promise<Snapshot[]> {
	const root = String(ctx.config['lab.root']);
	const exists = await shell.exec(['test', '-f', backupPaths(root).script], {sudo: true, signal: ctx.signal});
	if (exists.code !== 0) {
		throw new StepError(
			'Backups are not set up on this server yet.',
			'Run `labbox run backup` (with backup.repository in lab.yaml) first.',
		);
	}
	const result = await shell.exec(restic(root, 'snapshots', '--json'), {sudo: true, signal: ctx.signal});
	if (result.code !== 0) {
		throw resticFailure(result, String(ctx.config['backup.repository']));
	}
	return parseSnapshots(result.stdout);
}

/** What is restored in place, as absolute paths (the hub's database comes from its dump, see `putDatabaseBack`). */
function restoredPaths(root: string, options: RestoreOptions, snapshot: Snapshot): string[] {
	if (options.user) {
		return [path.join(root, 'homes', options.user)];
	}
	const held = new Set(heldNames(snapshot, root));
	return restoredNames(true)
		.filter(name => held.has(name))
		.map(name => path.join(root, name));
}

interface RestorePlan {
	readonly snapshot: Snapshot;
	readonly changes: string[];
}

async function plan(ctx: StepContext, options: RestoreOptions): Promise<RestorePlan> {
	// Said before logging in: without a repository there is nothing to ask the server.
	if (!backingUp(ctx.config)) {
		throw new StepError(
			'No backups are configured (backup.repository is none or not set), so there is nothing to restore from.',
			'Set backup.repository (and LABBOX_BACKUP_PASSWORD in secrets.env) to the repository that holds the lab, then run `labbox run backup` and this again.',
			undefined,
			{usage: true},
		);
	}
	const root = String(ctx.config['lab.root']);
	const snapshots = await listSnapshots(ctx, await labShell(ctx));
	const snapshot = chooseSnapshot(snapshots, options.snapshot);
	if (!snapshot) {
		throw new StepError(
			options.snapshot
				? `No single snapshot ${options.snapshot} in ${String(ctx.config['backup.repository'])}.`
				: `${String(ctx.config['backup.repository'])} holds no snapshot yet.`,
			'`labbox backups` lists the snapshots and their ids.',
			undefined,
			{usage: true},
		);
	}
	const from = `snapshot ${snapshot.shortId} (${shortTime(snapshot.time)} UTC)`;
	if (options.to) {
		return {snapshot, changes: [`restore ${from} into ${options.to} on the server; nothing in the lab changes`]};
	}
	const aside = `${backupPaths(root).folder}/before-restore-…/`;
	const names = restoredPaths(root, options, snapshot);
	if (options.user) {
		return {
			snapshot,
			changes: [
				`restore ${names[0]} from ${from}: files changed since are replaced, files made since stay; other homes are not touched`,
				`keep a copy of ${names[0]} as it is now in ${aside}`,
			],
		};
	}
	return {
		snapshot,
		changes: [
			'stop the hub (notebook servers keep running)',
			`restore ${names.map(name => path.relative(root, name)).join(', ')} and the hub database from ${from}: files changed since are replaced, files made since stay`,
			`keep a copy of what it replaces in ${aside}`,
			'start the hub again',
		],
	};
}

/** Runs one command as root with its output in the live tail. */
async function run(ctx: StepContext, io: StepIO, shell: LabShell, command: Command) {
	return stepCommands(ctx, io, shell).run(command); // the one way a step's command is shown and run (issue 11)
}

/** The compose command of the lab's stack. */
const compose = (root: string, ...args: string[]): Command => ['docker', 'compose', '-f', path.join(root, 'compose.yaml'), ...args];

/** The hub's database from its online copy in the snapshot; the old one (and its journal) goes aside first. */
function putDatabaseBack(root: string, aside: string): Command[] {
	const database = path.join(root, 'data/jupyterhub.sqlite');
	const dump = path.join(backupPaths(root).dump, 'jupyterhub.sqlite');
	const leftovers = ['', '-journal', '-wal', '-shm'].map(suffix => `${database}${suffix}`);
	return [
		['mkdir', '-p', path.join(aside, 'hub-database')],
		// A journal left beside a replaced database would be rolled back into it: all of them go aside.
		['sh', '-c', 'for f; do [ -e "$f" ] && mv -f "$f" "$0"/; done; true', path.join(aside, 'hub-database'), ...leftovers],
		combine(['cp', dump, `${database}.part`], ['mv', '-f', `${database}.part`, database]),
	];
}

/**
 * After a whole restore onto a new server that waited for it (see the backup step): the lab is now as the snapshot
 * holds it, so that snapshot is its last backup, and the scheduled backups go on. Nothing when it did not wait.
 */
export function carryOnFrom(root: string, snapshot: Snapshot): Command {
	const {waiting, status} = backupPaths(root);
	const record = {result: 'ok', start: snapshot.time, end: snapshot.time, duration: 0, snapshot: snapshot.id, restored: true};
	return [
		'sh',
		'-c',
		'[ ! -f "$1" ] || { printf "%s\\n" "$3" >"$2.tmp" && chmod 0644 "$2.tmp" && mv -f "$2.tmp" "$2" && rm -f "$1"; }',
		'carry-on',
		waiting,
		status,
		JSON.stringify(record),
	];
}

/** The restore step for these options (not in the lab's step list: `labbox restore` runs it alone). */
export function restoreStep(options: RestoreOptions): Step {
	return {
		id: 'restore',
		title: options.user ? `Restore ${options.user}'s home` : options.to ? 'Restore into a folder' : 'Restore the lab',
		summary: 'restores the lab, or one home, from a backup',
		async check(ctx): Promise<Check> {
			try {
				return {status: 'todo', changes: (await plan(ctx, options)).changes};
			} catch (error) {
				if (error instanceof StepError) return {status: 'blocked', reason: error.message, fix: error.hint ?? ''};
				throw error;
			}
		},
		async apply(ctx, io) {
			const shell = await labShell(ctx);
			const root = String(ctx.config['lab.root']);
			const {snapshot} = await plan(ctx, options);
			if (options.to) {
				await run(ctx, io, shell, restic(root, 'restore', snapshot.id, '--target', options.to));
				io.detail(`snapshot ${snapshot.shortId} is in ${options.to} on the server`);
				return;
			}
			const aside = path.join(backupPaths(root).folder, `before-restore-${new Date().toISOString().replaceAll(/[:.]/g, '-')}`);
			const paths = restoredPaths(root, options, snapshot);
			// What is replaced is kept first: a copy (owners, modes and times kept) of each path that exists now.
			await run(ctx, io, shell, ['install', '-d', '-m', '0700', aside]);
			for (const item of paths) {
				const into = path.join(aside, path.dirname(path.relative(root, item)));
				await run(ctx, io, shell, ['sh', '-c', '[ ! -e "$1" ] || { mkdir -p "$2" && cp -a "$1" "$2"/; }', 'keep', item, into]);
			}
			const whole = !options.user;
			if (whole) {
				io.detail('stopping the hub');
				await run(ctx, io, shell, [
					'sh',
					'-c',
					'[ ! -f "$1" ] || docker compose -f "$1" stop hub',
					'stop',
					path.join(root, 'compose.yaml'),
				]);
			}
			io.detail(`restoring from snapshot ${snapshot.shortId}`);
			const includes = [...paths, ...(whole ? [backupPaths(root).dump] : [])].flatMap(item => ['--include', item]);
			try {
				await run(ctx, io, shell, restic(root, 'restore', snapshot.id, '--target', '/', ...includes));
				if (whole) {
					for (const command of putDatabaseBack(root, aside)) await run(ctx, io, shell, command);
					await run(ctx, io, shell, carryOnFrom(root, snapshot));
				}
			} finally {
				if (whole) {
					io.detail('starting the hub');
					await run(ctx, io, shell, compose(root, 'up', '-d', 'hub'));
				}
			}
			io.line(`what was replaced is kept in ${aside}`);
			io.detail(
				`${options.user ? `${options.user}'s home` : 'the lab'} is back as of ${shortTime(snapshot.time)} UTC; the files it replaced are in ${aside}`,
			);
		},
		async verify(ctx): Promise<Check> {
			const shell = await labShell(ctx);
			const root = String(ctx.config['lab.root']);
			if (options.user) {
				const home = path.join(root, 'homes', options.user);
				const found = await shell.exec(['test', '-d', home], {sudo: true, signal: ctx.signal});
				return found.code === 0
					? {status: 'done'}
					: {
							status: 'blocked',
							reason: `${home} is not on the server after the restore`,
							fix: `The snapshot may not hold ${options.user}'s home: \`labbox backups\` lists what each holds.`,
						};
			}
			if (options.to) return {status: 'done'};
			const running = await shell.exec(compose(root, 'ps', '--status', 'running', '--services'), {sudo: true, signal: ctx.signal});
			return running.stdout.split('\n').includes('hub')
				? {status: 'done'}
				: {
						status: 'blocked',
						reason: 'the hub did not start again after the restore',
						fix: `See \`docker compose logs hub\` in ${root} on the server; the replaced files are in ${backupPaths(root).folder}/before-restore-*.`,
					};
		},
	};
}
