import {afterAll, beforeAll} from 'vitest';
import {startServer, type Server} from './index.js';
import type {Variant} from './server-image.js';

/**
 * For a describe block: a fresh server of the variant before its tests, removed after them.
 * Returns a getter, as the server exists only once beforeAll has run.
 */
export function freshServer(variant: Variant = 'debian13', then?: (server: Server) => Promise<void>): () => Server {
	let server: Server | undefined;
	beforeAll(async () => {
		server = await startServer(variant);
		await then?.(server);
	});
	afterAll(async () => {
		await server?.remove();
	});
	return () => {
		if (!server) throw new Error('the fresh server is not started yet (use it inside a test)');
		return server;
	};
}
