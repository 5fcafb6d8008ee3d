import {rm} from 'node:fs/promises';
import {IMAGE_REPO, LABEL, PREFIX, worldDir} from './config.js';
import {docker, dockerMaybe} from './docker.js';
import {say} from './log.js';

async function list(args: string[]): Promise<string[]> {
	const out = (await dockerMaybe(args)) ?? '';
	return out.split('\n').filter(Boolean);
}

/**
 * Removes what the world created and nothing else: containers (with their anonymous volumes),
 * networks and volumes whose names start with the prefix. With `all`, also the cached images (label + repo)
 * and .world/ (keys, CA, secrets): the next `up` is then a cold one.
 */
export async function down({all = false}: {all?: boolean} = {}): Promise<void> {
	if ((await dockerMaybe(['info', '--format', '{{.ServerVersion}}'])) === undefined) {
		say('docker is not running: nothing to remove');
	} else {
		const containers = (await list(['ps', '--all', '--format', '{{.Names}}'])).filter(name => name.startsWith(PREFIX));
		if (containers.length > 0) await docker(['rm', '--force', '--volumes', ...containers]);
		const networks = (await list(['network', 'ls', '--format', '{{.Name}}'])).filter(name => name.startsWith(PREFIX));
		for (const network of networks) await docker(['network', 'rm', network]);
		const volumes = (await list(['volume', 'ls', '--format', '{{.Name}}'])).filter(name => name.startsWith(PREFIX));
		if (volumes.length > 0) await docker(['volume', 'rm', '--force', ...volumes]);
		say(`removed ${containers.length} containers, ${networks.length} networks, ${volumes.length} volumes`);
		if (all) {
			const images = (await list(['image', 'ls', '--filter', `label=${LABEL}`, '--format', '{{.Repository}}:{{.Tag}}'])).filter(
				ref => ref.startsWith(`${IMAGE_REPO}/`) || ref.includes(`/${IMAGE_REPO}/`),
			);
			if (images.length > 0) await docker(['rmi', '--force', ...images]);
			say(`removed ${images.length} images`);
		}
	}
	if (all) await rm(worldDir, {recursive: true, force: true});
}
