/**
 * Where the day-two commands meet backups (issues 12 and 13): `labbox users remove --delete-home` refuses when
 * backups are set up but the last one is older than a day, and `labbox upgrade` takes one first when backups are
 * set up. `backups` reads the server's record of the last backup (status.json, written by labbox-backup.sh) and
 * runs the same script the timer runs.
 */
import {backingUp} from '../backup/repository.js';
import type {Config} from '../config/fields.js';
import {readFileOr} from '../remote/commands/files.js';
import {backupPaths, runBackup} from '../../steps/backup/files.js';
import {parseBackupStatus, waitingForRestore} from '../../steps/backup/status.js';
import type {LabConnection} from './lab-connection.js';

export interface BackupHook {
	/** Whether lab.yaml sets up backups. */
	configured(config: Config): boolean;
	/** When the last successful backup ended, or undefined when none did. */
	lastSuccess(lab: LabConnection): Promise<Date | undefined>;
	/** Takes a backup now, streaming its lines; throws when it fails. */
	takeNow(lab: LabConnection, line: (text: string) => void): Promise<void>;
}

export const noBackups: BackupHook = {
	configured: () => false,
	lastSuccess: async () => undefined,
	takeNow: async () => {
		throw new Error('backups are not set up on this lab');
	},
};

/** When the last backup ended, from the server's status.json: only an `ok` one counts (a failed one saved nothing new). */
export function lastSuccessFrom(statusJson: string): Date | undefined {
	const status = parseBackupStatus(statusJson);
	return status?.result === 'ok' && status.end ? new Date(status.end) : undefined;
}

/** The lab's backups, as issue 12 sets them up on the server. */
export const backups: BackupHook = {
	configured: config => backingUp(config),
	async lastSuccess(lab) {
		const {stdout} = await lab.shell.run(readFileOr(backupPaths(lab.root).status, ''), {sudo: true, signal: lab.signal});
		return lastSuccessFrom(stdout);
	},
	async takeNow(lab, line) {
		// A new server waiting for `labbox restore` takes no backup (the script refuses with exit 75): say why and
		// what to run, as `labbox status` does, rather than a bare failed command (polish item 4).
		const waiting = (await lab.shell.run(readFileOr(backupPaths(lab.root).waiting, ''), {sudo: true, signal: lab.signal})).stdout.trim();
		if (waiting) {
			throw new Error(`The backup taken first is refused: ${waitingForRestore(waiting)}.`);
		}
		await lab.shell.run(runBackup(lab.root, false), {sudo: true, signal: lab.signal, onLine: text => line(lab.redactor.redact(text))});
	},
};

const day = 24 * 3600 * 1000;

/** Why a home folder may not be deleted now (a backup too old to bring it back), or undefined when it may. */
export async function homeDeletionBlocked(hook: BackupHook, lab: LabConnection, now = new Date()): Promise<string | undefined> {
	if (!hook.configured(lab.config)) {
		return undefined;
	}
	const last = await hook.lastSuccess(lab);
	if (!last) {
		return 'backups are set up but none has succeeded yet, so the folder could not be brought back. Run `labbox backup` first.';
	}
	if (now.getTime() - last.getTime() > day) {
		return `the last backup is older than a day (${last.toISOString()}), so the folder's recent work could not be brought back. Run \`labbox backup\` first.`;
	}
	return undefined;
}
