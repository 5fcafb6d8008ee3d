/**
 * `labbox logs [SERVICE|USER] [--follow] [--since 1h]` (issue 13 item 2): where each of the lab's logs lives on
 * the server, as commands (run elsewhere, streamed, redacted). The hub and nginx are compose services; the
 * certificate renewer and the backup are systemd units (each run by its timer); a user's notebook server is the
 * container DockerSpawner named after them.
 */
import path from 'node:path/posix';
import type {Command} from '../remote/command.js';
import {userNameProblem} from '../config/names.js';
import {backupService} from '../../steps/backup/files.js';
import {renewerService} from '../templates/renewer.js';

/** The lab's own logs by name; any other word is a user name. */
export const logServices = ['hub', 'nginx', 'renewer', 'backup'] as const;
export type LogService = (typeof logServices)[number];

/** The services whose log is a systemd unit's journal, not a compose service's (issue 13: backup). */
const journalUnits: Partial<Record<LogService, string>> = {renewer: renewerService, backup: backupService};

export type LogSource =
	| {readonly kind: 'service'; readonly name: LogService}
	| {readonly kind: 'user'; readonly name: string}
	| {readonly kind: 'all'};

export interface LogOptions {
	readonly follow?: boolean;
	/** Seconds back from now. */
	readonly sinceSeconds?: number;
}

const units: Record<string, number> = {s: 1, m: 60, h: 3600, d: 86_400};

/** `--since 10m` in seconds, or why it is not a duration (`30s`, `10m`, `1h`, `2d`). */
export function parseSince(text: string): number | {problem: string} {
	const match = /^(\d{1,6})([smhd])$/.exec(text.trim());
	return match ? Number(match[1]) * units[match[2]!]! : {problem: `--since ${text}: expected a number and a unit, e.g. 30s, 10m, 1h or 2d`};
}

/** What the word names: a service of the lab, a user, or (none) every compose service. */
export function logSource(word: string | undefined): LogSource | {problem: string} {
	if (word === undefined) {
		return {kind: 'all'};
	}
	if ((logServices as readonly string[]).includes(word)) {
		return {kind: 'service', name: word as LogService};
	}
	const problem = userNameProblem(word);
	return problem
		? {problem: `${problem}. labbox logs takes ${logServices.join(', ')} or a user name.`}
		: {kind: 'user', name: word.toLowerCase()};
}

/**
 * DockerSpawner's container name for a user: `jupyter-` and the name escaped as escapism does (each byte that is
 * not a-z or 0-9 becomes `-` and its two upper-case hex digits).
 */
export function notebookContainer(user: string): string {
	const escaped = [...Buffer.from(user, 'utf8')]
		.map(byte =>
			/[a-z0-9]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `-${byte.toString(16).toUpperCase().padStart(2, '0')}`,
		)
		.join('');
	return `jupyter-${escaped}`;
}

/** The command that prints (or follows) one source's log lines. */
export function logsCommand(source: LogSource, root: string, options: LogOptions): Command {
	const since = options.sinceSeconds === undefined ? [] : ['--since', `${options.sinceSeconds}s`];
	const follow = options.follow ? ['--follow'] : [];
	const compose = ['docker', 'compose', '--file', path.join(root, 'compose.yaml'), 'logs', '--no-color', ...follow, ...since];
	switch (source.kind) {
		case 'all': {
			return compose;
		}
		case 'user': {
			return ['docker', 'logs', ...follow, ...since, notebookContainer(source.name)];
		}
		case 'service': {
			const unit = journalUnits[source.name];
			if (unit) {
				// journalctl takes a time span back from now as `-3600s`.
				const back = options.sinceSeconds === undefined ? [] : [`--since=-${options.sinceSeconds}s`];
				return ['journalctl', '--unit', unit, '--no-pager', '--output', 'short-iso', ...(options.follow ? ['--follow'] : []), ...back];
			}
			return [...compose, source.name];
		}
	}
}
