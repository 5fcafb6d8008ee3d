import type {LabConfig} from '../source/config/fields.js';
import path from 'node:path/posix';
import type {Command} from '../source/remote/command.js';
import {chmod, chown} from '../source/remote/commands/files.js';
import {makeLabFolder} from '../source/remote/commands/lab-folders.js';
import {fileStates} from '../source/remote/facts/file-state.js';
import {madeFolders} from '../source/remote/facts/made-folders.js';
import {gatherFacts, type FactSet, type Gathered} from '../source/remote/facts/gather.js';
import type {RemoteShell} from '../source/remote/session.js';
import {StepError, type Check, type Step, type StepContext} from '../source/engine/types.js';
import {labShell} from '../source/remote/lab-session.js';
import {stepCommands} from '../source/remote/step-commands.js';

/** One folder the lab needs, with the mode and owner it must have. */
export interface WantedFolder {
	readonly path: string;
	/** Octal, as `stat %a` prints it. */
	readonly mode: string;
	readonly owner: string;
}

/** What `stat` says of a path (absent: the path does not exist): the part of a FileState the folders need. */
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

/** What one folder still needs: a line for the plan, and its commands. */
export interface FolderWork {
	readonly change: string;
	readonly commands: readonly Command[];
	/** It changes the owner or mode of a folder labbox did not create: only with the user's consent (issue 9 item 2). */
	readonly adopt: boolean;
}

/**
 * Per folder, what is still needed (pyinfra style: nothing means "already so"). Never recursive: contents stay as
 * they are. `made`: the folders labbox's record says it created; any other folder that exists is someone else's.
 */
export function homesWork(root: string, facts: Readonly<Record<string, FolderFact>>, made: readonly string[] = []): FolderWork[] {
	const work: FolderWork[] = [];
	for (const folder of wantedFolders(root)) {
		const fact = facts[folder.path];
		const commands: Command[] = [];
		if (!fact) {
			commands.push(makeLabFolder(root, folder.path));
		}
		if (fact?.owner !== folder.owner) {
			commands.push(chown(folder.owner, folder.path));
		}
		// chmod after chown: chown clears the setgid bit.
		if (fact?.mode !== folder.mode || fact?.owner !== folder.owner) {
			commands.push(chmod(folder.mode.padStart(4, '0'), folder.path));
		}
		if (commands.length > 0) {
			const adopt = fact !== undefined && !made.includes(folder.path);
			work.push({change: describeFolder(folder, fact, adopt), commands, adopt});
		}
	}
	return work;
}

/**
 * One line per folder: `create /srv/lab/shared (1000:100, 2775)`, or what changes in one that exists; for one
 * labbox did not create, `change /x from 1777 to 755 (a folder labbox did not create)`.
 */
function describeFolder(folder: WantedFolder, fact: FolderFact | undefined, adopt: boolean): string {
	if (!fact) {
		return `create ${folder.path} (${folder.owner}, ${folder.mode})`;
	}
	if (adopt) {
		const owner = fact.owner === folder.owner ? [] : [['owner ' + fact.owner, 'owner ' + folder.owner]];
		const mode = fact.mode === folder.mode ? [] : [[fact.mode, folder.mode]];
		const parts = [...owner, ...mode];
		return `change ${folder.path} from ${parts.map(([before]) => before).join(', ')} to ${parts.map(([, after]) => after).join(', ')} (a folder labbox did not create)`;
	}
	const changes = [
		...(fact.owner === folder.owner ? [] : [`owner ${fact.owner} → ${folder.owner}`]),
		...(fact.mode === folder.mode ? [] : [`mode ${fact.mode} → ${folder.mode}`]),
	];
	return `${folder.path}: ${changes.join(', ')}`;
}

/** Every command still needed, in order. */
export function homesCommands(root: string, facts: Readonly<Record<string, FolderFact>>, made: readonly string[] = []): Command[] {
	return homesWork(root, facts, made).flatMap(item => item.commands);
}

/** The homes step's facts, as data: the folders' state and labbox's record of what it created. */
export function homesFacts(config: LabConfig) {
	const root = config['lab.root'];
	// The one read of remote files' state (issue 11 item 1), gathered with the record of what labbox made.
	return {folders: fileStates(wantedFolders(root).map(folder => folder.path)), made: madeFolders(root)} satisfies FactSet;
}

/** What the facts say is still to do. */
function inspected(found: Gathered<ReturnType<typeof homesFacts>>, config: LabConfig) {
	const root = config['lab.root'];
	const folders = wantedFolders(root);
	const facts = found.folders ?? {};
	const notFolder = folders.find(folder => facts[folder.path] && facts[folder.path]!.type !== 'directory');
	const work = homesWork(root, facts, found.made ?? []);
	return {facts, notFolder, work, adopting: work.filter(item => item.adopt).map(item => item.change)};
}

/** The folders' state and labbox's record of what it created, in one round trip. */
async function inspect(ctx: StepContext, shell: RemoteShell) {
	return inspected(await gatherFacts(shell, homesFacts(ctx.config), {signal: ctx.signal}), ctx.config);
}

/** The check, pure: the facts, the configuration and whether someone can be asked, in (issue 11). */
export function checkHomes(found: Readonly<Record<string, unknown>>, config: LabConfig, interactive: boolean): Check {
	const {work, notFolder, facts, adopting} = inspected(found as Gathered<ReturnType<typeof homesFacts>>, config);
	if (notFolder) {
		return {
			status: 'blocked',
			reason: `${notFolder.path} exists on the server but is a ${facts[notFolder.path]!.type}, not a folder`,
			fix: `Move it away on the server, or choose another lab.root in lab.yaml.`,
		};
	}
	if (adopting.length > 0 && config['lab.adoptFolders'] !== true && !interactive) {
		// Nobody to ask (--yes, no terminal): stop before anything changes.
		return {status: 'blocked', reason: `labbox would change folders it did not create: ${adopting.join('; ')}`, fix: adoptFix};
	}
	return work.length === 0
		? {status: 'done', detail: `${config['lab.root']} is ready`}
		: {status: 'todo', changes: work.map(item => item.change)};
}

/** How to let labbox change folders it did not create, or to avoid it. */
const adoptFix =
	'To let the lab take them over, set lab.adoptFolders: true in lab.yaml (or --lab-adopt-folders); otherwise set lab.root to a folder of its own (such as /srv/lab).';

/** Asks before changing folders labbox did not create, unless lab.adoptFolders allows it; no answer (--yes) is a refusal naming the key. */
async function agreesToAdopt(ctx: StepContext, adopting: readonly string[]): Promise<void> {
	if (adopting.length === 0 || ctx.config['lab.adoptFolders'] === true) {
		return;
	}
	const answer = await ctx.prompt({
		key: 'lab.adoptFolders',
		kind: 'confirm',
		message: `${adopting.join('; ')}. Change ${adopting.length === 1 ? 'it' : 'them'}?`,
		defaultValue: 'false',
		validate: () => undefined,
	});
	if (answer !== 'true') {
		throw new StepError(`Nothing was changed: labbox leaves folders it did not create as they are (${adopting.join('; ')}).`, adoptFix);
	}
}

export const homes: Step = {
	id: 'homes',
	title: 'Lab folders',
	summary: 'the homes, shared, datasets and data folders exist with the right owner and modes',
	// Not lab.adoptFolders: it is a permission, not something the folders are made from.
	inputs: ['lab.root'],
	facts: ({config}) => homesFacts(config),
	async check(ctx): Promise<Check> {
		return checkHomes(await ctx.facts(), ctx.config, ctx.interactive);
	},
	async apply(ctx, io) {
		const shell = await labShell(ctx);
		const commands = stepCommands(ctx, io, shell);
		const {work, adopting} = await inspect(ctx, shell);
		await agreesToAdopt(ctx, adopting);
		for (const item of work) {
			io.line(item.change);
			await commands.runAll(item.commands);
		}
		io.detail(`${ctx.config['lab.root']} is ready`);
		// Applied because lab.root changed, say, to folders already so: nothing changed (issue 10 item 10).
		return work.length === 0 ? 'unchanged' : undefined;
	},
};
