import {cp, mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {execa} from 'execa';
import {IMAGE_REPO, LABEL} from './config.js';
import {imageExists} from './docker.js';
import {onceByKey} from './once.js';
import {recipeHash} from './recipe-hash.js';

export interface ImageRecipe {
	name: string;
	/** Dockerfile text; `FROM` is prepended from `from`. */
	dockerfile: string;
	from: string;
	/** Small files written into the build context, by name. */
	files?: Record<string, string>;
	/** A folder copied into the build context as `dest`, named in the hash by `key` (not by content). */
	folder?: {src: () => Promise<string>; dest: string; key: string};
}

export function imageTag(recipe: ImageRecipe): string {
	const hash = recipeHash(recipe.name, recipe.from, recipe.dockerfile, recipe.files ?? {}, recipe.folder?.key ?? '');
	return `${IMAGE_REPO}/${recipe.name}:${hash}`;
}

const once = onceByKey<string>();

/** Builds the image unless an image with its recipe's hash already exists; returns its tag. */
export function ensureImage(recipe: ImageRecipe): Promise<string> {
	const tag = imageTag(recipe);
	return once(tag, () => build(recipe, tag));
}

async function build(recipe: ImageRecipe, tag: string): Promise<string> {
	if (await imageExists(tag)) return tag;
	const context = await mkdtemp(join(tmpdir(), 'labbox-world-build-'));
	try {
		await writeFile(join(context, 'Dockerfile'), `FROM ${recipe.from}\nLABEL ${LABEL}=${recipe.name}\n${recipe.dockerfile}`);
		for (const [name, content] of Object.entries(recipe.files ?? {})) await writeFile(join(context, name), content);
		if (recipe.folder) await cp(await recipe.folder.src(), join(context, recipe.folder.dest), {recursive: true});
		// The classic builder: no buildx plugin is needed, and nothing is pulled (FROM is local).
		await execa('docker', ['build', '-q', '-t', tag, context], {
			env: {DOCKER_BUILDKIT: '0'},
			// Quiet: the build log is in the error if it fails (and the deprecation notice is noise).
			stdio: ['ignore', 'ignore', 'pipe'],
		});
	} finally {
		await rm(context, {recursive: true, force: true});
	}
	return tag;
}
