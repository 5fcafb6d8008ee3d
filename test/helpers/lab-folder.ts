import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import type {Config} from '../../source/config/fields.js';
import {resolvedConfig} from '../../source/config/resolve.js';
import {Redactor} from '../../source/engine/redact.js';
import {runSteps, type RunOptions} from '../../source/engine/runner.js';
import {emptyState, loadState} from '../../source/engine/state.js';
import type {EngineEvent, RunMode, Step} from '../../source/engine/types.js';

/** A fresh temporary folder (a lab folder, or a fake server). */
export function tempDir(prefix = 'labbox-test-'): string {
	return mkdtempSync(path.join(tmpdir(), prefix));
}

/** Runs steps through the real runner against a temporary state file; returns the events and the summary. */
export async function runInFolder(
	dir: string,
	steps: readonly Step[],
	mode: RunMode,
	extra: Partial<Omit<RunOptions, 'config'>> & {readonly config?: Config} = {},
): Promise<{events: EngineEvent[]; summary: Awaited<ReturnType<typeof runSteps>>}> {
	const events: EngineEvent[] = [];
	const stateFile = path.join(dir, '.labbox', 'state.json');
	const summary = await runSteps({
		steps,
		mode,
		stateFile,
		labDir: dir,
		state: extra.state ?? (await loadState(stateFile)) ?? emptyState,
		redactor: new Redactor(),
		signal: new AbortController().signal,
		prompt: async () => {
			throw new Error('no questions in this test');
		},
		listeners: [event => events.push(event)],
		command: 'labbox',
		...extra,
		config: resolvedConfig(extra.config ?? {domain: 'lab.example.org'}),
	});
	return {events, summary};
}

/** The results of a run, by step id. */
export function results(events: readonly EngineEvent[]): Record<string, string> {
	return Object.fromEntries(events.flatMap(event => (event.type === 'step-end' ? [[event.id, event.result]] : [])));
}
