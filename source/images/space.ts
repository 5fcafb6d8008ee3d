/**
 * The disk space the lab still needs, decided before anything is changed (issue 9 item 9: a full disk was
 * found only by a failing pull, after Docker was installed and a certificate ordered).
 *
 * Sizes are documented estimates per role, not read from the registry: on a fresh server there is no Docker yet
 * to ask (`docker manifest inspect`) when the first step must decide, and registries need their own login to be
 * asked directly. The estimates are on the generous side (unpacked sizes, as `docker images` shows them); the
 * README's "Disk space" lists them. A pull that still runs out of space says so with the numbers (index.ts).
 */
import type {DiskFree} from '../remote/facts/disk-free.js';
import {hubImage} from '../templates/lab-files.js';
import type {ImageSettings} from '../templates/settings.js';
import {imageActions, notebookImages} from './plan.js';

const gib = 1024 ** 3;

/** Estimated bytes, by what takes them. */
export const estimates = {
	/** Docker Engine, CLI, containerd and Compose unpacked, plus the packages apt downloads first. */
	dockerInstall: 0.6 * gib,
	/** The notebook image: quay.io/jupyter/scipy-notebook, the default, is about 5 GB unpacked. */
	singleuser: 5 * gib,
	/** The JupyterHub image the hub is built from. */
	hub: 0.6 * gib,
	nginx: 0.1 * gib,
	/** The hub's own layer: dockerspawner, the authenticators and the idle culler with their Python packages. */
	hubBuild: 0.4 * gib,
};

/** One thing that will take space, and how much. */
export interface SpaceNeed {
	readonly what: string;
	readonly bytes: number;
	/** Where it lands: Docker's data root, or the system (packages under /usr and apt's cache). */
	readonly on: 'docker' | 'system';
}

/** What is still to come on this server: Docker's install unless it is there, then every image it lacks. */
export function spaceNeeds(images: ImageSettings, present: ReadonlySet<string>, dockerInstalled: boolean): SpaceNeed[] {
	const install: SpaceNeed[] = dockerInstalled ? [] : [{what: "Docker's install", bytes: estimates.dockerInstall, on: 'system'}];
	const notebooks = new Set(notebookImages(images));
	const size = (image: string) => (notebooks.has(image) ? estimates.singleuser : image === images.nginx ? estimates.nginx : estimates.hub);
	const pulls = imageActions(images, present).map(
		(action): SpaceNeed =>
			action.kind === 'pull'
				? {what: action.image, bytes: size(action.image), on: 'docker'}
				: {what: `the hub built as ${hubImage(images)}`, bytes: estimates.hubBuild, on: 'docker'},
	);
	return [...install, ...pulls];
}

/** Free space where Docker keeps images (`docker`) and where packages are installed (`system`). */
export interface SpaceFacts {
	readonly docker?: DiskFree;
	readonly system?: DiskFree;
	/** Docker's data root, for the message. */
	readonly dataRoot: string;
}

export const gibText = (bytes: number) => `${(bytes / gib).toFixed(1)} GiB`;

/**
 * Blocked (with the numbers and the fix) when a filesystem has less free space than what will land on it;
 * undefined when everything fits or the space could not be read (a warning elsewhere, never a guess).
 */
export function spaceVerdict(needs: readonly SpaceNeed[], facts: SpaceFacts): {readonly reason: string; readonly fix: string} | undefined {
	const {docker, system} = facts;
	// One filesystem for both (the usual case): everything counts against it together.
	const disks: ReadonlyArray<{readonly disk?: DiskFree; readonly needs: readonly SpaceNeed[]}> =
		docker && system && docker.mount === system.mount
			? [{disk: docker, needs}]
			: [
					{disk: docker, needs: needs.filter(need => need.on === 'docker')},
					{disk: system, needs: needs.filter(need => need.on === 'system')},
				];
	for (const {disk, needs: here} of disks) {
		const needed = here.reduce((sum, need) => sum + need.bytes, 0);
		if (!disk || here.length === 0 || needed <= disk.available) {
			continue;
		}
		const where =
			disk === docker
				? `on ${disk.mount}, where Docker stores images (${facts.dataRoot})`
				: `on ${disk.mount}, where packages are installed`;
		return {
			reason: `Not enough disk space: ${gibText(disk.available)} is free ${where}, but about ${gibText(needed)} is needed (${here.map(need => `${need.what} ${gibText(need.bytes)}`).join(', ')})`,
			fix: `Make room for at least ${gibText(needed - disk.available)} more on ${disk.mount} (remove what you do not need, or grow the disk), then run labbox again. The sizes are labbox's estimates per image (README, "Disk space").`,
		};
	}
	return undefined;
}
