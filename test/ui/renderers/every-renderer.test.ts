// The same scripted run under every renderer (listr2's habit): each tells what failed, how to fix and retry it,
// and none shows a secret (the events as the engine emits them: redacted, issue 11 item 3).
import {restoreCiEnv} from '../support/no-ci.js';
import {afterAll, describe, expect, it} from 'vitest';
import type {EngineEvent} from '../../../source/engine/types.js';
import {createRenderer, type RendererKind} from '../../../source/ui/renderer.js';
import {asEngine} from '../support/engine-redaction.js';
import {failingRun} from '../support/events.js';
import {FakeStdin, FakeStdout} from '../support/frames.js';

afterAll(restoreCiEnv);

/** The failing run, with the secret in an output line, a detail and the hint. */
function runWithSecret(): EngineEvent[] {
	return failingRun().map(event => {
		switch (event.type) {
			case 'line': {
				return {...event, text: `${event.text} --password hunter22`};
			}
			case 'step-end': {
				return event.id === 'stack' ? {...event, hint: `${event.hint ?? ''} (the password hunter22 was refused)`} : event;
			}
			default: {
				return event;
			}
		}
	});
}

describe.each<RendererKind>(['ink', 'plain', 'json'])('the %s renderer', kind => {
	it('tells what failed, the fix, the log and the retry command, and shows no secret', async () => {
		const stdout = new FakeStdout();
		const renderer = await createRenderer(kind, {
			stdout: stdout.asStream(),
			stdin: new FakeStdin().asStream(),
			onInterrupt() {},
			redact: text => text.replaceAll('hunter22', '***'),
		});
		renderer.handle(asEngine.emitted({type: 'detail', id: 'docker', text: 'logging in with hunter22'}));
		for (const event of runWithSecret()) {
			renderer.handle(asEngine.emitted(event));
		}
		await renderer.close();
		const text = stdout.text();
		for (const expected of [
			'the hub did not answer /hub/health',
			'docker compose logs hub',
			'the password *** was refused',
			'.labbox/logs/run-1.log',
			'labbox run stack',
			'[E] database is locked',
		]) {
			expect(text).toContain(expected);
		}
		expect(text).not.toContain('hunter22');
	});
});
