import acme from 'acme-client';
import {expect, it} from 'vitest';
import {letsEncryptDirectory} from '../../../source/acme/directories.js';

it('names the Let’s Encrypt directories acme-client (the renewer’s client) names', () => {
	expect(letsEncryptDirectory).toEqual(acme.directory.letsencrypt);
});
