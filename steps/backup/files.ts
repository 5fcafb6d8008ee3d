/**
 * The backup as it lands on the server (issue 12): its script and settings under LAB_ROOT/backup (0700, root),
 * the systemd service and timer, and the commands that run them. Pure: the step uploads and runs them.
 */
import path from 'node:path/posix';
import {quote, type Command} from '../../source/remote/command.js';
import {backingUp, repositoryKind, sftpTarget} from '../../source/backup/repository.js';
import {readTemplate} from '../../source/templates/template-files.js';

export const backupService = 'labbox-backup.service';
export const backupTimer = 'labbox-backup.timer';
/** The lock labbox-backup.sh holds while it backs up (one backup at a time). */
export const backupLock = '/run/lock/labbox-backup.lock';
/** Debian's packages: restic itself, and sqlite3 for the hub database's online backup. */
export const backupPackages = ['restic', 'sqlite3'] as const;
/** The oldest restic whose commands and JSON labbox uses (Debian 12's): 0.14. */
export const oldestRestic = [0, 14] as const;

/** Where the backup's files live under the lab root. */
export function backupPaths(root: string) {
	const folder = path.join(root, 'backup');
	return {
		folder,
		script: path.join(folder, 'labbox-backup.sh'),
		env: path.join(folder, 'backup.env'),
		password: path.join(folder, 'password'),
		sshKey: path.join(folder, 'ssh-key'),
		knownHosts: path.join(folder, 'known_hosts'),
		status: path.join(folder, 'status.json'),
		dump: path.join(folder, 'dump'),
		// A new server whose repository holds an earlier server's snapshots of the lab: no backup until `labbox restore`.
		waiting: path.join(folder, 'waiting-for-restore'),
		service: `/etc/systemd/system/${backupService}`,
		timer: `/etc/systemd/system/${backupTimer}`,
	};
}

/** What is saved, by name under the lab root (issue 12 "What is saved"); the hub database goes as its dump. */
export function savedNames(datasets: boolean): string[] {
	return ['homes', 'shared', ...(datasets ? ['datasets'] : []), 'data', 'compose.yaml', '.env', 'jupyterhub', 'nginx', 'certs', 'renewer'];
}

/** What restore puts back in place: the users' work and the hub's data; the lab's own files labbox makes from lab.yaml. */
export function restoredNames(datasets: boolean): string[] {
	return ['homes', 'shared', ...(datasets ? ['datasets'] : []), 'data'];
}

/** `7 daily` → `--keep-daily 7`; `3 last` → `--keep-last 3`. */
export function keepFlags(keep: readonly string[]): string[] {
	return keep.flatMap(item => {
		const [count, unit] = item.split(' ');
		return [`--keep-${unit}`, count!];
	});
}

/** The ssh command restic runs for an sftp repository: labbox's key and known_hosts, no questions, a bounded wait. */
export function sftpCommand(repository: string, paths: ReturnType<typeof backupPaths>, withKey: boolean): string | undefined {
	const target = sftpTarget(repository);
	if (!target) {
		return undefined;
	}
	return [
		'ssh',
		...(withKey ? ['-i', paths.sshKey, '-o', 'IdentitiesOnly=yes'] : []),
		'-o',
		'BatchMode=yes',
		'-o',
		'ConnectTimeout=15',
		'-o',
		'ServerAliveInterval=30',
		// The first login trusts and records the target's key; a changed key afterwards is refused.
		'-o',
		'StrictHostKeyChecking=accept-new',
		'-o',
		`UserKnownHostsFile=${paths.knownHosts}`,
		...(target.port ? ['-p', String(target.port)] : []),
		...(target.user ? ['-l', target.user] : []),
		target.host,
		'-s',
		'sftp',
	].join(' ');
}

/** The settings labbox-backup.sh reads (shell assignments, quoted by the one `quote`); secrets only the target's keys. */
export function backupEnv(config: Readonly<Record<string, unknown>>): string {
	const root = String(config['lab.root']);
	const paths = backupPaths(root);
	const repository = String(config['backup.repository']);
	const sftp =
		repositoryKind(repository) === 'sftp' ? sftpCommand(repository, paths, config['backup.sshKeyFile'] !== undefined) : undefined;
	const values: Record<string, string | undefined> = {
		RESTIC_REPOSITORY: repository,
		RESTIC_PASSWORD_FILE: paths.password,
		LABBOX_ROOT: root,
		// Snapshots are filed under the lab's name, not the server's: a server restored from them carries on the same set.
		LABBOX_HOST: String(config.domain),
		LABBOX_PATHS: savedNames(config['backup.datasets'] === true).join(' '),
		LABBOX_KEEP: keepFlags((config['backup.keep'] as string[] | undefined) ?? []).join(' '),
		LABBOX_SFTP_COMMAND: sftp,
		AWS_ACCESS_KEY_ID: config['backup.awsAccessKeyId'] as string | undefined,
		AWS_SECRET_ACCESS_KEY: config['backup.awsSecretAccessKey'] as string | undefined,
	};
	const lines = Object.entries(values).flatMap(([name, value]) => (value === undefined ? [] : [`${name}=${quote(value)}`]));
	return `# Written by labbox (backup step) from lab.yaml and secrets.env: change those and run labbox again.\n${lines.join('\n')}\n`;
}

// A unit file has no quoting: the lab root and the schedule are plain words (the config schema checks both).
function unitText(value: string, pattern: RegExp): string {
	if (!pattern.test(value)) {
		throw new Error(`${JSON.stringify(value)} cannot go into a systemd unit`);
	}
	return value;
}

/** A file of the backup on the server: its content and mode (all owned by root). */
export interface BackupFile {
	readonly path: string;
	readonly content: string;
	readonly mode: string;
	/** Shown in the plan instead of the path's content (a secret is never described by its value). */
	readonly label: string;
}

/** Every file the backup step keeps on the server; `sshKey` is the content of backup.sshKeyFile, when set. */
export function backupFiles(config: Readonly<Record<string, unknown>>, sshKey?: string): BackupFile[] {
	const root = unitText(String(config['lab.root']), /^\/[A-Za-z0-9._/-]*$/);
	const schedule = unitText(String(config['backup.schedule']), /^[A-Za-z0-9*:,./~ -]+$/);
	const paths = backupPaths(root);
	return [
		{path: paths.script, content: readTemplate('backup/labbox-backup.sh'), mode: '0700', label: `${paths.script}`},
		{path: paths.env, content: backupEnv(config), mode: '0600', label: `${paths.env} (the repository and what to keep)`},
		// No newline: restic reads the whole file as the password.
		{
			path: paths.password,
			content: String(config['backup.password']),
			mode: '0600',
			label: `${paths.password} (the repository password, root only)`,
		},
		...(sshKey === undefined
			? []
			: [{path: paths.sshKey, content: sshKey, mode: '0600', label: `${paths.sshKey} (the key for the sftp repository, root only)`}]),
		{
			path: paths.service,
			content: readTemplate('backup/labbox-backup.service').replaceAll('{{root}}', root),
			mode: '0644',
			label: paths.service,
		},
		{
			path: paths.timer,
			content: readTemplate('backup/labbox-backup.timer').replaceAll('{{schedule}}', schedule),
			mode: '0644',
			label: `${paths.timer} (${schedule})`,
		},
	];
}

/** Runs one backup now, as the timer does; with `progress`, restic's JSON status lines come too. */
export function runBackup(root: string, progress: boolean): Command {
	return ['sh', backupPaths(root).script, 'backup', ...(progress ? ['--progress'] : [])];
}

/** restic with the lab's repository and password (the script loads them on the server). */
export function restic(root: string, ...args: readonly string[]): Command {
	return ['sh', backupPaths(root).script, 'restic', ...args];
}

/** The newest snapshot of this lab (filed under its name) that the repository holds, as JSON; exit 10: no repository. */
export function latestLabSnapshot(root: string, domain: string): Command {
	return restic(root, 'snapshots', '--json', '--latest', '1', '--host', domain);
}

/**
 * Before new settings are written (issue 12 item 3): a copy of each of these files as it is now (`FILE.before`), or
 * no copy when the file does not exist yet; `putBack` returns exactly that state, `dropKept` forgets it.
 */
export function keepBefore(files: readonly string[]): Command {
	return ['sh', '-c', 'for f; do if [ -e "$f" ]; then cp -p "$f" "$f.before"; else rm -f "$f.before"; fi; done', 'keep', ...files];
}

/** The files as `keepBefore` found them: an earlier one back in place, a new one removed. */
export function putBack(files: readonly string[]): Command {
	return ['sh', '-c', 'for f; do if [ -e "$f.before" ]; then mv -f "$f.before" "$f"; else rm -f "$f"; fi; done', 'put-back', ...files];
}

/** The copies `keepBefore` made, once the new settings are proven. */
export function dropKept(files: readonly string[]): Command {
	return ['sh', '-c', 'for f; do rm -f "$f.before"; done', 'drop', ...files];
}

/** Whether backups are configured (re-exported for the step's callers). */
export {backingUp};
