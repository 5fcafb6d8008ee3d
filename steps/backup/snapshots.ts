/** The repository's snapshots (`restic snapshots --json`), and the one a restore takes (issue 12). */
import path from 'node:path/posix';

export interface Snapshot {
	readonly id: string;
	readonly shortId: string;
	readonly time: string;
	readonly paths: readonly string[];
	readonly host?: string;
	/** restic 0.17+ keeps the backup's summary in the snapshot. */
	readonly bytes?: number;
	readonly added?: number;
	readonly files?: number;
}

/** Parses `restic snapshots --json` (oldest first, as restic prints them). */
export function parseSnapshots(output: string): Snapshot[] {
	const list = JSON.parse(output || '[]') as Array<{
		id: string;
		short_id?: string;
		time: string;
		paths?: string[];
		hostname?: string;
		summary?: {total_bytes_processed?: number; data_added?: number; total_files_processed?: number};
	}>;
	return list
		.map(item => ({
			id: item.id,
			shortId: item.short_id ?? item.id.slice(0, 8),
			time: item.time,
			paths: item.paths ?? [],
			host: item.hostname,
			bytes: item.summary?.total_bytes_processed,
			added: item.summary?.data_added,
			files: item.summary?.total_files_processed,
		}))
		.sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
}

/** The snapshot asked for: by id (or its start), else the newest. */
export function chooseSnapshot(snapshots: readonly Snapshot[], id?: string): Snapshot | undefined {
	if (id === undefined || id === 'latest') {
		return snapshots.at(-1);
	}
	const found = snapshots.filter(snapshot => snapshot.id.startsWith(id));
	return found.length === 1 ? found[0] : undefined;
}

/** What a snapshot holds, by name under the lab root (`homes, shared, data, …`). */
export function heldNames(snapshot: Snapshot, root: string): string[] {
	return snapshot.paths
		.map(item => (item.startsWith(`${root}/`) ? path.relative(root, item) : item))
		.filter(name => name !== 'backup/dump');
}

/** `2026-11-27 14:03` (UTC) from restic's time. */
export function shortTime(time: string): string {
	return new Date(time).toISOString().slice(0, 16).replace('T', ' ');
}
