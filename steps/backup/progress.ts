/** restic's JSON progress lines (`backup --json`, its `status` messages) as one line for the screen (issue 12). */
import {bytes} from './status.js';

export interface BackupProgress {
	readonly fraction: number;
	readonly label: string;
}

/** Progress from one output line, or undefined when the line is not a status message. */
export function backupProgress(line: string): BackupProgress | undefined {
	if (!line.startsWith('{') || !line.includes('"message_type":"status"')) {
		return undefined;
	}
	try {
		const status = JSON.parse(line) as {
			percent_done?: number;
			files_done?: number;
			total_files?: number;
			bytes_done?: number;
			total_bytes?: number;
			seconds_elapsed?: number;
		};
		const done = status.bytes_done ?? 0;
		const rate = status.seconds_elapsed ? `, ${bytes(Math.round(done / status.seconds_elapsed))}/s` : '';
		return {
			fraction: status.percent_done ?? 0,
			label: `${status.files_done ?? 0} of ${status.total_files ?? 0} files, ${bytes(done)} of ${bytes(status.total_bytes ?? 0)}${rate}`,
		};
	} catch {
		return undefined;
	}
}

/** A line worth showing as it is: not JSON (restic's own words, the script's), or the summary made readable. */
export function backupLine(line: string): string | undefined {
	if (!line.startsWith('{')) {
		return line;
	}
	if (line.includes('"message_type":"summary"')) {
		try {
			const summary = JSON.parse(line) as {
				snapshot_id?: string;
				files_new?: number;
				files_changed?: number;
				files_unmodified?: number;
				data_added?: number;
				total_duration?: number;
			};
			return `snapshot ${summary.snapshot_id}: ${summary.files_new ?? 0} new, ${summary.files_changed ?? 0} changed, ${summary.files_unmodified ?? 0} unchanged files; ${bytes(summary.data_added ?? 0)} added in ${(summary.total_duration ?? 0).toFixed(1)} s`;
		} catch {
			return undefined;
		}
	}
	return undefined;
}
