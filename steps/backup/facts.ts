/** The backup step's facts: one round trip for packages, files, the timer and the last status; secrets compared apart. */
import {quiet, type Command} from '../../source/remote/command.js';
import {packageStatus} from '../../source/remote/commands/apt.js';
import type {Fact} from '../../source/remote/facts/fact.js';
import {gatherFacts} from '../../source/remote/facts/gather.js';
import {activeState, enabledState} from '../../source/remote/facts/systemd.js';
import type {RemoteShell} from '../../source/remote/remote-shell.js';
import {fileStates} from '../../source/remote/facts/file-state.js';
import type {BackupFacts} from './decide.js';
import {backupLock, backupPackages, type BackupFile} from './files.js';

const text = (name: string, command: Command): Fact<string> => ({name, command, parse: output => output.trim()});

/** Succeeds (prints nothing) when the file holds exactly the standard input: a secret compared without a hash in any log. */
export function sameContent(file: string): Command {
	return ['cmp', '-s', file, '-'];
}

/** Prints `running` while a backup holds the lock. */
export function backupRunning(): Command {
	return quiet(['sh', '-c', `flock -n ${backupLock} true || echo running`]);
}

/** The two next times of the schedule, to know how old is too old. */
export function scheduleTimes(schedule: string): Command {
	return ['systemd-analyze', 'calendar', '--iterations=2', schedule];
}

/** `secrets`: paths whose hash must not be read (a log would keep the hash of a password); they are only stat'ed. */
export function backupFactSet(
	files: readonly BackupFile[],
	secrets: ReadonlySet<string>,
	{status, waiting}: {readonly status: string; readonly waiting: string},
	schedule?: string,
) {
	return {
		packages: text('backup-packages', packageStatus(backupPackages)),
		files: fileStates(
			files.map(file => file.path),
			{hash: files.map(file => file.path).filter(path => !secrets.has(path))},
		),
		enabled: enabledState('backup-timer-enabled', 'labbox-backup.timer'),
		active: activeState('backup-timer-active', 'labbox-backup.timer'),
		status: text('backup-status', ['cat', status]),
		waiting: text('backup-waiting', ['cat', waiting]),
		running: text('backup-running', backupRunning()),
		...(schedule ? {schedule: text('backup-schedule', scheduleTimes(schedule))} : {}),
	};
}

/** Reads the facts (as root: the folder is root's alone); the secret files are compared one by one through stdin. */
export async function readBackupFacts(
	shell: RemoteShell,
	files: readonly BackupFile[],
	secrets: ReadonlySet<string>,
	where: {readonly status: string; readonly waiting: string},
	schedule: string,
	signal?: AbortSignal,
): Promise<BackupFacts & {schedule?: string; running: boolean}> {
	const found = await gatherFacts(shell, backupFactSet(files, secrets, where, schedule), {signal});
	const states = Object.entries(found.files ?? {});
	const sameSecrets = new Set<string>();
	const stats = new Map(states.map(([file, state]) => [file, {mode: state.mode, owner: state.owner}]));
	for (const file of files.filter(item => secrets.has(item.path) && stats.has(item.path))) {
		const compared = await shell.exec(sameContent(file.path), {sudo: true, stdin: file.content, signal});
		if (compared.code === 0) {
			sameSecrets.add(file.path);
		}
	}
	return {
		packages: found.packages ?? '',
		hashes: new Map(states.flatMap(([file, state]) => (state.sha256 ? [[file, state.sha256] as const] : []))),
		stats,
		sameSecrets,
		timerEnabled: found.enabled === 'enabled',
		timerActive: found.active === 'active',
		status: found.status,
		waiting: found.waiting,
		running: found.running === 'running',
		schedule: found.schedule,
	};
}
