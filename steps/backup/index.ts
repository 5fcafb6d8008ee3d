/**
 * The `backup` step (issue 12): restic from Debian's packages, the lab's backup script, its settings and
 * secrets (root only), a systemd timer that backs up and prunes without the laptop, and a first backup that
 * proves the repository and password. `backup.repository: none` is the explicit choice of no backup.
 */
import {readFile} from 'node:fs/promises';
import path from 'node:path/posix';
import {labFile} from '../../source/engine/paths.js';
import {StepError, type Check, type Health, type Step, type StepContext} from '../../source/engine/types.js';
import {repositoryKind} from '../../source/backup/repository.js';
import type {FactSet} from '../../source/remote/facts/gather.js';
import {aptInstall, aptUpdate} from '../../source/remote/commands/apt.js';
import {chmod} from '../../source/remote/commands/files.js';
import {makeLabFolder} from '../../source/remote/commands/lab-folders.js';
import {daemonReload, disable, enable, isEnabled} from '../../source/remote/commands/systemctl.js';
import {gatherFacts} from '../../source/remote/facts/gather.js';
import {enabledState} from '../../source/remote/facts/systemd.js';
import {labShell, type LabShell} from '../../source/remote/lab-session.js';
import {decideBackup, installedVersion, recentEnough, type BackupWork} from './decide.js';
import {proveSettings, rollBack, run} from './prove.js';
import {backingUp, backupFiles, backupPaths, backupTimer, dropKept, keepBefore, type BackupFile} from './files.js';
import {backupFactSet, readBackupFacts} from './facts.js';
import {describeBackup, parseBackupStatus, scheduleInterval, waitingForRestore} from './status.js';

/** The files labbox would write, and which of them are secrets; a problem with lab.yaml's values throws a StepError. */
async function wanted(ctx: StepContext): Promise<{files: BackupFile[]; secrets: Set<string>}> {
	const root = String(ctx.config['lab.root']);
	const repository = String(ctx.config['backup.repository']);
	if (repositoryKind(repository) === 'local' && (repository === root || repository.startsWith(`${root}/`))) {
		throw new StepError(
			`backup.repository ${repository} is inside the lab (${root}): a backup there is lost with the lab.`,
			'Choose a folder on another disk, or better another machine (sftp:, s3:, …).',
			undefined,
			{usage: true},
		);
	}
	let sshKey: string | undefined;
	if (ctx.config['backup.sshKeyFile'] !== undefined) {
		const file = labFile(ctx.labDir, String(ctx.config['backup.sshKeyFile']));
		sshKey = await readFile(file, 'utf8').catch(() => {
			throw new StepError(
				`backup.sshKeyFile ${file} cannot be read.`,
				'Point backup.sshKeyFile in lab.yaml at the private key the server should log in to the sftp repository with.',
				undefined,
				{usage: true},
			);
		});
	}
	const paths = backupPaths(root);
	return {files: backupFiles(ctx.config, sshKey), secrets: new Set([paths.env, paths.password, paths.sshKey])};
}

async function inspect(
	ctx: StepContext,
	shell: LabShell,
): Promise<{work: BackupWork; blocked?: Check; version?: string; waiting?: string}> {
	const {files, secrets} = await wanted(ctx);
	const root = String(ctx.config['lab.root']);
	const schedule = String(ctx.config['backup.schedule']);
	const facts = await readBackupFacts(shell, files, secrets, backupPaths(root), schedule, ctx.signal);
	const work = decideBackup(facts, files, secrets, String(ctx.config['backup.repository']));
	const version = installedVersion(facts.packages, 'restic');
	const waiting = work.backupNow ? undefined : facts.waiting?.trim() || undefined;
	if (scheduleInterval(facts.schedule ?? '') === undefined) {
		return {
			work,
			version,
			blocked: {
				status: 'blocked',
				reason: `backup.schedule "${schedule}" is not a systemd calendar expression the server understands`,
				fix: 'Set backup.schedule in lab.yaml to one such as "*-*-* 02:30:00" (daily at 02:30) or "Mon *-*-* 03:00:00" (see `man systemd.time`).',
			},
		};
	}
	if (version && !recentEnough(version)) {
		return {
			work,
			version,
			blocked: {
				status: 'blocked',
				reason: `restic ${version} on the server is older than 0.14, which labbox needs`,
				fix: 'Upgrade the server to Debian 12 or newer (or Ubuntu 24.04), then run `labbox run backup`.',
			},
		};
	}
	return {work, version, waiting};
}

async function timerEnabled(ctx: StepContext, shell: LabShell): Promise<boolean> {
	const result = await shell.exec(isEnabled(backupTimer), {sudo: true, signal: ctx.signal});
	return result.stdout.trim() === 'enabled';
}

export const backupStep: Step = {
	id: 'backup',
	title: 'Backup',
	summary:
		'encrypted backups (restic) of homes, shared, the hub database and the lab files run on the server on a schedule, and the last one succeeded',
	dependsOn: ['stack'],
	inputs: ['domain', 'lab.root', 'backup.repository', 'backup.schedule', 'backup.keep', 'backup.datasets', 'backup.sshKeyFile'],
	// Without backups, the one fact is whether a timer is left to disable: read with every other step's (issue 11).
	// With backups, the check reads its own (the files to compare come from this computer).
	facts: ({config}): FactSet => (backingUp(config) ? {} : {timer: enabledState('backup-timer-enabled', backupTimer)}),
	async check(ctx): Promise<Check> {
		if (!backingUp(ctx.config)) {
			return (await ctx.facts()).timer === 'enabled'
				? {status: 'todo', changes: ['disable labbox-backup.timer (backup.repository: none); the repository and its snapshots stay']}
				: {status: 'done', detail: `no backup (backup.repository: ${String(ctx.config['backup.repository'] ?? 'not set')})`};
		}
		const shell = await labShell(ctx);
		let inspected: Awaited<ReturnType<typeof inspect>>;
		try {
			inspected = await inspect(ctx, shell);
		} catch (error) {
			if (error instanceof StepError) return {status: 'blocked', reason: error.message, fix: error.hint ?? ''};
			throw error;
		}
		if (inspected.blocked) return inspected.blocked;
		const detail = inspected.waiting
			? waitingForRestore(inspected.waiting)
			: `restic ${inspected.version ?? '(to install)'} to ${String(ctx.config['backup.repository'])}, ${String(ctx.config['backup.schedule'])}`;
		return inspected.work.changes.length === 0 ? {status: 'done', detail} : {status: 'todo', changes: inspected.work.changes, detail};
	},
	async apply(ctx, io) {
		const shell = await labShell(ctx);
		if (!backingUp(ctx.config)) {
			io.detail(`no backup (backup.repository: ${String(ctx.config['backup.repository'] ?? 'not set')})`);
			// Applied also when only the inputs or the stack changed (a first run): a lab that never had the timer has
			// nothing to disable, and says so rather than `changed` (issue 10 item 10).
			if (!(await timerEnabled(ctx, shell))) {
				return 'unchanged';
			}
			await run(ctx, io, shell, disable(backupTimer, {now: true}));
			return;
		}
		const root = String(ctx.config['lab.root']);
		const {work, blocked} = await inspect(ctx, shell);
		if (blocked?.status === 'blocked') throw new StepError(blocked.reason, blocked.fix);
		const paths = backupPaths(root);
		await run(ctx, io, shell, makeLabFolder(root, paths.folder));
		await run(ctx, io, shell, chmod('0700', paths.folder));
		if (work.install) {
			io.detail("installing restic and sqlite3 (Debian's packages)");
			await run(ctx, io, shell, aptUpdate());
			await run(ctx, io, shell, aptInstall(['restic', 'sqlite3']));
		}
		// New settings are proven by the backup below; until then the ones they replace are kept, and a failure puts
		// those back (item 3): the timer goes on with settings that worked, not half-applied ones that did not.
		const kept = [...work.uploads.map(file => file.path), paths.status, paths.waiting];
		await run(ctx, io, shell, keepBefore(kept));
		try {
			for (const file of work.uploads) {
				io.line(`${file.label}`);
				await shell.upload(file.path, file.content, {mode: file.mode, owner: 'root:root', sudo: true, signal: ctx.signal});
			}
			if (work.reloadUnits) await run(ctx, io, shell, daemonReload());
			await proveSettings(ctx, io, shell, work);
		} catch (error) {
			await rollBack(ctx, io, shell, kept, work.reloadUnits);
			throw error;
		}
		await run(ctx, io, shell, dropKept(kept));
		// The timer last: a repository that refuses us leaves no timer behind to fail every night.
		if (work.enableTimer) await run(ctx, io, shell, enable(backupTimer, {now: true}));
		if (work.reloadUnits) await run(ctx, io, shell, ['systemctl', 'restart', backupTimer]);
	},
	health,
};

/** `labbox status`: the last backup's age, result and size; unwell when it failed, never ran or is older than twice the schedule. */
async function health(ctx: StepContext): Promise<Health> {
	if (!backingUp(ctx.config)) {
		return {
			ok: true,
			warning: true,
			text: `warning: no backups (backup.repository: ${String(ctx.config['backup.repository'] ?? 'not set')}); a failed disk or one rm -rf loses every notebook`,
		};
	}
	const root = String(ctx.config['lab.root']);
	const set = backupFactSet([], new Set(), backupPaths(root), String(ctx.config['backup.schedule']));
	const found = await gatherFacts(await labShell(ctx), set, {signal: ctx.signal});
	return describeBackup(parseBackupStatus(found.status), {
		now: Date.now(),
		intervalMs: scheduleInterval(found.schedule ?? ''),
		running: found.running === 'running',
		timerEnabled: found.enabled === 'enabled' && found.active === 'active',
		waiting: found.waiting,
	});
}

/** For the restore: where the hub's database dump lands in a snapshot. */
export const dumpName = (root: string) => path.join(backupPaths(root).dump, 'jupyterhub.sqlite');
