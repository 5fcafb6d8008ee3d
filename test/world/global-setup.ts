// Vitest global setup of the e2e project: the world is up (and world.json written) before any test.
import {up} from './up.js';

export default async function setup(): Promise<void> {
	await up();
}
