/** The remote half of an atomic upload: write a temporary file, set mode and owner, then rename over the target. */
import {randomBytes} from 'node:crypto';
import {any, chain, combine, group, write, type Command} from './command.js';
import {chmod, chown, move, removeFile} from './commands/files.js';

/** Mode and owner of an uploaded file. */
export interface UploadOptions {
	/** Octal, default `0644`; use `0600` for anything that holds a secret. */
	readonly mode?: string;
	/** `user:group`; default: whoever writes it. */
	readonly owner?: string;
}

/**
 * `cat` from stdin into `path.labbox-XXXX` (umask 077: never readable by others, even for a moment), then
 * chmod/chown and `mv` over `path`; on any failure the temporary file is removed and the command fails.
 */
export function uploadCommand(path: string, options: UploadOptions = {}, suffix = randomBytes(4).toString('hex')): Command {
	const temporary = `${path}.labbox-${suffix}`;
	const steps: Command[] = [
		['umask', '077'],
		write(['cat'], temporary),
		chmod(options.mode ?? '0644', temporary),
		...(options.owner ? [chown(options.owner, temporary)] : []),
		move(temporary, path),
	];
	return any(combine(...steps), group(chain(removeFile(temporary), ['false'])));
}
