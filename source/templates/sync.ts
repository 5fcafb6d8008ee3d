/**
 * Uploads rendered files only where they differ (pyinfra `put`): one round trip reads the hash, mode and
 * owner of every target, then each changed file is uploaded atomically with its mode, owned by root.
 */
import {createHash} from 'node:crypto';
import path from 'node:path/posix';
import {quiet, type Command} from '../remote/command.js';
import {gatherFacts} from '../remote/facts/gather.js';
import type {RemoteShell} from '../remote/remote-shell.js';
import type {LabFile} from './lab-files.js';

/** What the server has at a file's path: its sha256, mode (`644`) and owner (`0:0`). */
export interface RemoteFileState {
	readonly sha256: string;
	readonly mode: string;
	readonly owner: string;
}

/** The owner of every file of the lab. */
export const fileOwner = '0:0';

/** `sha256sum` of the files, then `stat` lines `PATH|MODE|UID:GID`; missing files print nothing. */
export function fileStateCommands(paths: readonly string[]): {hashes: Command; stats: Command} {
	return {hashes: quiet(['sha256sum', ...paths]), stats: quiet(['stat', '-c', '%n|%a|%u:%g', ...paths])};
}

/** Parses both outputs into one state per existing path. */
export function parseFileStates(hashes: string, stats: string): Map<string, RemoteFileState> {
	const sums = new Map<string, string>();
	for (const line of hashes.split('\n')) {
		const match = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
		if (match) {
			sums.set(match[2]!, match[1]!);
		}
	}
	const states = new Map<string, RemoteFileState>();
	for (const line of stats.split('\n')) {
		const [name, mode, owner] = line.split('|');
		const sha256 = name === undefined ? undefined : sums.get(name);
		if (name && mode && owner && sha256) {
			states.set(name, {sha256, mode, owner});
		}
	}
	return states;
}

/** A lab file placed under the lab's root. */
export interface PlacedFile extends LabFile {
	/** Absolute path on the server. */
	readonly target: string;
}

/** Places the files under `root`. */
export function placeFiles(root: string, files: readonly LabFile[]): PlacedFile[] {
	return files.map(file => ({...file, target: path.join(root, file.path)}));
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The files whose content, mode or owner differ from what the server has. */
export function changedFiles(files: readonly PlacedFile[], states: ReadonlyMap<string, RemoteFileState>): PlacedFile[] {
	return files.filter(file => {
		const state = states.get(file.target);
		return !state || state.sha256 !== sha256(file.content) || state.mode.padStart(4, '0') !== file.mode || state.owner !== fileOwner;
	});
}

/** Reads the server's state of the files (as root: .env is 0600) and returns those to upload. */
export async function filesToUpload(shell: RemoteShell, files: readonly PlacedFile[], signal?: AbortSignal): Promise<PlacedFile[]> {
	const commands = fileStateCommands(files.map(file => file.target));
	const text = (name: string, command: Command) => ({name, command, parse: (output: string) => output});
	const gathered = await gatherFacts(shell, {hashes: text('file-hashes', commands.hashes), stats: text('file-stats', commands.stats)}, {signal});
	return changedFiles(files, parseFileStates(gathered.hashes ?? '', gathered.stats ?? ''));
}

/** Uploads each file atomically, root-owned, with its mode. */
export async function uploadFiles(shell: RemoteShell, files: readonly PlacedFile[], signal?: AbortSignal): Promise<void> {
	for (const file of files) {
		await shell.upload(file.target, file.content, {mode: file.mode, owner: fileOwner, sudo: true, signal});
	}
}
