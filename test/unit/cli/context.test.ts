import {describe, expect, it} from 'vitest';
import {cannotAsk} from '../../../source/cli/context.js';

describe('a question nobody can answer', () => {
	it('names the lab.yaml key for a plain value, and the variable (never lab.yaml) for a secret', () => {
		const plain = cannotAsk({key: 'server.hostKey', kind: 'confirm', message: 'Trust it?', validate: () => undefined});
		expect(plain.hint).toBe('Set server.hostKey in lab.yaml, or run labbox in a terminal without --yes to answer it.');
		const secret = cannotAsk({
			key: 'server.keyPassphrase',
			kind: 'secret',
			message: 'Passphrase of ~/.ssh/id_ed25519',
			validate: () => undefined,
		});
		expect(secret.hint).toBe(
			'Set LABBOX_SERVER_KEY_PASSPHRASE in secrets.env or the environment, or run labbox in a terminal without --yes to answer it.',
		);
		expect(secret.message).toBe('Passphrase of ~/.ssh/id_ed25519: no answer (running with --yes or without a terminal).');
	});
});
