import type {LabConfig} from '../../source/config/fields.js';
import {gatherFacts} from '../../source/remote/facts/gather.js';
import {labShell, type LabShell} from '../../source/remote/lab-session.js';
import {stepCommands, type StepCommands} from '../../source/remote/step-commands.js';
import {imageSettings} from '../../source/templates/settings.js';
import type {Check, Step, StepContext, StepIO} from '../../source/engine/types.js';
import {CommandFailedError} from '../../source/remote/errors.js';
import {dockerDiskFree} from '../../source/remote/facts/docker.js';
import {noSpaceLeft} from '../../source/remote/output-errors.js';
import {buildImage, imagePresent, pullImage} from '../../source/remote/commands/docker-images.js';
import {imageFailure} from './failure.js';
import {spaceBlocked, spaceFacts} from '../../source/images/space-check.js';
import {estimates, spaceNeeds} from '../../source/images/space.js';
import {describeAction, environmentsNote, imageActions, watchedImages, type ImageAction} from '../../source/images/plan.js';
import {buildStep, PullProgress} from './progress.js';

/** The references present on the server, in one round trip. */
async function presentImages(ctx: StepContext, shell: LabShell, images: readonly string[]): Promise<Set<string>> {
	const facts = Object.fromEntries(images.map((image, index) => [`image${index}`, imagePresent(image, images)]));
	const found = await gatherFacts(shell, facts, {signal: ctx.signal});
	return new Set(images.filter((_image, index) => found[`image${index}`] === true));
}

/** The check, pure: the space facts (which watched images are there, the free space) and the configuration in (issue 11). */
export function checkImages(facts: Readonly<Record<string, unknown>>, config: LabConfig): Check {
	const images = imageSettings(config);
	const present = new Set(watchedImages(images).filter((_image, index) => facts[`image${index}`] === true));
	const actions = imageActions(images, present);
	if (actions.length === 0) {
		return {status: 'done', detail: `every image is on the server${environmentsNote(images)}`};
	}
	return spaceBlocked(facts, config) ?? {status: 'todo', changes: actions.map(describeAction)};
}

async function decide(ctx: StepContext, shell: LabShell): Promise<ImageAction[]> {
	const images = imageSettings(ctx.config);
	return imageActions(images, await presentImages(ctx, shell, watchedImages(images)));
}

/** Runs one action, reporting its share of the step's progress (action `index` of `count`). */
async function run(
	ctx: StepContext,
	shell: LabShell,
	commands: StepCommands,
	io: StepIO,
	action: ImageAction,
	index: number,
	count: number,
) {
	const report = (fraction: number, label: string) => io.progress((index + fraction) / count, label);
	const command = action.kind === 'pull' ? pullImage(action.image) : buildImage(action.image);
	io.detail(describeAction(action));
	const pull = new PullProgress();
	const running = commands.run(command, {
		stdin: action.kind === 'build' ? action.dockerfile : undefined,
		onLine(line) {
			if (action.kind === 'pull' && pull.feed(line)) {
				report(pull.fraction, `${action.image}: ${pull.label}`);
			}
			const step = action.kind === 'build' ? buildStep(line) : undefined;
			if (step !== undefined) {
				report(step, `building ${action.image}: ${line.slice(0, 60)}`);
			}
		},
	});
	await running.catch(async (error: unknown) => {
		throw await failure(ctx, shell, action, error);
	});
	report(1, `${action.image} ready`);
}

/** A failed pull or build: the real cause, with the free space where Docker stores images when the disk is full. */
async function failure(ctx: StepContext, shell: LabShell, action: ImageAction, error: unknown): Promise<unknown> {
	if (!(error instanceof CommandFailedError)) {
		return error;
	}
	const images = imageSettings(ctx.config);
	const needed =
		action.kind === 'build' ? estimates.hubBuild : spaceNeeds(images, new Set(), true).find(need => need.what === action.image)?.bytes;
	const disk = noSpaceLeft(error.output ?? [])
		? (await gatherFacts(shell, {docker: dockerDiskFree}, {signal: ctx.signal}).catch(() => undefined))?.docker
		: undefined;
	return imageFailure(action, error, disk, needed);
}

export const images: Step = {
	id: 'images',
	title: 'Images',
	summary: 'the single-user, nginx and hub images are on the server, at the pinned versions',
	dependsOn: ['docker'],
	inputs: ['images.singleuser', 'images.choices', 'images.hub', 'images.hubBuild', 'images.nginx'],
	facts: ({config}) => spaceFacts(config),
	async check(ctx): Promise<Check> {
		return checkImages(await ctx.facts(), ctx.config);
	},
	async apply(ctx, io) {
		const shell = await labShell(ctx);
		// Decided again: a run killed half-way left some images, which are not pulled twice.
		const actions = await decide(ctx, shell);
		const commands = stepCommands(ctx, io, shell);
		for (const [index, action] of actions.entries()) {
			await run(ctx, shell, commands, io, action, index, actions.length);
		}
		io.progress(1);
		io.detail(`every image is on the server${environmentsNote(imageSettings(ctx.config))}`);
		// Applied because docker or the image settings changed, with every image already there (issue 10 item 10).
		return actions.length === 0 ? 'unchanged' : undefined;
	},
};
