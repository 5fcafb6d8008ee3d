import {randomBytes} from 'node:crypto';
import {existsSync} from 'node:fs';
import {mkdir, readFile, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {execa} from 'execa';
import {worldDir} from './config.js';
import {ensureHostPackages} from './host-packages.js';

export const keyPath = join(worldDir, 'id_ed25519');
const secretsPath = join(worldDir, 'secrets.json');

/** The world's SSH key (ed25519, no passphrase), made once and kept in .world/. */
export async function ensureSshKey(): Promise<{keyPath: string; publicKey: string}> {
	await mkdir(worldDir, {recursive: true});
	if (!existsSync(keyPath)) {
		await ensureHostPackages(['openssh-client']);
		await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'labbox-world', '-f', keyPath]);
	}
	return {keyPath, publicKey: (await readFile(`${keyPath}.pub`, 'utf8')).trim()};
}

export interface Secrets {
	researcherPassword: string;
	oidcClientSecret: string;
	oidcPasswords: {alice: string; bob: string};
}

/** Random passwords made on first use: nothing secret lives in the repo or in an image. */
export async function secrets(): Promise<Secrets> {
	if (existsSync(secretsPath)) return JSON.parse(await readFile(secretsPath, 'utf8')) as Secrets;
	const random = () => randomBytes(12).toString('hex');
	const made: Secrets = {
		researcherPassword: random(),
		oidcClientSecret: random(),
		oidcPasswords: {alice: random(), bob: random()},
	};
	await mkdir(worldDir, {recursive: true});
	await writeFile(secretsPath, JSON.stringify(made, null, '\t'), {mode: 0o600});
	return made;
}
