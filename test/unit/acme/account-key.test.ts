import {createPrivateKey} from 'node:crypto';
import {mkdtemp, stat} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {accountKeyFile, loadOrCreateAccountKey, sha256} from '../../../source/acme/account-key.js';

describe('ACME account key', () => {
	it('is made once in the lab folder, mode 0600, then kept', async () => {
		const lab = await mkdtemp(path.join(tmpdir(), 'labbox-account-'));
		const first = await loadOrCreateAccountKey(lab);
		expect(first.created).toBe(true);
		expect(createPrivateKey(first.pem).asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
		expect((await stat(path.join(lab, accountKeyFile))).mode & 0o777).toBe(0o600);
		expect(await loadOrCreateAccountKey(lab)).toEqual({pem: first.pem, created: false});
	});

	it('is made only once by two runs at the same time', async () => {
		const lab = await mkdtemp(path.join(tmpdir(), 'labbox-account-'));
		const [one, two] = await Promise.all([loadOrCreateAccountKey(lab), loadOrCreateAccountKey(lab)]);
		expect(one.pem).toBe(two.pem);
		expect([one.created, two.created].sort()).toEqual([false, true]);
	});

	it('is compared by its SHA-256 only, as sha256sum prints it', () => {
		expect(sha256('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
	});
});
