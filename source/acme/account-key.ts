/**
 * The ACME account key: made once, kept in the lab folder (0600) so every later run and the server's renewer
 * use the same account. Never logged: only its SHA-256 is compared with the server's copy.
 */
import {createHash, generateKeyPairSync} from 'node:crypto';
import {readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';

/** The account key's file name in the lab folder. */
export const accountKeyFile = 'acme-account.key';

/** The lab folder's account key (PEM), made now (ECDSA P-256, PKCS#8, mode 0600) when there is none. */
export async function loadOrCreateAccountKey(labDir: string): Promise<{readonly pem: string; readonly created: boolean}> {
	const file = path.join(labDir, accountKeyFile);
	const existing = await readFile(file, 'utf8').catch(() => undefined);
	if (existing) {
		return {pem: existing, created: false};
	}
	const {privateKey} = generateKeyPairSync('ec', {namedCurve: 'P-256'});
	const pem = privateKey.export({type: 'pkcs8', format: 'pem'}).toString();
	// `wx`: two runs at once cannot both make one; the loser reads the winner's.
	const written = await writeFile(file, pem, {mode: 0o600, flag: 'wx'}).then(
		() => true,
		() => false,
	);
	return written ? {pem, created: true} : {pem: await readFile(file, 'utf8'), created: false};
}

/** SHA-256 of a text, hex, as `sha256sum` prints it. */
export function sha256(text: string | Buffer): string {
	return createHash('sha256').update(text).digest('hex');
}
