// The place where day-two commands meet backups (issue 13 item 1: --delete-home refuses when the last backup is
// older than a day), with the backups issue 12 sets up.
import {describe, expect, it} from 'vitest';
import {backups, homeDeletionBlocked, lastSuccessFrom, noBackups, type BackupHook} from '../../../source/daytwo/backup-hook.js';
import {deleteHome} from '../../../source/cli/users-command.js';
import {toShell} from '../../../source/remote/command.js';
import type {LabConnection} from '../../../source/daytwo/lab-connection.js';

const lab = {config: {}} as LabConnection;
const now = new Date('2026-11-27T12:00:00Z');
const withLast = (last: Date | undefined): BackupHook => ({...noBackups, configured: () => true, lastSuccess: async () => last});

describe('deleting a home folder and backups (issue 13 item 1)', () => {
	it('without backups set up, nothing blocks it (the name is still typed again)', async () => {
		expect(await homeDeletionBlocked(noBackups, lab, now)).toBeUndefined();
	});

	it('with backups set up: refused when none succeeded or the last is older than a day', async () => {
		expect(await homeDeletionBlocked(withLast(undefined), lab, now)).toBe(
			'backups are set up but none has succeeded yet, so the folder could not be brought back. Run `labbox backup` first.',
		);
		expect(await homeDeletionBlocked(withLast(new Date('2026-11-26T11:00:00Z')), lab, now)).toMatch(
			/^the last backup is older than a day \(2026-11-26T11:00:00.000Z\)/,
		);
		expect(await homeDeletionBlocked(withLast(new Date('2026-11-27T02:00:00Z')), lab, now)).toBeUndefined();
	});

	it('removes only that home, by a checked name', () => {
		expect(toShell(deleteHome('/srv/lab', 'grace'))).toBe('rm -rf -- /srv/lab/homes/grace');
	});
});

describe("the server's record of the last backup (issues 12 and 13)", () => {
	it('counts only a backup that ended ok, at its end', () => {
		expect(lastSuccessFrom('{"result":"ok","start":"2026-11-27T02:30:00Z","end":"2026-11-27T02:31:10Z"}')).toEqual(
			new Date('2026-11-27T02:31:10Z'),
		);
		expect(lastSuccessFrom('{"result":"failed","start":"2026-11-27T02:30:00Z","end":"2026-11-27T02:30:05Z"}')).toBeUndefined();
		expect(lastSuccessFrom('{"result":"running","start":"2026-11-27T02:30:00Z"}')).toBeUndefined();
		expect(lastSuccessFrom('')).toBeUndefined();
	});

	it('is set up exactly when lab.yaml names a repository other than none', () => {
		expect(backups.configured({'backup.repository': 'sftp:backup@nas.example.org:/labs/lab'})).toBe(true);
		expect(backups.configured({'backup.repository': 'none'})).toBe(false);
		expect(backups.configured({})).toBe(false);
	});
});

describe('the backup taken first while a new server waits for a restore (polish item 4)', async () => {
	const {FakeShell} = await import('../../helpers/ssh-fake.js');
	const {Redactor} = await import('../../../source/engine/redact.js');
	const connection = (shell: InstanceType<typeof FakeShell>) =>
		({config: {}, root: '/srv/lab', shell, signal: new AbortController().signal, redactor: new Redactor()}) as unknown as LabConnection;
	// The script refuses as it does on the server (exit 75); labbox must say why and what to run instead.
	const refusing = (waiting: string) =>
		new FakeShell([
			[/waiting-for-restore/, {stdout: waiting}],
			[/labbox-backup\.sh backup/, {code: 75, stderr: 'labbox-backup: waiting for labbox restore\n'}],
		]);

	it('is refused naming `labbox restore` and `labbox backup`, without running the backup', async () => {
		const shell = refusing('4f3c2a1b\n');
		await expect(backups.takeNow(connection(shell), () => {})).rejects.toThrow(
			/^The backup taken first is refused: no backup on this server yet: waiting for `labbox restore` \(.*newest 4f3c2a1b\); `labbox backup` starts afresh instead\.$/,
		);
		expect(shell.commands.some(command => command.includes('labbox-backup.sh backup'))).toBe(false);
	});

	it('runs the backup when the server waits for nothing', async () => {
		const shell = new FakeShell([[/waiting-for-restore/, {stdout: '\n'}]]);
		await backups.takeNow(connection(shell), () => {});
		expect(shell.commands.at(-1)).toBe('sh /srv/lab/backup/labbox-backup.sh backup');
	});
});
