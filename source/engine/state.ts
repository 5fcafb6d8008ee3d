import {mkdir, readFile} from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type {RunMode, StepResult} from './types.js';

/** What one step last did, as kept in `.labbox/state.json`. */
export interface StepRecord {
	readonly result: StepResult;
	/** ISO time the step ended. */
	readonly at: string;
	readonly durationMs: number;
	readonly detail: string;
	/** Fingerprint of the inputs the step used when it last succeeded (ok or changed). */
	readonly fingerprint?: string;
	/** Values the step chose to keep (e.g. the server's facts); never secrets. */
	readonly data?: Readonly<Record<string, unknown>>;
}

/** The last run, so `--resume` knows where it stopped (also after a kill -9: `current` stays set). */
export interface RunRecord {
	readonly mode: RunMode;
	readonly selected: readonly string[];
	readonly startedAt: string;
	/** The step running when the state was last written; cleared when it ends. */
	readonly current?: string;
	readonly endedAt?: string;
	readonly outcome?: 'done' | 'failed' | 'interrupted';
}

export interface LabState {
	readonly version: 1;
	readonly lastRun?: RunRecord;
	readonly steps: Readonly<Record<string, StepRecord>>;
}

export const emptyState: LabState = {version: 1, steps: {}};

export async function loadState(file: string): Promise<LabState> {
	let text: string;
	try {
		text = await readFile(file, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			return emptyState;
		}
		throw error;
	}
	try {
		const parsed = JSON.parse(text) as Partial<LabState>;
		return {version: 1, lastRun: parsed.lastRun, steps: parsed.steps ?? {}};
	} catch {
		throw new Error(`The state file ${file} is not valid JSON. Move it away to start afresh (the server is unaffected).`);
	}
}

/** Atomic: a reader (or a later `--resume` after kill -9) sees the old file or the new one, never half. */
export async function saveState(file: string, state: LabState): Promise<void> {
	await mkdir(path.dirname(file), {recursive: true});
	await writeFileAtomic(file, JSON.stringify(state, null, '\t') + '\n', {mode: 0o600});
}

/** Whether a recorded result means "this step was done". */
export function isDone(record: StepRecord | undefined): boolean {
	return record?.result === 'ok' || record?.result === 'changed';
}
