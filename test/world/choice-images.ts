// Issue 14: two images beside the lab images, built FROM them so that no existing recipe or tag changes:
// `hub-local` (the world's hub + NativeAuthenticator, for `auth.type: local`) and `singleuser-second` (a second
// notebook environment, for `images.choices`). Each is tagged by its own recipe's hash.
import {existsSync} from 'node:fs';
import {mkdir, rename, rm} from 'node:fs/promises';
import {join} from 'node:path';
import {execa} from 'execa';
import {ports, worldDir} from './config.js';
import {ensureCurrentImages} from './current-images.js';
import {ensureImage} from './image-build.js';
import {ensureLabImages, type LabImage} from './lab-images.js';
import {onceByKey} from './once.js';
import {recipeHash} from './recipe-hash.js';
import {loopbackPort} from './service-container.js';
import {pushImages} from './registry.js';
import {target} from './wheels.js';
import {readWorld} from './world-file.js';

// The product's pins (templates/jupyterhub/Dockerfile). onetimepass (a NativeAuthenticator dependency) is
// published as a source archive only: it is built into a wheel here, the rest are PyPI wheels.
export const localAuthVersions = {nativeauthenticator: '1.3.0', bcrypt: '4.3.0', onetimepass: '1.0.1', six: '1.17.0'} as const;

const binaries = [
	`jupyterhub-nativeauthenticator==${localAuthVersions.nativeauthenticator}`,
	`bcrypt==${localAuthVersions.bcrypt}`,
	`six==${localAuthVersions.six}`,
];
const fromSource = [`onetimepass==${localAuthVersions.onetimepass}`];

const once = onceByKey<{dir: string; key: string}>();

/** The wheels of NativeAuthenticator and its dependencies (not JupyterHub's: the hub image has them). */
function localAuthWheels(): Promise<{dir: string; key: string}> {
	const key = recipeHash('wheels-local-auth', binaries, fromSource, target);
	return once(key, async () => {
		const dir = join(worldDir, 'wheels', key);
		if (existsSync(dir)) return {dir, key};
		const partial = `${dir}.partial`;
		await rm(partial, {recursive: true, force: true});
		await mkdir(partial, {recursive: true});
		const quiet = {stdio: ['ignore', 'ignore', 'pipe']} as const;
		await execa(
			'python3',
			['-m', 'pip', 'download', '--quiet', '--no-cache-dir', '--no-deps', ...target, '--dest', partial, ...binaries],
			quiet,
		);
		await execa('python3', ['-m', 'pip', 'wheel', '--quiet', '--no-cache-dir', '--no-deps', '--wheel-dir', partial, ...fromSource], quiet);
		await rename(partial, dir);
		return {dir, key};
	});
}

/** The world's hub image with NativeAuthenticator installed on top. */
async function hubLocalImage(hub: string): Promise<string> {
	const wheels = await localAuthWheels();
	return ensureImage({
		name: 'hub-local',
		from: hub,
		dockerfile: `COPY wheels /tmp/wheels
RUN pip install --no-cache-dir --no-index --find-links /tmp/wheels ${[...binaries, ...fromSource].join(' ')} && rm -rf /tmp/wheels
`,
		folder: {src: async () => wheels.dir, dest: 'wheels', key: wheels.key},
	});
}

/** A second notebook environment: the world's singleuser image, told apart by a variable and a label. */
function secondSingleuserImage(singleuser: string): Promise<string> {
	return ensureImage({
		name: 'singleuser-second',
		from: singleuser,
		dockerfile: 'ENV LABBOX_ENVIRONMENT=second\nLABEL org.labbox.environment=second\n',
	});
}

export type ChoiceImages = Record<'hubLocal' | 'singleuserSecond', LabImage>;

/** Builds (unless cached) the two images on top of the lab images `hub` and `singleuser` (local tags). */
export async function ensureChoiceImages(hub: LabImage, singleuser: LabImage): Promise<ChoiceImages> {
	const [hubLocal, second] = await Promise.all([hubLocalImage(hub.local), secondSingleuserImage(singleuser.local)]);
	const image = (repository: string, local: string, version: string): LabImage => ({
		repository,
		local,
		tag: `${version}-${local.split(':').pop()}`,
	});
	return {
		hubLocal: image('labbox/hub-local', hubLocal, `${hub.tag}-native${localAuthVersions.nativeauthenticator}`),
		singleuserSecond: image('labbox/singleuser-second', second, singleuser.tag),
	};
}

/**
 * The two images as servers pull them from the world registry, built and pushed first when missing (a second
 * later when they are): e2e tests call this rather than reading world.json, which another clone's older `up`
 * may have rewritten without them.
 */
export async function choiceImages(): Promise<Record<keyof ChoiceImages, string>> {
	const world = await readWorld();
	if (!world.registry) throw new Error('the world has no registry: run `npm run world -- up` first');
	// Issue 13: hub-local on the hub at the product's current pins (oauthenticator 17.4, the culler 2.0), so that a hub built on the server from it (templates/jupyterhub/Dockerfile) finds every pin installed.
	// `up` still builds the one on the default hub (5.4.6): its tag, which other worktrees use, stays.
	const [labImages, current] = await Promise.all([ensureLabImages(), ensureCurrentImages()]);
	const images = await ensureChoiceImages(current.hub, labImages.singleuser);
	const pushHost = `127.0.0.1:${await loopbackPort('registry', ports.registry)}`;
	return (await pushImages({host: world.registry.host, pushHost}, world.registry.caFile, images)) as Record<keyof ChoiceImages, string>;
}
