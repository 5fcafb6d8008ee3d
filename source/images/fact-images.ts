/**
 * Every image reference a run asks the server about in its one round trip of facts: the images step's watched
 * images and the certificate's renewer. The facts of both steps ask with the same list, so ONE `docker image
 * inspect` answers them all on a no-op run (issue 11, speed).
 */
import type {LabConfig} from '../config/fields.js';
import {defaultRenewerImage} from '../templates/renewer.js';
import {imageSettings} from '../templates/settings.js';
import {watchedImages} from './plan.js';

/** The renewer's image, when the certificate step has one (letsencrypt). */
export function renewerImage(config: LabConfig): string | undefined {
	return config['certificate.mode'] === 'letsencrypt' ? (config['certificate.renewerImage'] ?? defaultRenewerImage) : undefined;
}

export function factImages(config: LabConfig): string[] {
	const renewer = renewerImage(config);
	return [...new Set([...watchedImages(imageSettings(config)), ...(renewer === undefined ? [] : [renewer])])];
}
