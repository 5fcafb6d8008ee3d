import {describe, expect, it} from 'vitest';
import {wrapWords} from '../../../source/ui/text.js';
import {inkTerminals} from '../support/ink-terminal.js';
import {asEngine} from '../support/engine-redaction.js';

const mount = inkTerminals();

describe('the activity line (what labbox waits on before the plan: issue 10 item 3)', () => {
	it('shows the text with a spinner and its seconds, redacted, and goes away when cleared', async () => {
		const {stdout, renderer} = mount();
		// The text of a detail event, redacted by the engine (issue 11 item 3).
		renderer.activity(asEngine.text('Connecting to 203.0.113.7:22… password hunter22'));
		await new Promise(resolve => setTimeout(resolve, 1300));
		expect(stdout.text()).toMatch(/Connecting to 203\.0\.113\.7:22… password \*\*\* 1s/);
		expect(stdout.text()).not.toContain('hunter22');
		renderer.activity(undefined);
		await renderer.close();
		expect(stdout.writes.at(-1) ?? '').not.toContain('Connecting');
	});
});

describe('wrapWords', () => {
	it('breaks between words, never inside a `quoted` command, and indents what follows', () => {
		expect(wrapWords('pin it in lab.yaml: `server.hostKey: SHA256:abc` now', 24, '  ')).toEqual([
			'pin it in lab.yaml:',
			'  `server.hostKey: SHA256:abc`',
			'  now',
		]);
		expect(wrapWords('  Fix: check the port of the server', 20, '  ')).toEqual(['  Fix: check the', '  port of the server']);
		expect(wrapWords('short', 24)).toEqual(['short']);
		expect(wrapWords('no terminal, no width to wrap at', undefined)).toEqual(['no terminal, no width to wrap at']);
	});
});
