/** `labbox backup` as a step the engine runs alone (issue 12): one backup now, with restic's progress live. */
import {StepError, type Check, type Step} from '../../source/engine/types.js';
import {labShell} from '../../source/remote/lab-session.js';
import {stepCommands} from '../../source/remote/step-commands.js';
import {backingUp, backupPaths} from './files.js';
import {backupNow} from './prove.js';
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
		const repository = String(ctx.config['backup.repository']);
		const waiting = (await shell.exec(['cat', backupPaths(root).waiting], {sudo: true, signal: ctx.signal})).stdout.trim();
		if (waiting) {
			// Asked for by name: the user's choice to start afresh; the earlier server's snapshots stay in the repository.
			return {
				status: 'todo',
				changes: [
					`take this server's first backup to ${repository}: it becomes the newest snapshot, the one \`labbox restore\` takes; the earlier server's (newest ${waiting}) stay, \`labbox backups\` lists them`,
				],
			};
		}
		return {status: 'todo', changes: [`take a backup now to ${repository}`]};
	},
	async apply(ctx, io) {
		const shell = await labShell(ctx);
		await stepCommands(ctx, io, shell).run(['rm', '-f', backupPaths(String(ctx.config['lab.root'])).waiting]);
		await backupNow(ctx, io, shell);
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
