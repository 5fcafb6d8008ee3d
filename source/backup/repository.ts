/**
 * What `backup.repository` may be (issue 12): any restic repository, or `none` as the explicit choice of no
 * backup. lab.yaml is safe to commit, so no credential belongs in the address; the target's secrets come from
 * secrets.env (backup.password, backup.awsSecretAccessKey) or a key file (backup.sshKeyFile).
 */

/** The word that chooses no backup (labbox status then warns every time). */
export const noBackup = 'none';

/** The restic backends labbox knows how to hand their settings to; a local path starts with `/`. */
const schemes = ['sftp', 's3', 'rest', 'b2', 'azure', 'gs', 'swift', 'rclone'] as const;

export type RepositoryKind = (typeof schemes)[number] | 'local' | 'none';

/** The kind of repository, by its prefix. */
export function repositoryKind(repository: string): RepositoryKind {
	if (repository === noBackup) {
		return 'none';
	}
	if (repository.startsWith('/')) {
		return 'local';
	}
	return schemes.find(scheme => repository.startsWith(`${scheme}:`)) ?? 'local';
}

/** Whether the configuration backs up at all. */
export function backingUp(config: Readonly<Record<string, unknown>>): boolean {
	return typeof config['backup.repository'] === 'string' && config['backup.repository'] !== noBackup;
}

/** Why `text` cannot be the repository, or undefined when it can. */
export function repositoryProblem(text: string): string | undefined {
	if (text === noBackup) {
		return undefined;
	}
	// eslint-disable-next-line no-control-regex
	if (/[\u0000-\u0020\u007F-\u009F'"\\`$]/.test(text)) {
		return 'it has a space, a quote or a control character: give the address alone';
	}
	if (text.startsWith('/')) {
		return text.split('/').some(part => part === '..' || part === '.')
			? 'a local path without . or .. parts is needed'
			: text === '/'
				? 'the whole disk cannot be the repository: give a folder of its own'
				: undefined;
	}
	const scheme = schemes.find(item => text.startsWith(`${item}:`));
	if (!scheme) {
		return `it is not a restic repository: start with ${schemes.map(item => `${item}:`).join(', ')} or / (a local path), or say none`;
	}
	if (/\/\/[^/@]*:[^/@]*@/.test(text)) {
		return 'it has a password in it (lab.yaml is safe to commit, so no credential belongs there): put it in secrets.env instead';
	}
	if (scheme === 'sftp' && !sftpTarget(text)) {
		return 'an sftp repository is sftp:user@host:/path or sftp://user@host:port//path';
	}
	return undefined;
}

/** Where an sftp repository is: the SSH login and the path there. */
export interface SftpTarget {
	readonly user?: string;
	readonly host: string;
	readonly port?: number;
	readonly path: string;
}

const word = /^[A-Za-z0-9_.-]+$/;
const hostWord = /^(?:[A-Za-z0-9_.-]+|\[[0-9A-Fa-f:.]+\])$/;

/** Parses `sftp:user@host:/path` or `sftp://user@host:port//path` (restic's two forms); undefined if neither. */
export function sftpTarget(repository: string): SftpTarget | undefined {
	const url = /^sftp:\/\/(?:([^@/]+)@)?(\[[^\]]+\]|[^:/]+)(?::(\d{1,5}))?\/(.+)$/.exec(repository);
	// The short form has no port: its third group is empty.
	const short = url ? undefined : /^sftp:(?:([^@/:]+)@)?(\[[^\]]+\]|[^:/]+):()(.+)$/.exec(repository);
	const match = url ?? short;
	if (!match) {
		return undefined;
	}
	const [, user, host, port, where] = match;
	if ((user !== undefined && !word.test(user)) || !hostWord.test(host!) || where === undefined || where === '') {
		return undefined;
	}
	const number = port === undefined || port === '' ? undefined : Number(port);
	if (number !== undefined && (number < 1 || number > 65_535)) {
		return undefined;
	}
	return {user, host: host!, port: number, path: where};
}
