/**
 * The backup step's decision, pure (pyinfra style: facts in, work out; nothing left means "already so"): restic
 * installed at a version labbox knows, the files and units in place, the timer enabled, and the last backup good.
 */
import {createHash} from 'node:crypto';
import {oldestRestic, type BackupFile} from './files.js';
import {parseBackupStatus} from './status.js';

/** What the server has, as the step's facts read it. */
export interface BackupFacts {
	/** `dpkg-query` lines: `restic installed 0.18.0-1`. */
	readonly packages: string;
	/** sha256 by path, of the files that are not secrets. */
	readonly hashes: ReadonlyMap<string, string>;
	/** `stat` mode (`600`) and owner (`0:0`) by path, of every file that exists. */
	readonly stats: ReadonlyMap<string, {readonly mode: string; readonly owner: string}>;
	/** The secret files whose content equals what labbox would write (compared on the server, never hashed in a log). */
	readonly sameSecrets: ReadonlySet<string>;
	/** `systemctl is-enabled` and `is-active` of the timer. */
	readonly timerEnabled: boolean;
	readonly timerActive: boolean;
	/** status.json as the server has it. */
	readonly status?: string;
	/** The waiting-for-restore file (the earlier server's newest snapshot): no backup until `labbox restore`. */
	readonly waiting?: string;
}

export interface BackupWork {
	readonly changes: string[];
	readonly install: boolean;
	readonly uploads: BackupFile[];
	readonly reloadUnits: boolean;
	readonly enableTimer: boolean;
	/** No good backup yet, or the repository or password changed: take one now, which proves them. */
	readonly backupNow: boolean;
	/**
	 * This server has never backed up: before its first backup, the step asks the repository whether it holds the
	 * lab's snapshots from an earlier server (a restore after a disaster); then it waits for `labbox restore`.
	 */
	readonly firstBackup: boolean;
}

/** The installed version of a package from `dpkg-query` lines, when installed. */
export function installedVersion(packages: string, name: string): string | undefined {
	return new RegExp(`^${name} installed (\\S+)$`, 'm').exec(packages)?.[1];
}

/** Whether a Debian version (`0.14.0-1`, `0.18.0-1+b2`) is at least restic `oldestRestic`. */
export function recentEnough(version: string): boolean {
	const [major = 0, minor = 0] = (/^(?:\d+:)?(\d+)\.(\d+)/.exec(version) ?? []).slice(1).map(Number);
	return major > oldestRestic[0] || (major === oldestRestic[0] && minor >= oldestRestic[1]);
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The work still needed; `secrets`: the paths compared by content on the server rather than by hash. */
export function decideBackup(
	facts: BackupFacts,
	files: readonly BackupFile[],
	secrets: ReadonlySet<string>,
	repository: string,
): BackupWork {
	const changes: string[] = [];
	const missing = ['restic', 'sqlite3'].filter(name => !installedVersion(facts.packages, name));
	if (missing.length > 0) {
		changes.push(`install ${missing.join(' and ')} (Debian's packages)`);
	}
	const uploads = files.filter(file => {
		const stat = facts.stats.get(file.path);
		const same = secrets.has(file.path) ? facts.sameSecrets.has(file.path) : facts.hashes.get(file.path) === sha256(file.content);
		return !stat || !same || stat.mode.padStart(4, '0') !== file.mode || stat.owner !== '0:0';
	});
	for (const file of uploads) {
		changes.push(`${facts.stats.has(file.path) ? 'update' : 'write'} ${file.label}`);
	}
	const reloadUnits = uploads.some(file => file.path.startsWith('/etc/systemd/'));
	const enableTimer = !facts.timerEnabled || !facts.timerActive || reloadUnits;
	if (!facts.timerEnabled || !facts.timerActive) {
		changes.push('enable labbox-backup.timer (backups run on the server without your laptop)');
	}
	// A changed repository, password or set of folders is proven by a backup now, as is a last one that failed.
	const settingsChanged = uploads.some(file => !file.path.startsWith('/etc/systemd/'));
	const status = parseBackupStatus(facts.status);
	// Waiting for a restore, the empty lab is not backed up (it would hide the earlier server's snapshots), unless
	// the repository itself changed: then it is asked again.
	const waiting = Boolean(facts.waiting?.trim());
	const backupNow = settingsChanged || (!waiting && status?.result !== 'ok');
	const firstBackup = backupNow && !facts.status?.trim();
	if (firstBackup) {
		changes.push(
			`take a first backup to ${repository} (if it holds this lab's snapshots from an earlier server, none: backups wait for \`labbox restore\`)`,
		);
	} else if (backupNow) {
		const why = status?.result === 'failed' ? ` (the last one failed: ${status.error ?? 'no reason recorded'})` : '';
		changes.push(`take a backup now to ${repository}${why}`);
	}
	return {changes, install: missing.length > 0, uploads, reloadUnits, enableTimer, backupNow, firstBackup};
}
