/**
 * What the images step must do, as data (pyinfra style): facts in (which references the server has),
 * actions out; no action means every image is there at its pinned version.
 */
import {hubDockerfile, hubImage} from '../templates/lab-files.js';
import type {ImageSettings} from '../templates/settings.js';

/** One thing to do on the server. */
export type ImageAction =
	| {
			readonly kind: 'pull';
			readonly image: string /** The environments (images.choices) it is for. */;
			readonly environments?: readonly string[];
	  }
	| {readonly kind: 'build'; readonly image: string; readonly dockerfile: string};

/** The notebook images: every environment's (images.choices, issue 14 item 2), else images.singleuser. */
export function notebookImages(images: ImageSettings): string[] {
	return images.choices?.length ? [...new Set(images.choices.map(choice => choice.image))] : [images.singleuser];
}

/** Every reference whose presence matters, in the order they are checked. */
export function watchedImages(images: ImageSettings): string[] {
	const hub = images.hubBuild ? [hubImage(images), images.hub] : [images.hub];
	return [...new Set([...notebookImages(images), images.nginx, ...hub])];
}

/** The pulls and build still needed, given the references present on the server. */
export function imageActions(images: ImageSettings, present: ReadonlySet<string>): ImageAction[] {
	const actions: ImageAction[] = [];
	const pull = (image: string) => {
		if (!present.has(image) && !actions.some(action => action.image === image)) {
			const environments = (images.choices ?? []).filter(choice => choice.image === image).map(choice => choice.name);
			actions.push(environments.length > 0 ? {kind: 'pull', image, environments} : {kind: 'pull', image});
		}
	};
	notebookImages(images).forEach(pull);
	pull(images.nginx);
	if (!images.hubBuild) {
		pull(images.hub);
	} else if (!present.has(hubImage(images))) {
		// The base is needed only to build: a hub already built at this Dockerfile's tag needs neither.
		pull(images.hub);
		actions.push({kind: 'build', image: hubImage(images), dockerfile: hubDockerfile(images)});
	}
	return actions;
}

/** One line per action, for the plan. */
export function describeAction(action: ImageAction): string {
	if (action.kind === 'build') {
		return `build ${action.image} (the hub, from its Dockerfile)`;
	}
	return action.environments
		? `pull ${action.image} (${action.environments.map(name => `environment "${name}"`).join(', ')})`
		: `pull ${action.image}`;
}

/** The environments users pick from, for the step's detail (`labbox plan`, issue 14 item 2); empty without choices. */
export function environmentsNote(images: ImageSettings): string {
	return images.choices?.length ? ` (environments: ${images.choices.map(choice => choice.name).join(', ')})` : '';
}
