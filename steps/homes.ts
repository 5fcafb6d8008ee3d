import path from 'node:path/posix';
import {quiet, type Command} from '../source/remote/command.js';
import {chmod, chown, makeDirectory} from '../source/remote/commands/files.js';
import type {RemoteShell} from '../source/remote/session.js';
import type {Check, Step, StepContext} from '../source/engine/types.js';
import {labShell} from '../source/remote/lab-session.js';

/** One folder the lab needs, with the mode and owner it must have. */
export interface WantedFolder {
	readonly path: string;
	/** Octal, as `stat %a` prints it. */
	readonly mode: string;
	readonly owner: string;
}

/** What `stat` says of a path (absent: the path does not exist). */
export interface FolderFact {
	readonly mode: string;
	readonly owner: string;
	readonly type: string;
}

/**
 * The lab's folders. Notebooks run as jovyan (1000:100): `shared/` is theirs and setgid so files keep the
 * group; `datasets/` is root's (notebooks mount it read-only); `data/` (hub database, secrets) is root's alone.
 */
export function wantedFolders(root: string): WantedFolder[] {
	return [
		{path: root, mode: '755', owner: '0:0'},
		{path: path.join(root, 'homes'), mode: '755', owner: '0:0'},
		{path: path.join(root, 'shared'), mode: '2775', owner: '1000:100'},
		{path: path.join(root, 'datasets'), mode: '755', owner: '0:0'},
		{path: path.join(root, 'data'), mode: '700', owner: '0:0'},
	];
}

/** One read-only command for every folder: `PATH|MODE|UID:GID|TYPE` lines; missing paths print nothing. */
export function folderFactsCommand(folders: readonly WantedFolder[]): Command {
	return quiet(['stat', '-c', '%n|%a|%u:%g|%F', ...folders.map(folder => folder.path)]);
}

export function parseFolderFacts(output: string): Record<string, FolderFact> {
	const facts: Record<string, FolderFact> = {};
	for (const line of output.split('\n')) {
		const [name, mode, owner, type] = line.split('|');
		if (name && mode && owner && type) {
			facts[name] = {mode, owner, type};
		}
	}
	return facts;
}

/** What one folder still needs: a line for the plan, and its commands. */
export interface FolderWork {
	readonly change: string;
	readonly commands: readonly Command[];
}

/** Per folder, what is still needed (pyinfra style: nothing means "already so"). Never recursive: contents stay as they are. */
export function homesWork(folders: readonly WantedFolder[], facts: Readonly<Record<string, FolderFact>>): FolderWork[] {
	const work: FolderWork[] = [];
	for (const folder of folders) {
		const fact = facts[folder.path];
		const commands: Command[] = [];
		if (!fact) {
			commands.push(makeDirectory(folder.path));
		}
		if (fact?.owner !== folder.owner) {
			commands.push(chown(folder.owner, folder.path));
		}
		// chmod after chown: chown clears the setgid bit.
		if (fact?.mode !== folder.mode || fact?.owner !== folder.owner) {
			commands.push(chmod(folder.mode.padStart(4, '0'), folder.path));
		}
		if (commands.length > 0) {
			work.push({change: describeFolder(folder, fact), commands});
		}
	}
	return work;
}

/** One line per folder: `create /srv/lab/shared (1000:100, 2775)`, or what changes in one that exists. */
function describeFolder(folder: WantedFolder, fact: FolderFact | undefined): string {
	if (!fact) {
		return `create ${folder.path} (${folder.owner}, ${folder.mode})`;
	}
	const changes = [
		...(fact.owner === folder.owner ? [] : [`owner ${fact.owner} → ${folder.owner}`]),
		...(fact.mode === folder.mode ? [] : [`mode ${fact.mode} → ${folder.mode}`]),
	];
	return `${folder.path}: ${changes.join(', ')}`;
}

/** Every command still needed, in order. */
export function homesCommands(folders: readonly WantedFolder[], facts: Readonly<Record<string, FolderFact>>): Command[] {
	return homesWork(folders, facts).flatMap(item => item.commands);
}

async function inspect(ctx: StepContext, shell: RemoteShell) {
	const folders = wantedFolders(String(ctx.config['lab.root']));
	const result = await shell.exec(folderFactsCommand(folders), {sudo: true, signal: ctx.signal});
	const facts = parseFolderFacts(result.stdout);
	const notFolder = folders.find(folder => facts[folder.path] && facts[folder.path]!.type !== 'directory');
	return {folders, facts, notFolder, work: homesWork(folders, facts)};
}

export const homes: Step = {
	id: 'homes',
	title: 'Lab folders',
	summary: 'the homes, shared, datasets and data folders exist with the right owner and modes',
	inputs: ['lab.root'],
	async check(ctx): Promise<Check> {
		const {work, notFolder, facts} = await inspect(ctx, await labShell(ctx));
		if (notFolder) {
			return {status: 'blocked', reason: `${notFolder.path} exists on the server but is a ${facts[notFolder.path]!.type}, not a folder`, fix: `Move it away on the server, or choose another lab.root in lab.yaml.`};
		}
		return work.length === 0 ? {status: 'done', detail: `${String(ctx.config['lab.root'])} is ready`} : {status: 'todo', changes: work.map(item => item.change)};
	},
	async apply(ctx, io) {
		const shell = await labShell(ctx);
		const {work} = await inspect(ctx, shell);
		for (const item of work) {
			io.line(item.change);
			for (const command of item.commands) {
				await shell.run(command, {sudo: true, signal: ctx.signal});
			}
		}
		io.detail(`${String(ctx.config['lab.root'])} is ready`);
	},
};
