/**
 * How the backup step proves its settings (issue 12): one backup now, with restic's progress live, or, on a new
 * server whose repository already holds the lab, a wait for `labbox restore`; and, when that fails, the earlier
 * settings put back (item 3).
 */
import {StepError, type StepContext, type StepIO} from '../../source/engine/types.js';
import type {Command} from '../../source/remote/command.js';
import {daemonReload} from '../../source/remote/commands/systemctl.js';
import type {LabShell} from '../../source/remote/lab-session.js';
import {stepCommands} from '../../source/remote/step-commands.js';
import type {BackupWork} from './decide.js';
import {explainBackupFailure, resticFailure} from './failure.js';
import {backupPaths, latestLabSnapshot, putBack, runBackup} from './files.js';
import {backupLine, backupProgress} from './progress.js';
import {parseSnapshots, shortTime, type Snapshot} from './snapshots.js';
import {parseBackupStatus, waitingForRestore} from './status.js';

/** Runs one command as root with its output in the live tail. */
export async function run(ctx: StepContext, io: StepIO, shell: LabShell, command: Command) {
	return stepCommands(ctx, io, shell).run(command); // the one way a step's command is shown and run (issue 11)
}

/**
 * Before this server's first backup: the newest snapshot of this lab the repository already holds (from an
 * earlier server: a restore after a disaster), or undefined when it holds none or does not exist yet.
 */
async function earlierSnapshot(ctx: StepContext, shell: LabShell): Promise<Snapshot | undefined> {
	const root = String(ctx.config['lab.root']);
	const result = await shell.exec(latestLabSnapshot(root, String(ctx.config.domain)), {sudo: true, signal: ctx.signal});
	if (result.code === 0) return parseSnapshots(result.stdout).at(-1);
	// Exit 10 (restic 0.17+) or its words (older): no repository yet; the first backup makes it.
	if (result.code === 10 || /Is there a repository at the following location/.test(result.stderr)) return undefined;
	throw resticFailure(result, String(ctx.config['backup.repository']));
}

/** One backup now, with restic's progress live; a failure says its cause and fix (wrong password, unreachable, full). */
export async function backupNow(ctx: StepContext, io: StepIO, shell: LabShell): Promise<void> {
	const root = String(ctx.config['lab.root']);
	const errors: string[] = [];
	const result = await shell.exec(runBackup(root, true), {
		sudo: true,
		signal: ctx.signal,
		onLine(line, stream) {
			const progress = backupProgress(line);
			if (progress) {
				io.progress(progress.fraction, progress.label);
				return;
			}
			const shown = backupLine(line);
			if (shown !== undefined && shown.trim() !== '') {
				io.line(shown, stream);
				if (stream === 'stderr') errors.push(shown);
			}
		},
	});
	if (result.code !== 0) {
		const status = parseBackupStatus((await shell.exec(['cat', backupPaths(root).status], {sudo: true, signal: ctx.signal})).stdout);
		const reason =
			errors.find(line => /^labbox-backup: another backup/.test(line)) ??
			(status?.result === 'failed' ? status.error : undefined) ??
			errors.at(-1) ??
			`exit ${result.code}`;
		const failure = explainBackupFailure(reason.replace(/^labbox-backup: /, ''), String(ctx.config['backup.repository']));
		throw new StepError(failure.message, failure.fix, errors.slice(-10));
	}
	const status = parseBackupStatus((await shell.exec(['cat', backupPaths(root).status], {sudo: true, signal: ctx.signal})).stdout);
	io.detail(`snapshot ${status?.snapshot ?? '?'} in ${String(ctx.config['backup.repository'])}`);
}

/**
 * The backup that proves new settings, or, on a new server for a lab the repository already holds (issue 12
 * "restore after a disaster"), none: a backup of the empty lab would become the newest snapshot, the one
 * `labbox restore` takes; the server waits for the restore instead.
 */
export async function proveSettings(ctx: StepContext, io: StepIO, shell: LabShell, work: BackupWork): Promise<void> {
	const paths = backupPaths(String(ctx.config['lab.root']));
	const earlier = work.firstBackup ? await earlierSnapshot(ctx, shell) : undefined;
	if (earlier) {
		const newest = `${earlier.shortId} of ${shortTime(earlier.time)} UTC`;
		await shell.upload(paths.waiting, `${newest}\n`, {mode: '0600', owner: 'root:root', sudo: true, signal: ctx.signal});
		io.line(`${String(ctx.config['backup.repository'])} holds this lab's snapshots from an earlier server, newest ${newest}`);
		io.detail(waitingForRestore(newest));
	} else if (work.backupNow) {
		if (work.firstBackup) await run(ctx, io, shell, ['rm', '-f', paths.waiting]);
		io.detail(`backing up to ${String(ctx.config['backup.repository'])}`);
		await backupNow(ctx, io, shell);
	}
}

/** Puts the kept files back after a failure; a failure of its own is logged, never hiding the first one. */
export async function rollBack(
	ctx: StepContext,
	io: StepIO,
	shell: LabShell,
	kept: readonly string[],
	reloadUnits: boolean,
): Promise<void> {
	try {
		// Not under the run's signal: after a Ctrl-C the earlier settings still go back.
		const commands = [putBack(kept), ...(reloadUnits ? [daemonReload()] : [])];
		for (const command of commands) await shell.run(command, {sudo: true, signal: AbortSignal.timeout(60_000)});
		io.line('the earlier backup settings are back in place');
	} catch (error) {
		ctx.log(`putting the earlier backup settings back failed: ${error instanceof Error ? error.message : String(error)}`);
	}
}
