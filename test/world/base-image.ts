import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {execa} from 'execa';
import {IMAGE_REPO, LABEL} from './config.js';
import {imageExists} from './docker.js';
import {onceByKey} from './once.js';
import {ensureHostPackages} from './host-packages.js';
import {debianMirror} from './mirror.js';
import {recipeHash} from './recipe-hash.js';

export type Suite = 'trixie' | 'bookworm';

/**
 * A Debian base image made without any image registry: debootstrap into a folder, then
 * `docker import`. Tagged with the hash of its recipe, so it is built once per recipe.
 */
export async function ensureBaseImage(suite: Suite): Promise<string> {
	const mirror = await debianMirror();
	const tag = `${IMAGE_REPO}/base-${suite}:${recipeHash(suite, variant, mirror)}`;
	return once(tag, () => debootstrap(suite, mirror, tag));
}

const variant = 'minbase';
const once = onceByKey<string>();

async function debootstrap(suite: Suite, mirror: string, tag: string): Promise<string> {
	if (await imageExists(tag)) return tag;
	await ensureHostPackages(['debootstrap']);
	const dir = await mkdtemp(join(tmpdir(), 'labbox-world-debootstrap-'));
	try {
		await execa('debootstrap', [`--variant=${variant}`, suite, dir, mirror], {stdio: ['ignore', 'ignore', 'inherit']});
		// Keep the image small: package lists and caches are fetched again by each build.
		await execa('sh', ['-c', 'rm -rf "$1"/var/cache/apt/archives/*.deb "$1"/var/lib/apt/lists/*', 'sh', dir]);
		const importScript = 'set -o pipefail 2>/dev/null; tar -C "$1" -c . | docker import --change "$2" - "$3"';
		await execa('bash', ['-c', importScript, 'import', dir, `LABEL ${LABEL}=base`, tag], {stdio: ['ignore', 'ignore', 'inherit']});
	} finally {
		await rm(dir, {recursive: true, force: true});
	}
	return tag;
}
