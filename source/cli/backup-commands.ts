/**
 * `labbox backup`, `labbox backups` and `labbox restore` (issue 12). backup and restore are steps of their own
 * that the engine runs (live progress, the log, Ctrl-C, the lock, the TUI or plain output, as every run); restore
 * shows its plan and asks first, unless --yes. backups only reads and prints a table.
 */
import path from 'node:path';
import {loadConfig, secretValues} from '../config/load.js';
import {userNameProblem} from '../config/names.js';
import {ConfigError} from '../config/resolve.js';
import {Redactor} from '../engine/redact.js';
import {RunResources} from '../engine/resources.js';
import {stepContext} from '../engine/runner.js';
import {StepError} from '../engine/types.js';
import {labShell} from '../remote/lab-session.js';
import {backupNowStep} from '../../steps/backup/backup-now.js';
import {listSnapshots, restoreStep, type RestoreOptions} from '../../steps/backup/restore.js';
import {heldNames, shortTime} from '../../steps/backup/snapshots.js';
import {bytes} from '../../steps/backup/status.js';
import {cannotAsk, configFlags, exitCode, interactive, invocation, pathsFor, type GlobalFlags, type Io} from './context.js';
import {spellCommands} from './invocation.js';
import {runCommand} from './run-command.js';

/**
 * Where backup and restore record their runs: beside the lab's state, not in it, so a setup run cut off before
 * them is still the one `labbox --resume` continues (issue 12 item 4).
 */
export function backupStateFile(flags: GlobalFlags, io: Io): string {
	return path.join(pathsFor(flags, io).internal, 'backup-state.json');
}

/** `labbox backup`: one backup now, run by the engine as a step of its own. */
export async function backupCommand(flags: GlobalFlags, options: Record<string, unknown>, io: Io): Promise<number> {
	return runCommand(
		{mode: 'run', flags, options, only: [backupNowStep.id], stateFile: backupStateFile(flags, io)},
		{...io, steps: [backupNowStep]},
	);
}

/** Why the restore's own options cannot be used, or undefined. */
export function restoreOptionsProblem(options: RestoreOptions): string | undefined {
	if (options.user !== undefined) {
		const problem = userNameProblem(options.user);
		if (problem) return `--user ${options.user}: ${problem}`;
	}
	if (options.snapshot !== undefined && !/^(latest|[0-9a-f]{4,64})$/.test(options.snapshot)) {
		return `--snapshot ${options.snapshot}: a snapshot id is 4 to 64 hexadecimal digits (labbox backups lists them), or latest`;
	}
	if (options.to !== undefined && !/^\/[A-Za-z0-9_./-]*[A-Za-z0-9_-]$/.test(options.to)) {
		return `--to ${options.to}: an absolute path of a folder on the server is needed, e.g. /srv/restored`;
	}
	if (options.to !== undefined && options.user !== undefined) {
		return '--to restores a whole snapshot into a folder: leave --user out';
	}
	return undefined;
}

/** `labbox restore`: the plan, a confirmation (or --yes), then the restore. */
export async function restoreCommand(flags: GlobalFlags, options: Record<string, unknown> & RestoreOptions, io: Io): Promise<number> {
	const wanted: RestoreOptions = {user: options.user, snapshot: options.snapshot, to: options.to};
	const problem = restoreOptionsProblem(wanted);
	if (problem) {
		io.stderr.write(`labbox restore: ${problem}\n`);
		return exitCode.usage;
	}
	// A restore replaces files: someone confirms the plan in a terminal, or says yes up front.
	if (!flags.yes && !interactive(flags, io)) {
		io.stderr.write('labbox restore replaces files on the server: run it in a terminal to see the plan and confirm it, or add --yes.\n');
		return exitCode.usage;
	}
	// Setup's plan and confirmation, never its questions: a key lab.yaml lacks is an error naming it (polish item 3).
	return runCommand(
		{mode: 'setup', wizard: false, flags, options, stateFile: backupStateFile(flags, io)},
		{...io, steps: [restoreStep(wanted)]},
	);
}

/** `labbox backups`: the snapshots, newest last, with their time, size and what they hold. */
export async function backupsCommand(flags: GlobalFlags, options: Record<string, unknown>, io: Io): Promise<number> {
	const paths = pathsFor(flags, io);
	const hints = (text: string) => spellCommands(text, invocation(flags, options, io));
	let config: Awaited<ReturnType<typeof loadConfig>>['config'];
	try {
		config = (await loadConfig({paths, flags: configFlags(options), env: io.env})).config;
	} catch (error) {
		if (error instanceof ConfigError) {
			io.stderr.write(
				`The configuration needs attention (nothing was run):\n${error.problems.map(item => `  • ${item.message}`).join('\n')}\n`,
			);
			return exitCode.usage;
		}
		throw error;
	}
	const redactor = new Redactor();
	for (const secret of secretValues(config)) redactor.add(secret);
	const resources = new RunResources();
	const step = {id: 'backups', title: 'Backups', summary: '', check: async () => ({status: 'done' as const})};
	const ctx = stepContext(
		{config, labDir: paths.dir, signal: AbortSignal.timeout(120_000), prompt: async question => Promise.reject(cannotAsk(question))},
		step,
		new Map(),
		resources,
	);
	try {
		const root = String(config['lab.root']);
		const snapshots = await listSnapshots(ctx, await labShell(ctx));
		if (snapshots.length === 0) {
			io.stdout.write(`No snapshot in ${String(config['backup.repository'])} yet: \`labbox backup\` takes one.\n`);
			return exitCode.done;
		}
		const rows = snapshots.map(item => [
			item.shortId,
			`${shortTime(item.time)} UTC`,
			item.bytes === undefined ? '?' : bytes(item.bytes),
			item.added === undefined ? '?' : bytes(item.added),
			heldNames(item, root).join(' '),
		]);
		const header = ['id', 'time', 'size', 'added', 'holds'];
		const widths = header.map((title, column) => Math.max(title.length, ...rows.map(row => row[column]!.length)));
		const line = (row: readonly string[]) =>
			row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ');
		io.stdout.write(
			`${[line(header), ...rows.map(line)].join('\n')}\n${hints(`${snapshots.length} snapshot${snapshots.length === 1 ? '' : 's'} in ${String(config['backup.repository'])}; \`labbox restore --snapshot ID\` restores one.`)}\n`,
		);
		return exitCode.done;
	} catch (error) {
		const message =
			error instanceof StepError
				? `${error.message}${error.hint ? `\nFix: ${error.hint}` : ''}`
				: error instanceof Error
					? error.message
					: String(error);
		io.stderr.write(`${hints(redactor.redact(message))}\n`);
		return error instanceof StepError && error.usage ? exitCode.usage : exitCode.failed;
	} finally {
		await resources.disposeAll();
	}
}
