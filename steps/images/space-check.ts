/** Reads what the space decision needs from the server, in one round trip, and decides (issue 9 item 9). */
import type {Check, StepContext} from '../../source/engine/types.js';
import {diskFree, dockerDiskFree, dockerDataRoot} from '../../source/remote/facts/disk-free.js';
import type {Fact} from '../../source/remote/facts/fact.js';
import {gatherFacts} from '../../source/remote/facts/gather.js';
import type {LabShell} from '../../source/remote/lab-session.js';
import {imageSettings} from '../../source/templates/settings.js';
import {imagePresent} from './commands.js';
import {watchedImages} from './decide.js';
import {spaceNeeds, spaceVerdict} from './space.js';

const dockerInstalled: Fact<boolean> = {name: 'dockerd-installed', command: ['command', '-v', 'dockerd'], parse: output => output.trim() !== ''};

/** Blocked when what the lab still needs (Docker's install, the images it lacks) does not fit; else undefined. */
export async function spaceCheck(ctx: StepContext, shell: LabShell): Promise<Extract<Check, {status: 'blocked'}> | undefined> {
	const images = imageSettings(ctx.config);
	const watched = watchedImages(images);
	const facts = await gatherFacts(
		shell,
		{
			installed: dockerInstalled,
			docker: dockerDiskFree,
			system: diskFree('/usr', 'system-disk-free'),
			...Object.fromEntries(watched.map((image, index) => [`image${index}`, imagePresent(image)])),
		},
		{signal: ctx.signal},
	);
	const found = facts as Readonly<Record<string, unknown>>;
	const present = new Set(watched.filter((_image, index) => found[`image${index}`] === true));
	const needs = spaceNeeds(images, present, facts.installed === true);
	const verdict = spaceVerdict(needs, {docker: facts.docker, system: facts.system, dataRoot: facts.docker?.dataRoot ?? dockerDataRoot});
	return verdict && {status: 'blocked', ...verdict};
}
