/**
 * The server's record of the last backup (LAB_ROOT/backup/status.json, written by labbox-backup.sh) and what
 * `labbox status` says of it (issue 12): unwell when the last run failed or is older than twice the schedule.
 */

/** What labbox-backup.sh writes: `running` while it runs, then `ok` or `failed`. */
export interface BackupStatus {
	readonly result: 'ok' | 'failed' | 'running';
	readonly start: string;
	readonly end?: string;
	readonly duration?: number;
	readonly snapshot?: string;
	readonly bytesAdded?: number;
	readonly files?: number;
	readonly error?: string;
	/** Written by a restore onto a new server: the lab is as this snapshot holds it (no backup ran here). */
	readonly restored?: boolean;
}

/** Parses status.json; undefined when there is none or it is not one. */
export function parseBackupStatus(text: string | undefined): BackupStatus | undefined {
	try {
		const value = JSON.parse(text ?? '') as Partial<BackupStatus>;
		return value && ['ok', 'failed', 'running'].includes(String(value.result)) && typeof value.start === 'string'
			? (value as BackupStatus)
			: undefined;
	} catch {
		return undefined;
	}
}

/** `1.2 MiB`, `532 B`. */
export function bytes(count: number): string {
	const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
	let value = count;
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}
	return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** `3 hours ago`, `2 days ago`. */
export function age(ms: number): string {
	const minutes = Math.round(ms / 60_000);
	if (minutes < 1) return 'just now';
	if (minutes < 90) return `${minutes} minute${minutes === 1 ? '' : 's'} ago`;
	const hours = Math.round(minutes / 60);
	if (hours < 36) return `${hours} hours ago`;
	return `${Math.round(hours / 24)} days ago`;
}

/** The two next times of the schedule (`systemd-analyze calendar --iterations=2`, their `(in UTC)` lines), as ms apart. */
export function scheduleInterval(output: string): number | undefined {
	// systemd adds the `(in UTC)` lines only when the server's time zone is not UTC; otherwise the times themselves are UTC.
	const stamp = '\\w+ (\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d) UTC';
	const utc = [...output.matchAll(new RegExp(`\\(in UTC\\): ${stamp}`, 'g'))];
	const local = [...output.matchAll(new RegExp(`(?:Next elapse|Iter(?:\\.|ation) #\\d+): ${stamp}`, 'g'))];
	const times = (utc.length >= 2 ? utc : local).map(match => Date.parse(`${match[1]!.replace(' ', 'T')}Z`));
	return times.length >= 2 ? times[1]! - times[0]! : undefined;
}

/** What a new server says while its repository holds an earlier server's snapshots (`newest`: that snapshot). */
export function waitingForRestore(newest: string): string {
	return `no backup on this server yet: waiting for \`labbox restore\` (the repository holds this lab's snapshots from an earlier server, newest ${newest}); \`labbox backup\` starts afresh instead`;
}

/**
 * One line for `labbox status`, and whether it is well. `running`: a backup holds the lock now; `waiting`: the
 * earlier server's newest snapshot, while this server waits for a restore.
 */
export function describeBackup(
	status: BackupStatus | undefined,
	options: {
		readonly now: number;
		readonly intervalMs?: number;
		readonly running: boolean;
		readonly timerEnabled: boolean;
		readonly waiting?: string;
	},
): {ok: boolean; text: string} {
	if (options.waiting?.trim()) {
		return {ok: false, text: waitingForRestore(options.waiting.trim())};
	}
	const timer = options.timerEnabled ? '' : '; labbox-backup.timer is not enabled, so no backup is scheduled';
	if (!status) {
		return {ok: false, text: `no backup has been taken yet${timer}`};
	}
	if (status.result === 'running') {
		return options.running
			? {ok: options.timerEnabled, text: `a backup is running since ${age(options.now - Date.parse(status.start))}${timer}`}
			: {ok: false, text: `the last backup (started ${age(options.now - Date.parse(status.start))}) was cut off before it ended${timer}`};
	}
	const when = age(options.now - Date.parse(status.end ?? status.start));
	if (status.result === 'failed') {
		return {ok: false, text: `the last backup failed ${when}: ${status.error ?? 'no reason recorded'}${timer}`};
	}
	const text = status.restored
		? `last backup ${when}: snapshot ${status.snapshot}, the one this lab was restored from`
		: `last backup ${when}: snapshot ${status.snapshot}, ${bytes(status.bytesAdded ?? 0)} added in ${status.duration ?? 0} s`;
	const tooOld = options.intervalMs !== undefined && options.now - Date.parse(status.end ?? status.start) > 2 * options.intervalMs;
	if (tooOld) {
		return {ok: false, text: `${text}; that is more than twice the schedule ago${timer}`};
	}
	return {ok: options.timerEnabled, text: `${text}${timer}`};
}
