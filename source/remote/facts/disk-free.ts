/** Free space where the lab will live, measured on the nearest existing parent (the lab root may not exist yet). */
import {raw, shell} from '../command.js';
import {lines, type Fact} from './fact.js';

/** A filesystem's size and free space, in bytes. */
export interface DiskFree {
	/** Where the filesystem is mounted. */
	readonly mount: string;
	readonly total: number;
	readonly available: number;
}

// The path is `$1`, never pasted into the script.
export const nearestParentDf = 'p=$1; while [ ! -e "$p" ]; do p=$(dirname "$p"); done; df -P -B1 -- "$p"';

/** Reads `df -P -B1`'s POSIX format: header, then `Filesystem 1-blocks Used Available Capacity Mounted-on`. */
export function parseDf(output: string): DiskFree | undefined {
	const fields = lines(output)[1]?.split(/\s+/);
	if (!fields || fields.length < 6) {
		return undefined;
	}
	const [total, , available] = fields.slice(1, 4).map(Number);
	return Number.isFinite(total) && Number.isFinite(available)
		? {mount: fields.slice(5).join(' '), total: total!, available: available!}
		: undefined;
}

/** The space of the filesystem that holds `path` (or would hold it once made). */
export function diskFree(path: string, name = 'disk-free'): Fact<DiskFree> {
	return {name, command: shell([raw(nearestParentDf)], 'sh', path), parse: parseDf};
}
