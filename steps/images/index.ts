import {toShell} from '../../source/remote/command.js';
import {gatherFacts} from '../../source/remote/facts/gather.js';
import {labShell, type LabShell} from '../../source/remote/lab-session.js';
import {imageSettings} from '../../source/templates/settings.js';
import {StepError, type Check, type Step, type StepContext, type StepIO} from '../../source/engine/types.js';
import {CommandFailedError} from '../../source/remote/errors.js';
import {buildImage, imagePresent, pullImage} from './commands.js';
import {describeAction, imageActions, watchedImages, type ImageAction} from './decide.js';
import {buildStep, PullProgress} from './progress.js';

/** The references present on the server, in one round trip. */
async function presentImages(ctx: StepContext, shell: LabShell, images: readonly string[]): Promise<Set<string>> {
	const facts = Object.fromEntries(images.map((image, index) => [`image${index}`, imagePresent(image)]));
	const found = await gatherFacts(shell, facts, {signal: ctx.signal});
	return new Set(images.filter((_image, index) => found[`image${index}`] === true));
}

async function decide(ctx: StepContext, shell: LabShell): Promise<ImageAction[]> {
	const images = imageSettings(ctx.config);
	return imageActions(images, await presentImages(ctx, shell, watchedImages(images)));
}

/** Runs one action, reporting its share of the step's progress (action `index` of `count`). */
async function run(ctx: StepContext, shell: LabShell, io: StepIO, action: ImageAction, index: number, count: number) {
	const report = (fraction: number, label: string) => io.progress((index + fraction) / count, label);
	const command = action.kind === 'pull' ? pullImage(action.image) : buildImage(action.image);
	io.line(`$ ${toShell(command)}`);
	io.detail(describeAction(action));
	const pull = new PullProgress();
	const running = shell.run(command, {
		sudo: true,
		signal: ctx.signal,
		stdin: action.kind === 'build' ? action.dockerfile : undefined,
		onLine(line, stream) {
			io.line(line, stream);
			if (action.kind === 'pull' && pull.feed(line)) {
				report(pull.fraction, `${action.image}: ${pull.label}`);
			}
			const step = action.kind === 'build' ? buildStep(line) : undefined;
			if (step !== undefined) {
				report(step, `building ${action.image}: ${line.slice(0, 60)}`);
			}
		},
	});
	await running.catch((error: unknown) => {
		throw failure(action, error);
	});
	report(1, `${action.image} ready`);
}

/** A failed pull or build, with Docker's last lines and what to check. */
function failure(action: ImageAction, error: unknown): unknown {
	if (!(error instanceof CommandFailedError)) {
		return error;
	}
	const hint =
		action.kind === 'pull'
			? `Check that ${action.image} exists (name and tag in lab.yaml's images.* keys), that the server reaches its registry, and that it trusts the registry's certificate (/etc/docker/certs.d/HOST:PORT/ca.crt).`
			: 'Check the output above: the build installs the hub\'s Python packages, so the server must reach the Python package index.';
	return new StepError(`Could not ${action.kind} ${action.image} (exit code ${error.code}).`, hint, error.output);
}

export const images: Step = {
	id: 'images',
	title: 'Images',
	summary: 'the single-user, nginx and hub images are on the server, at the pinned versions',
	dependsOn: ['docker'],
	inputs: ['images.singleuser', 'images.hub', 'images.hubBuild', 'images.nginx'],
	async check(ctx): Promise<Check> {
		const actions = await decide(ctx, await labShell(ctx));
		return actions.length === 0 ? {status: 'done', detail: 'every image is on the server'} : {status: 'todo', changes: actions.map(describeAction)};
	},
	async apply(ctx, io) {
		const shell = await labShell(ctx);
		// Decided again: a run killed half-way left some images, which are not pulled twice.
		const actions = await decide(ctx, shell);
		for (const [index, action] of actions.entries()) {
			await run(ctx, shell, io, action, index, actions.length);
		}
		io.progress(1);
		io.detail('every image is on the server');
	},
};
