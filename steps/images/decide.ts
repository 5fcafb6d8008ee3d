/**
 * What the images step must do, as data (pyinfra style): facts in (which references the server has),
 * actions out; no action means every image is there at its pinned version.
 */
import {hubDockerfile, hubImage, type ImageSettings} from '../../source/templates/lab-files.js';

/** One thing to do on the server. */
export type ImageAction =
	| {readonly kind: 'pull'; readonly image: string}
	| {readonly kind: 'build'; readonly image: string; readonly dockerfile: string};

/** Every reference whose presence matters, in the order they are checked. */
export function watchedImages(images: ImageSettings): string[] {
	const hub = images.hubBuild ? [hubImage(images), images.hub] : [images.hub];
	return [...new Set([images.singleuser, images.nginx, ...hub])];
}

/** The pulls and build still needed, given the references present on the server. */
export function imageActions(images: ImageSettings, present: ReadonlySet<string>): ImageAction[] {
	const actions: ImageAction[] = [];
	const pull = (image: string) => {
		if (!present.has(image) && !actions.some(action => action.image === image)) {
			actions.push({kind: 'pull', image});
		}
	};
	pull(images.singleuser);
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
	return action.kind === 'pull' ? `pull ${action.image}` : `build ${action.image} (the hub, from its Dockerfile)`;
}
