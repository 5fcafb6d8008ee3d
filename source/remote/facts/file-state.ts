/**
 * What files and folders on the server are now (type, mode, owner, content hash), many in one command: compared
 * before an upload (pyinfra `put`), and by the homes step for its folders. The one way labbox reads the state of
 * remote files (issue 11 item 1); a plain fact, so the engine's gatherer can read it with every other fact.
 */
import {chain, quiet} from '../command.js';
import {sha256sum, stat} from '../commands/files.js';
import {lines, type Fact} from './fact.js';

/** One path's state; owners both numeric (`0:0`) and named (`root:root`), as lab.yaml may say either. */
export interface FileState {
	/** `regular file`, `regular empty file`, `directory`, `symbolic link`... (stat's %F). */
	readonly type: string;
	/** Octal, as `stat %a` prints it: `600`, `2775`. */
	readonly mode: string;
	readonly owner: string;
	readonly ownerName: string;
	/** Absent for anything but a readable regular file. */
	readonly sha256?: string;
}

/** The states of the paths that exist, by path (a missing path is absent). */
export type FileStates = Readonly<Record<string, FileState>>;

// `PATH|MODE|UID:GID|USER:GROUP|TYPE`: the lab's paths hold no `|` nor a newline.
const statFormat = '%n|%a|%u:%g|%U:%G|%F';
const hashLine = /^([\da-f]{64}) [ *](.+)$/;

/**
 * The state of every path of `paths` that exists; as root for files only root may read (`.env`). `hash`: the paths
 * whose content is hashed, default all (a private key's state is read without its hash ever being printed).
 */
export function fileStates(paths: readonly string[], options: {readonly hash?: readonly string[]} = {}): Fact<FileStates> {
	const hashed = options.hash ?? paths;
	const hashes = hashed.length === 0 ? [] : [quiet(sha256sum(hashed))];
	return {
		name: 'file-state',
		command: paths.length === 0 ? ['true'] : chain(quiet(stat(paths, statFormat)), ...hashes),
		parse(output) {
			const hashes = new Map<string, string>();
			const states: Record<string, FileState> = {};
			for (const line of lines(output)) {
				const hash = hashLine.exec(line);
				if (hash) {
					hashes.set(hash[2]!, hash[1]!);
					continue;
				}
				const [path, mode, owner, ownerName, type] = line.split('|');
				if (path && mode && owner && ownerName && type) {
					states[path] = {type, mode, owner, ownerName};
				}
			}
			for (const [path, sha256] of hashes) {
				if (states[path]) {
					states[path] = {...states[path], sha256};
				}
			}
			return states;
		},
	};
}
