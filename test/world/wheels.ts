import {existsSync} from 'node:fs';
import {mkdir, rename, rm} from 'node:fs/promises';
import {join} from 'node:path';
import {execa} from 'execa';
import {worldDir} from './config.js';
import {ensureHostPackages} from './host-packages.js';
import {onceByKey} from './once.js';
import {recipeHash} from './recipe-hash.js';

// Debian 13's Python, for which the wheels are chosen (whatever Python runs this machine's pip).
export const target = [
	'--only-binary=:all:',
	'--implementation',
	'cp',
	'--python-version',
	'3.13',
	'--abi',
	'cp313',
	'--platform',
	'manylinux_2_28_x86_64',
	'--platform',
	'manylinux_2_17_x86_64',
	'--platform',
	'manylinux2014_x86_64',
];

async function pip(): Promise<string[]> {
	const probe = await execa('python3', ['-m', 'pip', '--version'], {reject: false});
	if (probe.exitCode !== 0) await ensureHostPackages(['python3-pip']);
	return ['python3', '-m', 'pip'];
}

/**
 * PyPI wheels for the requirements (and everything they need), downloaded on the test machine with
 * `pip download` into .world/wheels/HASH: image builds copy them in, as no container reaches PyPI
 * through an image registry. Cached by the requirement list.
 */
export function ensureWheels(requirements: string[]): Promise<{dir: string; key: string}> {
	const key = recipeHash('wheels', requirements, target);
	return once(key, () => download(requirements, key));
}

const once = onceByKey<{dir: string; key: string}>();

async function download(requirements: string[], key: string): Promise<{dir: string; key: string}> {
	const dir = join(worldDir, 'wheels', key);
	if (existsSync(dir)) return {dir, key};
	const partial = `${dir}.partial`;
	await rm(partial, {recursive: true, force: true});
	await mkdir(partial, {recursive: true});
	const [command, ...args] = await pip();
	await execa(command, [...args, 'download', '--quiet', '--no-cache-dir', ...target, '--dest', partial, ...requirements], {
		stdio: ['ignore', 'ignore', 'pipe'],
	});
	await rename(partial, dir);
	return {dir, key};
}
