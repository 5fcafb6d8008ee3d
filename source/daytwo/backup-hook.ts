/**
 * Where the day-two commands meet backups (issue 13), which issue 12 adds at the same time: `labbox users
 * remove --delete-home` refuses when backups are set up but the last one is older than a day, and `labbox
 * upgrade` takes one first when backups are set up. Until issue 12 lands, `noBackups` says "not set up"; its
 * merge replaces `backups` with the real thing (the functions below and their tests stay as they are).
 */
import type {Config} from '../config/fields.js';
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

/** The lab's backups (issue 12 replaces this). */
export const backups: BackupHook = noBackups;

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
