import {mkdir, open, readFile, rm} from 'node:fs/promises';
import {hostname} from 'node:os';
import path from 'node:path';
import {processAlive} from './process-alive.js';

/** Who holds a lab folder's lock. */
export interface LockHolder {
	readonly pid: number;
	readonly host: string;
	readonly startedAt: string;
	readonly command: string;
}

export class LockHeldError extends Error {
	constructor(readonly holder: LockHolder) {
		super(
			`Another labbox (pid ${holder.pid} on ${holder.host}, started ${holder.startedAt}, "${holder.command}") is working on this lab folder. ` +
				'Wait for it to finish, or stop it (Ctrl-C in its terminal) and run again.',
		);
		this.name = 'LockHeldError';
	}
}

/**
 * Takes the lab folder's lock: a file made with O_EXCL holding the holder's pid. We write our own instead of
 * proper-lockfile because the message must name the holder, and staleness is "that pid is dead", not an mtime.
 */
export async function acquireLock(file: string, command: string): Promise<() => Promise<void>> {
	await mkdir(path.dirname(file), {recursive: true});
	const me: LockHolder = {pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), command};
	for (let attempt = 0; attempt < 3; attempt++) {
		try {
			const handle = await open(file, 'wx', 0o600);
			await handle.writeFile(JSON.stringify(me));
			await handle.close();
			return async () => {
				await rm(file, {force: true});
			};
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
				throw error;
			}
		}
		const holder = await readHolder(file);
		if (holder && holder.host === me.host && processAlive(holder.pid)) {
			throw new LockHeldError(holder);
		}
		if (holder && holder.host !== me.host) {
			throw new LockHeldError(holder);
		}
		// Stale (its process is gone) or unreadable (killed while writing it): take it over.
		await rm(file, {force: true});
	}
	throw new Error(`Could not take the lock ${file}; remove it if no labbox is running.`);
}

async function readHolder(file: string): Promise<LockHolder | undefined> {
	try {
		return JSON.parse(await readFile(file, 'utf8')) as LockHolder;
	} catch {
		return undefined;
	}
}
