/** What the space decision needs from the server, as facts, and the decision from them (issue 9 item 9). */
import type {LabConfig} from '../config/fields.js';
import type {Check} from '../engine/types.js';
import {diskFree} from '../remote/facts/disk-free.js';
import {dockerDataRoot, dockerDiskFree} from '../remote/facts/docker.js';
import type {Fact} from '../remote/facts/fact.js';
import type {FactSet} from '../remote/facts/gather.js';
import {imageSettings} from '../templates/settings.js';
import {imagePresent} from '../remote/commands/docker-images.js';
import {watchedImages} from './plan.js';
import {factImages} from './fact-images.js';
import {spaceNeeds, spaceVerdict} from './space.js';

const dockerInstalled: Fact<boolean> = {
	name: 'dockerd-installed',
	command: ['command', '-v', 'dockerd'],
	parse: output => output.trim() !== '',
};

/** The facts of the space decision: Docker installed, the free space, which watched images are there (`image0`…). */
export function spaceFacts(config: LabConfig) {
	return {
		dockerInstalled,
		dockerDisk: dockerDiskFree,
		systemDisk: diskFree('/usr', 'system-disk-free'),
		...Object.fromEntries(
			watchedImages(imageSettings(config)).map((image, index) => [`image${index}`, imagePresent(image, factImages(config))]),
		),
	} satisfies FactSet;
}

/** Blocked when what the lab still needs (Docker's install, the images it lacks) does not fit; else undefined. Pure. */
export function spaceBlocked(facts: Readonly<Record<string, unknown>>, config: LabConfig): Extract<Check, {status: 'blocked'}> | undefined {
	const images = imageSettings(config);
	const watched = watchedImages(images);
	const present = new Set(watched.filter((_image, index) => facts[`image${index}`] === true));
	const docker = facts.dockerDisk as ReturnType<typeof dockerDiskFree.parse>;
	const needs = spaceNeeds(images, present, facts.dockerInstalled === true);
	const verdict = spaceVerdict(needs, {
		docker,
		system: facts.systemDisk as ReturnType<ReturnType<typeof diskFree>['parse']>,
		dataRoot: docker?.dataRoot ?? dockerDataRoot,
	});
	return verdict && {status: 'blocked', ...verdict};
}
