/** What a file on the server is now (mode, owner, content hash): compared before an upload (pyinfra `put`). */
import {combine, quiet, shell} from '../command.js';
import {sha256sum, stat} from '../commands/files.js';
import {lines, type Fact} from './fact.js';

/** A regular file's state; owners both numeric (`0:0`) and named (`root:root`), as lab.yaml may say either. */
export interface FileState {
	/** Octal, as `stat %a` prints it: `600`. */
	readonly mode: string;
	readonly owner: string;
	readonly ownerName: string;
	readonly sha256: string;
}

/** The state of the file at `path`, or false when there is none. */
export function fileState(path: string): Fact<FileState | false> {
	return {
		name: 'file-state',
		command: quiet(shell(combine(stat(path, '%a %u:%g %U:%G'), sha256sum(path)))),
		parse(output) {
			const [attributes, hashLine] = lines(output);
			if (attributes === undefined) {
				return false;
			}

			const [mode, owner, ownerName] = attributes.split(' ');
			const sha256 = hashLine?.split(/\s+/)[0];
			return mode && owner && ownerName && sha256 && /^[\da-f]{64}$/.test(sha256)
				? {mode, owner, ownerName, sha256}
				: undefined;
		},
	};
}
