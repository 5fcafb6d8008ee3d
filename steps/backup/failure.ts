/**
 * What a failed backup or restore means for the user (issue 12 "bad input"): restic's last words mapped to the
 * cause and the fix, so a wrong password, an unreachable or full target each say what to do.
 */
import {StepError} from '../../source/engine/types.js';

export interface BackupFailure {
	readonly message: string;
	readonly fix: string;
}

/** The cause and fix for restic's error text (its last lines). */
export function explainBackupFailure(error: string, repository: string): BackupFailure {
	if (/wrong password|no key found|ciphertext verification failed/i.test(error)) {
		return {
			message: `The repository ${repository} refused the password (backup.password).`,
			fix: 'Set LABBOX_BACKUP_PASSWORD in secrets.env (or the environment) to the password the repository was made with, then run labbox again.',
		};
	}
	if (/permission denied \(publickey|Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED/i.test(error)) {
		return {
			message: `The server could not log in to ${repository}: ${error}`,
			fix: 'Allow the key of backup.sshKeyFile there (its .pub in ~/.ssh/authorized_keys of that user), or set backup.sshKeyFile to a key it allows.',
		};
	}
	if (/no space left|disk full|quota exceeded|insufficient storage/i.test(error)) {
		return {
			message: `The backup target is full: ${error}`,
			fix: 'Free space there (or keep fewer snapshots: backup.keep), or choose another backup.repository.',
		};
	}
	if (
		/timed out|connection refused|no route to host|could not resolve|name or service not known|network is unreachable|unable to start the sftp session|ssh command exited|connection closed|dial tcp/i.test(
			error,
		)
	) {
		return {
			message: `The repository ${repository} could not be reached from the server: ${error}`,
			fix: 'Check that the host in backup.repository is up and reachable from the server, then run labbox again.',
		};
	}
	if (/another backup of this lab is running/i.test(error)) {
		return {
			message: 'Another backup of this lab is running on the server.',
			fix: 'Wait for it to end (labbox status shows it), then try again.',
		};
	}
	return {
		message: `The backup failed: ${error || 'restic gave no reason'}`,
		fix: 'See the lines above and the log; fix the cause, then run labbox again.',
	};
}

/** A failed restic command run for labbox (snapshots, restore) as the StepError the user sees, with its last lines. */
export function resticFailure(result: {readonly code: number; readonly stderr: string}, repository: string): StepError {
	const lines = result.stderr.trim().split('\n').filter(Boolean);
	const failure = explainBackupFailure(lines.at(-1) ?? `exit ${result.code}`, repository);
	return new StepError(failure.message, failure.fix, lines.slice(-10));
}
