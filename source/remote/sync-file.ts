/**
 * Files the lab owns on the server, pyinfra `put` style: hash the local content, compare with the remote
 * file, upload only on a difference, then reconcile mode and owner. An empty change list means "already so".
 */
import {createHash} from 'node:crypto';
import type {Command} from './command.js';
import {chmod, chown} from './commands/files.js';
import {fileState, type FileState} from './facts/file-state.js';
import type {RemoteShell} from './remote-shell.js';

/** A file as it should be on the server. */
export interface DesiredFile {
	readonly path: string;
	readonly content: string | Buffer;
	/** Octal, default `0644`; `0600` for anything holding a secret. */
	readonly mode?: string;
	/** `user:group`, by name or number; unchecked when absent. */
	readonly owner?: string;
}

/** What `syncFile` would do: upload the content, and/or run commands; `changes` in words, one per line. */
export interface FilePlan {
	readonly upload: boolean;
	readonly commands: readonly Command[];
	readonly changes: readonly string[];
}

const sameMode = (a: string, b: string) => Number.parseInt(a, 8) === Number.parseInt(b, 8);

/** Decides from the remote state (`undefined`: could not tell, so upload). Pure: tested without SSH. */
export function planFile(state: FileState | false | undefined, file: DesiredFile): FilePlan {
	const mode = file.mode ?? '0644';
	const sha256 = createHash('sha256').update(file.content).digest('hex');
	if (!state || state.sha256 !== sha256) {
		return {upload: true, commands: [], changes: [`${state ? 'update' : 'create'} ${file.path}`]};
	}

	const commands: Command[] = [];
	const changes: string[] = [];
	if (!sameMode(state.mode, mode)) {
		commands.push(chmod(mode, file.path));
		changes.push(`set mode ${mode} on ${file.path} (was ${state.mode})`);
	}

	if (file.owner !== undefined && file.owner !== state.owner && file.owner !== state.ownerName) {
		commands.push(chown(file.owner, file.path));
		changes.push(`set owner ${file.owner} on ${file.path} (was ${state.ownerName})`);
	}

	return {upload: false, commands, changes};
}

/** Options of a remote file operation. */
export interface SyncOptions {
	readonly sudo?: boolean;
	readonly signal?: AbortSignal;
}

/** Reads the remote file's state and plans (a step's `check`). */
export async function inspectFile(remote: RemoteShell, file: DesiredFile, options: SyncOptions = {}): Promise<FilePlan> {
	const fact = fileState(file.path);
	const {stdout} = await remote.exec(fact.command, options);
	return planFile(fact.parse(stdout), file);
}

/** Makes the file so (a step's `apply`); returns what changed, empty when it already was. */
export async function syncFile(remote: RemoteShell, file: DesiredFile, options: SyncOptions = {}): Promise<readonly string[]> {
	const plan = await inspectFile(remote, file, options);
	if (plan.upload) {
		await remote.upload(file.path, file.content, {mode: file.mode, owner: file.owner, ...options});
	}

	for (const command of plan.commands) {
		await remote.run(command, options);
	}

	return plan.changes;
}
