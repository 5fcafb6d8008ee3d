/** `labbox backup` as a step the engine runs alone (issue 12): one backup now, with restic's progress live. */
import {StepError, type Check, type Step} from '../../source/engine/types.js';
import {labShell} from '../../source/remote/lab-session.js';
import {backingUp, backupPaths} from './files.js';
import {backupNow} from './index.js';
import {parseBackupStatus} from './status.js';

export const backupNowStep: Step = {
	id: 'backup-now',
	title: 'Backup',
	summary: 'takes one backup of the lab now',
	async check(ctx): Promise<Check> {
		if (!backingUp(ctx.config)) {
			return {
				status: 'blocked',
				reason: 'No backups are configured (backup.repository is none or not set).',
				fix: 'Set backup.repository in lab.yaml and LABBOX_BACKUP_PASSWORD in secrets.env, then run `labbox run backup`.',
			};
		}
		const shell = await labShell(ctx);
		const root = String(ctx.config['lab.root']);
		const exists = await shell.exec(['test', '-f', backupPaths(root).script], {sudo: true, signal: ctx.signal});
		if (exists.code !== 0) {
			return {status: 'blocked', reason: 'Backups are not set up on this server yet.', fix: 'Run `labbox run backup` first.'};
		}
		return {status: 'todo', changes: [`take a backup now to ${String(ctx.config['backup.repository'])}`]};
	},
	async apply(ctx, io) {
		await backupNow(ctx, io, await labShell(ctx));
	},
	async verify(ctx): Promise<Check> {
		const shell = await labShell(ctx);
		const status = parseBackupStatus(
			(await shell.exec(['cat', backupPaths(String(ctx.config['lab.root'])).status], {sudo: true, signal: ctx.signal})).stdout,
		);
		if (status?.result !== 'ok') {
			throw new StepError(`The backup did not end well: ${status?.error ?? 'no status'}`, 'See the log.');
		}
		return {status: 'done', detail: `snapshot ${status.snapshot?.slice(0, 8)}, ${status.bytesAdded ?? 0} bytes added`};
	},
};
