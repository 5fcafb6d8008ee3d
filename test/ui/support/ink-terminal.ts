/** The Ink renderer on a fake terminal, as the CLI creates it. Import first in a test file (see no-ci.ts). */
import {restoreCiEnv} from './no-ci.js';
import {afterAll, afterEach, vi} from 'vitest';
import type {PlanItem, Renderer} from '../../../source/ui/renderer.js';
import {createInkRenderer} from '../../../source/ui/renderers/ink-renderer.js';
import {asEngine} from './engine-redaction.js';
import {FakeStdin, FakeStdout} from './frames.js';

const open: Renderer[] = [];

async function closeAll(): Promise<void> {
	await Promise.all(open.splice(0).map(async renderer => renderer.close()));
}

/** For a test file: closes the renderers after each test, restores the CI variables at the end; gives `mountInk`. */
export function inkTerminals(): typeof mountInk {
	afterEach(closeAll);
	afterAll(async () => {
		await closeAll();
		restoreCiEnv();
	});
	return mountInk;
}

/** A renderer on a 100-column terminal that redacts `hunter22` in its questions and notes (events come redacted). */
export function mountInk(o: {stdinIsTTY?: boolean | 'pipe'; verbose?: boolean; rows?: number; columns?: number} = {}) {
	const stdout = new FakeStdout();
	stdout.rows = o.rows ?? stdout.rows;
	stdout.columns = o.columns ?? stdout.columns;
	const stdin = new FakeStdin(o.stdinIsTTY);
	const onInterrupt = vi.fn();
	const renderer = createInkRenderer({
		stdout: stdout.asStream(),
		stdin: stdin.asStream(),
		onInterrupt,
		verbose: o.verbose,
		redact: text => text.replaceAll('hunter22', '***'),
	});
	open.push(renderer);
	return {stdout, stdin, onInterrupt, renderer};
}

/** A plan of two steps, one done, one to change (its change mentioned the secret), as the engine hands it over. */
export const plan: PlanItem[] = (
	[
		{id: 'connect', title: 'Connect', check: {status: 'done'}, inputsChanged: false},
		{
			id: 'docker',
			title: 'Install Docker',
			check: {status: 'todo', changes: ['install docker.io with password hunter22']},
			inputsChanged: false,
		},
	] satisfies PlanItem[]
).map(asEngine.planned);
