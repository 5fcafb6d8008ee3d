// Issue 13 ("Current versions", the upgrade e2e): the lab images at the versions the product pins now (JupyterLab
// 4.6, oauthenticator 17.4, the idle culler 2.0; JupyterHub 5.4.6), built BESIDE the world's default images, which
// stay as they are: a lab set up on the defaults is upgraded to these. Plus `hub-broken`, a newer hub that cannot
// start: JupyterHub 6.1 upgrades the lab's database, then it exits. Each has its own recipe hash, so no existing
// image or tag changes; tests call currentImages(), which builds and pushes what is missing.
import {ports} from './config.js';
import {ensureBaseImage} from './base-image.js';
import {ensureImage} from './image-build.js';
import {currentVersions, hubImages, nextHubVersions, singleuserImage, tagOf, type LabImage} from './lab-images.js';
import {pushImages} from './registry.js';
import {loopbackPort} from './service-container.js';
import {readWorld} from './world-file.js';

// The hub's command in the lab's compose.yaml is `jupyterhub -f CONFIG --upgrade-db`: this entrypoint upgrades the
// database with that configuration, then fails, so that `labbox upgrade` must roll the database back too.
const brokenEntrypoint = `#!/bin/sh
jupyterhub upgrade-db -f /etc/labbox/jupyterhub_config.py
echo "hub-broken: this hub upgrades the database and then cannot start (a test image)" >&2
exit 1
`;

function brokenHubImage(hub: string): Promise<string> {
	return ensureImage({
		name: 'hub-broken',
		from: hub,
		files: {'broken-hub': brokenEntrypoint},
		dockerfile:
			'COPY broken-hub /usr/local/bin/broken-hub\nRUN chmod 0755 /usr/local/bin/broken-hub\nENTRYPOINT ["/usr/local/bin/broken-hub"]\n',
	});
}

export type CurrentImages = Record<'hubBase' | 'hub' | 'singleuser' | 'hubBroken', LabImage>;

/** Builds (unless cached) hub-base, hub and singleuser at currentVersions, and hub-broken on a JupyterHub 6.1 hub. */
export async function ensureCurrentImages(): Promise<CurrentImages> {
	const base = await ensureBaseImage('trixie');
	const [[hubBase, hub], singleuser, [, nextHub]] = await Promise.all([
		hubImages(base, currentVersions),
		singleuserImage(base, currentVersions),
		hubImages(base, nextHubVersions),
	]);
	const broken = await brokenHubImage(nextHub);
	const image = (repository: string, local: string, version: string): LabImage => ({repository, local, tag: tagOf(local, version)});
	return {
		hubBase: image('labbox/hub-base', hubBase, currentVersions.jupyterhub),
		hub: image('labbox/hub', hub, currentVersions.jupyterhub),
		singleuser: image('labbox/singleuser', singleuser, currentVersions.jupyterlab),
		hubBroken: image('labbox/hub-broken', broken, nextHubVersions.jupyterhub),
	};
}

/** The images as servers pull them from the world registry (built and pushed first when missing). */
export async function currentImages(): Promise<Record<keyof CurrentImages, string>> {
	const world = await readWorld();
	if (!world.registry) throw new Error('the world has no registry: run `npm run world -- up` first');
	const images = await ensureCurrentImages();
	const pushHost = `127.0.0.1:${await loopbackPort('registry', ports.registry)}`;
	return (await pushImages({host: world.registry.host, pushHost}, world.registry.caFile, images)) as Record<keyof CurrentImages, string>;
}
