/** Builders for files and folders on the server, shared by several steps. */
import {any, combine, group, type Command} from '../command.js';

/** Creates a folder and its parents; nothing if it exists. */
export function makeDirectory(path: string): Command {
	return ['mkdir', '-p', path];
}

/** Sets the mode, given in octal (`0700`). */
export function chmod(mode: string, path: string): Command {
	return ['chmod', mode, path];
}

/** Sets owner and group (`1000:100`, `root:root`). */
export function chown(owner: string, path: string): Command {
	return ['chown', owner, path];
}

/** Prints `mode uid gid type` (e.g. `700 1000 100 directory`), or another `stat -c` format; one line per path. */
export function stat(paths: string | readonly string[], format = '%a %u %g %F'): Command {
	return ['stat', '-c', format, ...[paths].flat()];
}

/** Prints `HASH  PATH` per file: compared with the local hash before an upload (pyinfra `put`). */
export function sha256sum(paths: string | readonly string[]): Command {
	return ['sha256sum', ...[paths].flat()];
}

/** Succeeds when the path exists (any type). */
export function exists(path: string): Command {
	return ['test', '-e', path];
}

/** Succeeds when the path is a folder. */
export function isDirectory(path: string): Command {
	return ['test', '-d', path];
}

/** Prints a file. */
export function readFile(path: string): Command {
	return ['cat', path];
}

/** Prints a file, or `absent` when there is none (a fact whose content matters, not only its state). */
export function readFileOr(path: string, absent: string): Command {
	return any(group(combine(exists(path), readFile(path))), ['echo', absent]);
}

/** Removes a file; nothing if it is missing. */
export function removeFile(path: string): Command {
	return ['rm', '-f', path];
}

/** Renames in place: atomic within one filesystem (the last part of an upload). */
export function move(from: string, to: string): Command {
	return ['mv', '-f', from, to];
}
