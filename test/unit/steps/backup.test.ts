import {createHash} from 'node:crypto';
import {describe, expect, it} from 'vitest';
import {toShell} from '../../../source/remote/command.js';
import {repositoryKind, repositoryProblem, sftpTarget} from '../../../source/backup/repository.js';
import {decideBackup, recentEnough, type BackupFacts} from '../../../steps/backup/decide.js';
import {explainBackupFailure} from '../../../steps/backup/failure.js';
import {backupEnv, backupFiles, backupPaths, dropKept, keepBefore, keepFlags, putBack, sftpCommand} from '../../../steps/backup/files.js';
import {backupLine, backupProgress} from '../../../steps/backup/progress.js';
import {describeBackup, scheduleInterval} from '../../../steps/backup/status.js';

const config = {
	'lab.root': '/srv/lab',
	domain: 'lab.example.org',
	'backup.repository': 'sftp:backup@nas.example.org:/labs/lab',
	'backup.password': 'correct horse',
	'backup.schedule': '*-*-* 02:30:00',
	'backup.keep': ['7 daily', '4 weekly'],
	'backup.datasets': false,
	'backup.sshKeyFile': './key',
};
const paths = backupPaths('/srv/lab');
const secrets = new Set([paths.env, paths.password, paths.sshKey]);

/** What these tests hand a step: the config above, planning, and no SSH unless `resources` gives a fake shell. */
const stepContext = (overrides: Record<string, unknown>) =>
	({
		config,
		labDir: '/tmp',
		signal: new AbortController().signal,
		planning: true,
		interactive: false,
		shared: new Map(),
		resources: {
			get: async () => {
				throw new Error('no SSH: the facts were gathered already');
			},
		},
		log() {},
		prompt: async () => '',
		keep() {},
		updateConfig: async () => {},
		...overrides,
	}) as never;

describe('backup.repository', () => {
	it.each([
		['none', undefined],
		['/mnt/backup/lab', undefined],
		['sftp:backup@nas.example.org:/labs/lab', undefined],
		['sftp://backup@nas.example.org:2222//labs/lab', undefined],
		['s3:s3.amazonaws.com/bucket/lab', undefined],
		['rest:https://user:pass@backup.example.org/lab', 'it has a password in it'],
		['ftp://example.org/x', 'it is not a restic repository'],
		['/mnt/../etc', 'without . or .. parts'],
		["sftp:a@b:/x'y", 'a space, a quote'],
		['sftp:nohost', 'an sftp repository is'],
	])('%s', (value, problem) => {
		const found = repositoryProblem(value);
		if (problem === undefined) expect(found).toBeUndefined();
		else expect(found).toContain(problem);
	});

	it('knows the kind and the sftp login', () => {
		expect(repositoryKind('none')).toBe('none');
		expect(repositoryKind('/mnt/b')).toBe('local');
		expect(repositoryKind('b2:bucket:lab')).toBe('b2');
		expect(sftpTarget('sftp://backup@nas:2222//labs/lab')).toEqual({user: 'backup', host: 'nas', port: 2222, path: '/labs/lab'});
		expect(sftpTarget('sftp:nas:/labs')).toEqual({user: undefined, host: 'nas', port: undefined, path: '/labs'});
	});
});

describe('backup files', () => {
	it('writes restic settings with the password only as a file, the sftp login as labbox own ssh command', () => {
		expect(keepFlags(['7 daily', '3 last'])).toEqual(['--keep-daily', '7', '--keep-last', '3']);
		expect(sftpCommand('sftp://backup@nas:2222//labs', paths, true)).toBe(
			'ssh -i /srv/lab/backup/ssh-key -o IdentitiesOnly=yes -o BatchMode=yes -o ConnectTimeout=15 -o ServerAliveInterval=30 -o StrictHostKeyChecking=accept-new -o UserKnownHostsFile=/srv/lab/backup/known_hosts -p 2222 -l backup nas -s sftp',
		);
		const env = backupEnv(config);
		expect(env).toContain('RESTIC_REPOSITORY=sftp:backup@nas.example.org:/labs/lab\n');
		expect(env).toContain('RESTIC_PASSWORD_FILE=/srv/lab/backup/password\n');
		expect(env).toContain("LABBOX_PATHS='homes shared data compose.yaml .env jupyterhub nginx certs renewer'\n");
		expect(env).toContain("LABBOX_KEEP='--keep-daily 7 --keep-weekly 4'\n");
		expect(env).toContain('LABBOX_HOST=lab.example.org\n');
		expect(env).not.toContain('correct horse');
		expect(backupEnv({...config, 'backup.datasets': true})).toContain("LABBOX_PATHS='homes shared datasets data");
	});

	it('keeps the secrets root-only and the schedule in the timer', () => {
		const files = backupFiles(config, 'KEY');
		const byPath = new Map(files.map(file => [file.path, file]));
		expect(byPath.get(paths.password)).toMatchObject({content: 'correct horse', mode: '0600'});
		expect(byPath.get(paths.sshKey)).toMatchObject({content: 'KEY', mode: '0600'});
		expect(byPath.get(paths.env)?.mode).toBe('0600');
		expect(byPath.get(paths.timer)?.content).toContain('OnCalendar=*-*-* 02:30:00\n');
		expect(byPath.get(paths.service)?.content).toContain('ExecStart=/bin/sh /srv/lab/backup/labbox-backup.sh backup\n');
		expect(files.every(file => !file.label.includes('correct horse'))).toBe(true);
		expect(() => backupFiles({...config, 'backup.schedule': 'daily\nExecStart=/bin/evil'})).toThrow();
	});
});

/** The facts of a server where these files are all in place and the timer runs (no status: add it). */
function settled(files: ReturnType<typeof backupFiles>): BackupFacts {
	const sha = (text: string) => createHash('sha256').update(text).digest('hex');
	return {
		packages: 'restic installed 0.18.0-1\nsqlite3 installed 3.46.1-7',
		hashes: new Map(files.filter(file => !secrets.has(file.path)).map(file => [file.path, sha(file.content)])),
		stats: new Map(files.map(file => [file.path, {mode: file.mode.slice(1), owner: '0:0'}])),
		sameSecrets: new Set(secrets),
		timerEnabled: true,
		timerActive: true,
	};
}

describe('the backup step decides', () => {
	const files = backupFiles(config, 'KEY');
	const all: BackupFacts = {
		...settled(files),
		status: JSON.stringify({result: 'ok', start: '2026-11-27T02:30:00Z', end: '2026-11-27T02:31:00Z', snapshot: 'abcd1234'}),
	};

	it('nothing when all is so', () => {
		expect(decideBackup(all, files, secrets, config['backup.repository']).changes).toEqual([]);
	});

	it('a fresh server: install, write, back up now, enable the timer', () => {
		const work = decideBackup(
			{packages: '', hashes: new Map(), stats: new Map(), sameSecrets: new Set(), timerEnabled: false, timerActive: false},
			files,
			secrets,
			config['backup.repository'],
		);
		expect(work.changes).toEqual([
			"install restic and sqlite3 (Debian's packages)",
			'write /srv/lab/backup/labbox-backup.sh',
			'write /srv/lab/backup/backup.env (the repository and what to keep)',
			'write /srv/lab/backup/password (the repository password, root only)',
			'write /srv/lab/backup/ssh-key (the key for the sftp repository, root only)',
			'write /etc/systemd/system/labbox-backup.service',
			'write /etc/systemd/system/labbox-backup.timer (*-*-* 02:30:00)',
			'enable labbox-backup.timer (backups run on the server without your laptop)',
			"take a first backup to sftp:backup@nas.example.org:/labs/lab (if it holds this lab's snapshots from an earlier server, none: backups wait for `labbox restore`)",
		]);
		expect(work).toMatchObject({install: true, reloadUnits: true, enableTimer: true, backupNow: true, firstBackup: true});
	});

	it('a changed password is proven by a backup now; a failed last backup is retried, saying why', () => {
		const changed = decideBackup({...all, sameSecrets: new Set([paths.env, paths.sshKey])}, files, secrets, 'R');
		expect(changed.changes).toEqual(['update /srv/lab/backup/password (the repository password, root only)', 'take a backup now to R']);
		const failed = decideBackup(
			{...all, status: JSON.stringify({result: 'failed', start: 'x', error: 'wrong password'})},
			files,
			secrets,
			'R',
		);
		expect(failed.changes).toEqual(['take a backup now to R (the last one failed: wrong password)']);
	});

	it('knows which restic is recent enough', () => {
		expect(recentEnough('0.14.0-1')).toBe(true);
		expect(recentEnough('0.18.0-1+b2')).toBe(true);
		expect(recentEnough('0.9.6-1')).toBe(false);
	});
});

describe('backup status and failures', () => {
	const now = Date.parse('2026-11-27T12:00:00Z');
	const ok = {
		result: 'ok' as const,
		start: '2026-11-27T02:30:00Z',
		end: '2026-11-27T02:31:00Z',
		snapshot: 'abcd1234',
		bytesAdded: 2048,
		duration: 60,
	};

	it('is well after a recent good backup, unwell when it failed, is too old, was cut off or never ran', () => {
		const day = 86_400_000;
		expect(describeBackup(ok, {now, intervalMs: day, running: false, timerEnabled: true})).toEqual({
			ok: true,
			text: 'last backup 9 hours ago: snapshot abcd1234, 2.0 KiB added in 60 s',
		});
		expect(describeBackup(ok, {now: now + 3 * day, intervalMs: day, running: false, timerEnabled: true}).ok).toBe(false);
		expect(describeBackup({...ok, result: 'failed', error: 'wrong password'}, {now, running: false, timerEnabled: true})).toEqual({
			ok: false,
			text: 'the last backup failed 9 hours ago: wrong password',
		});
		expect(describeBackup({result: 'running', start: ok.start}, {now, running: false, timerEnabled: true}).text).toContain('was cut off');
		expect(describeBackup(undefined, {now, running: false, timerEnabled: true}).ok).toBe(false);
		expect(describeBackup(ok, {now, intervalMs: day, running: false, timerEnabled: false}).ok).toBe(false);
	});

	it('reads the schedule interval from systemd-analyze', () => {
		const output =
			'  Original form: daily\nNormalized form: *-*-* 00:00:00\n    Next elapse: Sat 2026-11-28 00:00:00 UTC\n       (in UTC): Sat 2026-11-28 00:00:00 UTC\n       From now: 11h left\n       Iter. #2: Sun 2026-11-29 00:00:00 UTC\n       (in UTC): Sun 2026-11-29 00:00:00 UTC\n';
		expect(scheduleInterval(output)).toBe(86_400_000);
		// A server whose time zone is UTC prints no `(in UTC)` lines (Debian 13 in the e2e world).
		expect(
			scheduleInterval(
				'  Original form: *-*-* 02:30:00\nNormalized form: *-*-* 02:30:00\n    Next elapse: Sat 2026-11-28 02:30:00 UTC\n       From now: 13h left\n   Iteration #2: Sun 2026-11-29 02:30:00 UTC\n       From now: 1 day 13h left\n',
			),
		).toBe(86_400_000);
		expect(scheduleInterval('Failed to parse calendar specification')).toBeUndefined();
	});

	it('says the cause and the fix of each kind of failure', () => {
		expect(explainBackupFailure('Fatal: wrong password or no key found', 'R').fix).toContain('LABBOX_BACKUP_PASSWORD');
		expect(explainBackupFailure('ssh: connect to host 10.0.0.9 port 22: Connection timed out', 'R').message).toBe(
			'The repository R could not be reached from the server: ssh: connect to host 10.0.0.9 port 22: Connection timed out',
		);
		expect(explainBackupFailure('Save(<data/1234>) returned error: write /r/data/12: no space left on device', 'R').message).toContain(
			'full',
		);
	});

	it('shows restic progress as files, bytes and rate', () => {
		expect(
			backupProgress(
				'{"message_type":"status","percent_done":0.5,"total_files":10,"files_done":5,"total_bytes":2048,"bytes_done":1024,"seconds_elapsed":2}',
			),
		).toEqual({fraction: 0.5, label: '5 of 10 files, 1.0 KiB of 2.0 KiB, 512 B/s'});
		expect(backupProgress('labbox-backup: making the repository')).toBeUndefined();
		expect(
			backupLine(
				'{"message_type":"summary","files_new":3,"files_changed":0,"files_unmodified":7,"data_added":4096,"total_duration":1.25,"snapshot_id":"abcd"}',
			),
		).toBe('snapshot abcd: 3 new, 0 changed, 7 unchanged files; 4.0 KiB added in 1.3 s');
	});
});

describe('snapshots and the restore options', async () => {
	const {chooseSnapshot, heldNames, parseSnapshots} = await import('../../../steps/backup/snapshots.js');
	const {restoreOptionsProblem} = await import('../../../source/cli/backup-commands.js');
	const listed = JSON.stringify([
		{
			id: 'bbbb2222'.repeat(8),
			short_id: 'bbbb2222',
			time: '2026-11-27T10:00:00Z',
			paths: ['/srv/lab/homes', '/srv/lab/data', '/srv/lab/backup/dump'],
			summary: {total_bytes_processed: 4096, data_added: 1024},
		},
		{id: 'aaaa1111'.repeat(8), short_id: 'aaaa1111', time: '2026-11-26T10:00:00Z', paths: ['/srv/lab/homes']},
	]);

	it('takes the newest by default, one by the start of its id, none when it is not one', () => {
		const snapshots = parseSnapshots(listed);
		expect(chooseSnapshot(snapshots)?.shortId).toBe('bbbb2222');
		expect(chooseSnapshot(snapshots, 'aaaa')?.shortId).toBe('aaaa1111');
		expect(chooseSnapshot(snapshots, 'cccc')).toBeUndefined();
		expect(heldNames(snapshots[1]!, '/srv/lab')).toEqual(['homes', 'data']);
		expect(snapshots[1]).toMatchObject({bytes: 4096, added: 1024});
	});

	it('refuses a bad user name, snapshot id or folder before anything runs', () => {
		expect(restoreOptionsProblem({user: 'alice', snapshot: 'abcd1234'})).toBeUndefined();
		expect(restoreOptionsProblem({user: '../bob'})).toContain('--user ../bob');
		expect(restoreOptionsProblem({snapshot: 'x; rm'})).toContain('hexadecimal');
		expect(restoreOptionsProblem({to: 'relative'})).toContain('absolute path');
		expect(restoreOptionsProblem({to: '/srv/r', user: 'alice'})).toContain('leave --user out');
	});
});

describe('the backup facts', async () => {
	const {FakeShell, unitReply} = await import('../../helpers/ssh-fake.js');
	const {readBackupFacts} = await import('../../../steps/backup/facts.js');

	it('compare the secret files on the server through stdin: no hash of a password ever reaches a log', async () => {
		const files = backupFiles(config, 'KEY');
		const stats = files.map(file => `${file.path}|${file.mode.slice(1)}|0:0|root:root|regular file`).join('\n');
		const shell = new FakeShell([
			[
				/@@labbox-fact/,
				{
					stdout: `@@labbox-fact files@@\n${stats}\n@@labbox-fact enabled@@\n${unitReply('labbox-backup.timer', {active: 'active', enabled: 'enabled'})}\n`,
				},
			],
			[/^cmp -s \/srv\/lab\/backup\/password -$/, {code: 1}],
		]);
		const facts = await readBackupFacts(shell, files, secrets, paths, '*-*-* 02:30:00');
		const gather = shell.commands[0]!;
		expect(gather).toMatch(/sha256sum \/srv\/lab\/backup\/labbox-backup\.sh /);
		for (const secret of secrets) expect(gather).not.toContain(`sha256sum ${secret}`);
		expect(gather).not.toMatch(/sha256sum[^;]*\/srv\/lab\/backup\/(password|backup\.env|ssh-key)/);
		expect(shell.calls.filter(call => call.command.startsWith('cmp')).map(call => [call.command, call.stdin.length > 0])).toEqual([
			['cmp -s /srv/lab/backup/backup.env -', true],
			['cmp -s /srv/lab/backup/password -', true],
			['cmp -s /srv/lab/backup/ssh-key -', true],
		]);
		expect(shell.calls.find(call => call.command === 'cmp -s /srv/lab/backup/password -')?.stdin).toBe('correct horse');
		expect([...facts.sameSecrets].sort()).toEqual([paths.env, paths.sshKey]);
		expect(facts.timerEnabled).toBe(true);
	});
});

describe('the restore plan', async () => {
	const {FakeShell} = await import('../../helpers/ssh-fake.js');
	const {restoreStep} = await import('../../../steps/backup/restore.js');
	const snapshots = JSON.stringify([
		{
			id: 'bbbb2222'.repeat(8),
			short_id: 'bbbb2222',
			time: '2026-11-27T10:00:00Z',
			paths: ['/srv/lab/homes', '/srv/lab/shared', '/srv/lab/data', '/srv/lab/compose.yaml', '/srv/lab/backup/dump'],
		},
	]);
	const context = (shell: InstanceType<typeof FakeShell>) => stepContext({resources: {get: async () => shell}});

	it('names the snapshot, what is replaced and where the replaced files are kept', async () => {
		const shell = new FakeShell([[/restic snapshots --json$/, {stdout: snapshots}]]);
		expect(await restoreStep({}).check(context(shell))).toEqual({
			status: 'todo',
			changes: [
				'stop the hub (notebook servers keep running)',
				'restore homes, shared, data and the hub database from snapshot bbbb2222 (2026-11-27 10:00 UTC): files changed since are replaced, files made since stay',
				'keep a copy of what it replaces in /srv/lab/backup/before-restore-…/',
				'start the hub again',
			],
		});
		expect(((await restoreStep({user: 'alice'}).check(context(shell))) as unknown as {changes: string[]}).changes[0]).toBe(
			'restore /srv/lab/homes/alice from snapshot bbbb2222 (2026-11-27 10:00 UTC): files changed since are replaced, files made since stay; other homes are not touched',
		);
	});

	it('is blocked, saying why, on an unknown snapshot and a wrong password', async () => {
		const shell = new FakeShell([[/restic snapshots --json$/, {stdout: snapshots}]]);
		expect(await restoreStep({snapshot: 'cccc'}).check(context(shell))).toMatchObject({
			status: 'blocked',
			reason: `No single snapshot cccc in ${config['backup.repository']}.`,
			fix: '`labbox backups` lists the snapshots and their ids.',
		});
		const refused = new FakeShell([[/restic snapshots --json$/, {code: 12, stderr: 'Fatal: wrong password or no key found\n'}]]);
		expect(await restoreStep({}).check(context(refused))).toMatchObject({
			status: 'blocked',
			reason: expect.stringContaining('refused the password'),
		});
	});
});

describe('no backup (backup.repository: none or not set)', async () => {
	const {FakeShell} = await import('../../helpers/ssh-fake.js');
	const {backupStep} = await import('../../../steps/backup/index.js');
	const context = (shell: InstanceType<typeof FakeShell>, repository?: string) =>
		stepContext({
			config: {'lab.root': '/srv/lab', ...(repository ? {'backup.repository': repository} : {})},
			planning: false,
			resources: {get: async () => shell},
		});
	const io = {line() {}, progress() {}, detail() {}};

	it('a first run on a server that never had the timer changes nothing (apply runs when the inputs are new)', async () => {
		const shell = new FakeShell([
			[
				/is-enabled labbox-backup\.timer/,
				{code: 1, stderr: 'Failed to get unit file state for labbox-backup.timer: No such file or directory\n'},
			],
		]);
		// Said as `unchanged`, so the run reports it ok, not changed (issue 10 item 10).
		expect(await backupStep.apply!(context(shell), io)).toBe('unchanged');
		expect(shell.commands.filter(command => command.includes('disable'))).toEqual([]);
	});

	it('labbox status warns, with a warning that is not a failure and not shown as healthy', async () => {
		expect(await backupStep.health!(context(new FakeShell([]), 'none'))).toEqual({
			ok: true,
			warning: true,
			text: expect.stringMatching(/^warning: no backups \(backup\.repository: none\)/),
		});
	});

	it('a lab whose timer runs has it disabled; the repository stays', async () => {
		const shell = new FakeShell([[/is-enabled labbox-backup\.timer/, {stdout: 'enabled\n'}]]);
		expect(await backupStep.apply!(context(shell, 'none'), io)).toBeUndefined();
		expect(shell.commands.filter(command => command.includes('disable'))).toEqual([
			expect.stringContaining('systemctl disable --now labbox-backup.timer'),
		]);
	});
});

describe('no backup: the check is a function of the gathered facts (issue 11: one round trip)', async () => {
	const {backupStep} = await import('../../../steps/backup/index.js');
	const context = (timer: string) =>
		stepContext({config: {'lab.root': '/srv/lab', 'backup.repository': 'none'}, facts: async () => ({timer})});

	it('declares the timer as its one fact, and none when backups are set up (those are read with the local files)', () => {
		expect(Object.keys(backupStep.facts!({config: {'backup.repository': 'none'}} as never))).toEqual(['timer']);
		expect(backupStep.facts!({config: {'backup.repository': '/mnt/backup/lab'}} as never)).toEqual({});
	});

	it('is done without a timer, and has it to disable when one is enabled, without logging in again', async () => {
		expect(await backupStep.check(context(''))).toMatchObject({status: 'done'});
		expect(await backupStep.check(context('enabled'))).toMatchObject({status: 'todo'});
	});
});

describe('a new server for a lab the repository already holds (restore after a disaster)', async () => {
	const {FakeShell, gatheredReply, unitReply} = await import('../../helpers/ssh-fake.js');
	const {backupStep} = await import('../../../steps/backup/index.js');
	const {backupNowStep} = await import('../../../steps/backup/backup-now.js');
	const {carryOnFrom} = await import('../../../steps/backup/restore.js');
	const local = {...config, 'backup.repository': '/mnt/backup/lab', 'backup.sshKeyFile': undefined};
	const io = {line() {}, progress() {}, detail() {}};
	const schedule = 'Next elapse: Sat 2026-11-28 02:30:00 UTC\nIteration #2: Sun 2026-11-29 02:30:00 UTC\n';
	const fresh = gatheredReply({
		packages: 'restic installed 0.18.0-1\nsqlite3 installed 3.46.1-7',
		schedule,
		enabled: unitReply('labbox-backup.timer', {enabled: 'disabled'}),
	});
	const earlier = JSON.stringify([
		{id: 'eeee1111'.repeat(8), short_id: 'eeee1111', time: '2026-11-27T10:00:00Z', hostname: 'lab.example.org'},
	]);
	const context = (shell: InstanceType<typeof FakeShell>) =>
		stepContext({config: local, planning: false, resources: {get: async () => shell}});

	it("takes no backup of the empty lab: it waits for the restore, so the earlier server's snapshot stays the newest", async () => {
		const shell = new FakeShell([
			[/@@labbox-fact/, fresh],
			[/labbox-backup\.sh restic snapshots --json --latest 1 --host lab\.example\.org$/, {stdout: earlier}],
		]);
		await backupStep.apply!(context(shell), io);
		expect(shell.commands.filter(command => /labbox-backup\.sh backup/.test(command))).toEqual([]);
		const marker = shell.calls.find(call => call.command.includes('/srv/lab/backup/waiting-for-restore') && call.stdin !== '');
		expect(marker?.stdin).toBe('eeee1111 of 2026-11-27 10:00 UTC\n');
		// The timer is enabled all the same: its script refuses while the marker is there.
		expect(shell.commands.some(command => command.includes('systemctl enable --now labbox-backup.timer'))).toBe(true);
	});

	it('backs up as always when the repository holds none of the lab or does not exist yet', async () => {
		for (const reply of [{stdout: '[]'}, {code: 10, stderr: 'Fatal: repository does not exist: unable to open config file\n'}]) {
			const shell = new FakeShell([
				[/@@labbox-fact/, fresh],
				[/restic snapshots --json --latest 1/, reply],
				[/cat \/srv\/lab\/backup\/status\.json/, {stdout: '{"result":"ok","start":"2026-11-27T10:00:00Z","snapshot":"ffff"}'}],
			]);
			await backupStep.apply!(context(shell), io);
			expect(shell.commands.filter(command => /labbox-backup\.sh backup --progress$/.test(command))).toHaveLength(1);
		}
		const refused = new FakeShell([
			[/@@labbox-fact/, fresh],
			[/restic snapshots --json --latest 1/, {code: 12, stderr: 'Fatal: wrong password or no key found\n'}],
		]);
		await expect(backupStep.apply!(context(refused), io)).rejects.toThrow('refused the password (backup.password)');
	});

	it('while waiting, the step is done (no backup to take) and labbox status is unwell, saying what to run', () => {
		const files = backupFiles(local);
		const facts: BackupFacts = {...settled(files), waiting: 'eeee1111 of 2026-11-27 10:00 UTC'};
		expect(decideBackup(facts, files, secrets, 'R')).toMatchObject({changes: [], backupNow: false, firstBackup: false});
		// A changed repository is asked again.
		const moved = decideBackup({...facts, sameSecrets: new Set([paths.password])}, files, secrets, 'R');
		expect(moved).toMatchObject({backupNow: true, firstBackup: true});
		expect(describeBackup(undefined, {now: 0, running: false, timerEnabled: true, waiting: facts.waiting})).toEqual({
			ok: false,
			text: "no backup on this server yet: waiting for `labbox restore` (the repository holds this lab's snapshots from an earlier server, newest eeee1111 of 2026-11-27 10:00 UTC); `labbox backup` starts afresh instead",
		});
	});

	it('labbox backup while waiting says it starts afresh, and removes the marker before it backs up', async () => {
		const shell = new FakeShell([[/^cat \/srv\/lab\/backup\/waiting-for-restore$/, {stdout: 'eeee1111 of 2026-11-27 10:00 UTC\n'}]]);
		const check = await backupNowStep.check(context(shell));
		expect(check).toMatchObject({status: 'todo', changes: [expect.stringContaining("take this server's first backup to /mnt/backup/lab")]});
		await backupNowStep.apply!(context(shell), io).catch(() => {});
		const rm = shell.commands.indexOf('rm -f /srv/lab/backup/waiting-for-restore');
		const backup = shell.commands.findIndex(command => /labbox-backup\.sh backup --progress$/.test(command));
		expect(rm).toBeGreaterThan(-1);
		expect(backup).toBeGreaterThan(rm);
	});

	it('a whole restore onto the waiting server records the restored snapshot as its last backup and ends the wait', () => {
		const snapshot = {id: 'eeee1111'.repeat(8), shortId: 'eeee1111', time: '2026-11-27T10:00:00Z', paths: []};
		expect(toShell(carryOnFrom('/srv/lab', snapshot))).toBe(
			`sh -c '[ ! -f "$1" ] || { printf "%s\\n" "$3" >"$2.tmp" && chmod 0644 "$2.tmp" && mv -f "$2.tmp" "$2" && rm -f "$1"; }' carry-on /srv/lab/backup/waiting-for-restore /srv/lab/backup/status.json '{"result":"ok","start":"2026-11-27T10:00:00Z","end":"2026-11-27T10:00:00Z","duration":0,"snapshot":"${'eeee1111'.repeat(8)}","restored":true}'`,
		);
		expect(
			describeBackup(
				{result: 'ok', start: snapshot.time, end: snapshot.time, snapshot: 'eeee1111', restored: true},
				{now: Date.parse('2026-11-27T12:00:00Z'), intervalMs: 86_400_000, running: false, timerEnabled: true},
			),
		).toEqual({ok: true, text: 'last backup 2 hours ago: snapshot eeee1111, the one this lab was restored from'});
	});
});

describe('a failed backup leaves the earlier settings, not half-applied new ones (issue 12 item 3)', async () => {
	const {FakeShell, gatheredReply} = await import('../../helpers/ssh-fake.js');
	const {backupStep} = await import('../../../steps/backup/index.js');
	const local = {...config, 'backup.repository': '/mnt/backup/lab', 'backup.sshKeyFile': undefined};
	const io = {line() {}, progress() {}, detail() {}};
	const schedule = 'Next elapse: Sat 2026-11-28 02:30:00 UTC\nIteration #2: Sun 2026-11-29 02:30:00 UTC\n';
	const ok = '{"result":"ok","start":"2026-11-27T02:30:00Z","snapshot":"abcd1234"}';
	// A server that backs up with other settings: its files are there (with other content, secrets too: `cmp` says
	// they differ), its last backup good.
	const stats = backupFiles(local)
		.map(file => `${file.path}|${file.mode.slice(1)}|0:0|root:root|regular file`)
		.join('\n');
	const facts = gatheredReply({packages: 'restic installed 0.18.0-1\nsqlite3 installed 3.46.1-7', schedule, files: stats, status: ok});
	const context = (shell: InstanceType<typeof FakeShell>) =>
		stepContext({config: local, planning: false, resources: {get: async () => shell}});
	const kept = [...backupFiles(local).map(file => file.path), '/srv/lab/backup/status.json', '/srv/lab/backup/waiting-for-restore'].join(
		' ',
	);

	it('keeps the earlier files before writing the new ones, and puts them back when the backup that proves them fails', async () => {
		const shell = new FakeShell([
			[/@@labbox-fact/, facts],
			[/^cmp -s /, {code: 1}],
			[/labbox-backup\.sh backup --progress$/, {code: 1, stderr: 'labbox-backup: Fatal: wrong password or no key found\n'}],
		]);
		await expect(backupStep.apply!(context(shell), io)).rejects.toThrow('refused the password (backup.password)');
		const at = (pattern: RegExp) => shell.commands.findIndex(command => pattern.test(command));
		const keep = at(/ keep \//);
		const backup = at(/labbox-backup\.sh backup --progress$/);
		const back = at(/ put-back \//);
		expect(shell.commands[keep]).toContain(` keep ${kept}`);
		expect(keep).toBeLessThan(backup);
		expect(shell.calls.findIndex(call => call.stdin === 'correct horse' && !call.command.startsWith('cmp'))).toBeGreaterThan(keep);
		expect(back).toBeGreaterThan(backup);
		expect(shell.commands[back]).toContain(` put-back ${kept}`);
		expect(shell.commands.some(command => command.includes(' drop /'))).toBe(false);
		// The timer is not touched by a run that failed.
		expect(shell.commands.some(command => command.includes('systemctl enable'))).toBe(false);
	});

	it('forgets the kept files once the new settings are proven', async () => {
		const shell = new FakeShell([
			[/@@labbox-fact/, facts],
			[/^cmp -s /, {code: 1}],
			[/cat \/srv\/lab\/backup\/status\.json/, {stdout: ok}],
		]);
		await backupStep.apply!(context(shell), io);
		expect(shell.commands.some(command => command.includes(' put-back /'))).toBe(false);
		expect(shell.commands.at(-3)).toContain(` drop ${kept}`);
	});

	it('the three commands, exactly', () => {
		expect(toShell(keepBefore(['/a', '/b']))).toBe(
			`sh -c 'for f; do if [ -e "$f" ]; then cp -p "$f" "$f.before"; else rm -f "$f.before"; fi; done' keep /a /b`,
		);
		expect(toShell(putBack(['/a']))).toBe(
			`sh -c 'for f; do if [ -e "$f.before" ]; then mv -f "$f.before" "$f"; else rm -f "$f"; fi; done' put-back /a`,
		);
		expect(toShell(dropKept(['/a']))).toBe(`sh -c 'for f; do rm -f "$f.before"; done' drop /a`);
	});
});
