/**
 * Files labbox owns on the server, pyinfra `put` style, and the ONE way they are checked and written (issue 11
 * item 1): the state of many files is read in one round trip (`fileStates`, a plain fact the engine's gatherer can
 * read too), compared with the local content's hash, mode and owner; only what differs is uploaded (atomically,
 * with its mode and owner) or has its owner or mode set. An empty change list means "already so".
 */
import {createHash} from 'node:crypto';
import type {Command} from './command.js';
import {chmod, chown} from './commands/files.js';
import {fileStates, type FileState, type FileStates} from './facts/file-state.js';
import type {RemoteShell} from './remote-shell.js';

/** A file as it should be on the server. */
export interface DesiredFile {
	/** Absolute path on the server. */
	readonly path: string;
	readonly content: string | Buffer;
	/** Octal, default `0644`; `0600` for anything holding a secret. */
	readonly mode?: string;
	/** `user:group`, by name or number; left as the writer makes it when absent. */
	readonly owner?: string;
}

/** What one file still needs. */
export interface FileChange {
	readonly file: DesiredFile;
	/** Missing, or its content differs: written whole, with its mode and owner. */
	readonly upload: boolean;
	/** Otherwise, the owner and mode to set (chown first: it clears setuid and setgid). */
	readonly commands: readonly Command[];
	/** In words, for the plan and the screen. */
	readonly changes: readonly string[];
}

const sameMode = (a: string, b: string) => Number.parseInt(a, 8) === Number.parseInt(b, 8);
const sha256 = (content: string | Buffer) => createHash('sha256').update(content).digest('hex');

/** What one file needs, from its state (`undefined`: missing); nothing when it is already so. Pure. */
export function planFile(file: DesiredFile, state: FileState | undefined): FileChange | undefined {
	const mode = file.mode ?? '0644';
	if (!state || state.sha256 !== sha256(file.content)) {
		// No hash for a file that exists (unreadable, or not a regular file): written again, as its content is unknown.
		return {file, upload: true, commands: [], changes: [`${state ? 'update' : 'create'} ${file.path}`]};
	}
	const commands: Command[] = [];
	const changes: string[] = [];
	if (file.owner !== undefined && file.owner !== state.owner && file.owner !== state.ownerName) {
		commands.push(chown(file.owner, file.path));
		changes.push(`set owner ${file.owner} on ${file.path} (was ${state.ownerName})`);
	}
	if (!sameMode(state.mode, mode) || commands.length > 0) {
		commands.push(chmod(mode, file.path));
		if (!sameMode(state.mode, mode)) {
			changes.push(`set mode ${mode} on ${file.path} (was ${state.mode})`);
		}
	}
	return commands.length === 0 ? undefined : {file, upload: false, commands, changes};
}

/** What each file still needs, from the gathered states (`undefined`: could not tell, so every file). Pure. */
export function planFiles(files: readonly DesiredFile[], states: FileStates | undefined): FileChange[] {
	return files.flatMap(file => planFile(file, states?.[file.path]) ?? []);
}

/** The fact that reads the state of these files (gather it with others, or `readFileChanges`). */
export function desiredFileStates(files: readonly DesiredFile[]) {
	return fileStates(files.map(file => file.path));
}

/** Options of a remote file operation: as root (the lab's files are root's), and the run's abort signal. */
export interface SyncOptions {
	readonly sudo?: boolean;
	readonly signal: AbortSignal;
}

/** Reads the files' states in one round trip and says what they still need (a step's check). */
export async function readFileChanges(
	remote: Pick<RemoteShell, 'exec'>,
	files: readonly DesiredFile[],
	options: SyncOptions,
): Promise<FileChange[]> {
	const fact = desiredFileStates(files);
	const {stdout} = await remote.exec(fact.command, {sudo: options.sudo ?? true, signal: options.signal});
	return planFiles(files, fact.parse(stdout));
}

/** Makes the changes: uploads and chown/chmod, in order. `run` runs one command (a step's, shown on its screen). */
export async function writeFileChanges(
	remote: Pick<RemoteShell, 'upload'>,
	changes: readonly FileChange[],
	options: SyncOptions & {readonly run: (command: Command) => Promise<unknown>},
): Promise<void> {
	for (const {file, upload, commands} of changes) {
		if (upload) {
			await remote.upload(file.path, file.content, {
				mode: file.mode,
				owner: file.owner,
				sudo: options.sudo ?? true,
				signal: options.signal,
			});
		}
		for (const command of commands) {
			await options.run(command);
		}
	}
}
