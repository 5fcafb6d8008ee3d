import {defineConfig} from 'vitest/config';

// Three projects: `unit` and `ui` need nothing but Node; `e2e` starts the test world (test/world).
export default defineConfig({
	test: {
		projects: [
			{test: {name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node'}},
			{test: {name: 'ui', include: ['test/ui/**/*.test.{ts,tsx}'], environment: 'node'}},
			{
				test: {
					name: 'e2e',
					include: ['test/e2e/**/*.test.ts'],
					environment: 'node',
					globalSetup: ['test/world/global-setup.ts'],
					testTimeout: 600_000,
					hookTimeout: 1_800_000,
					fileParallelism: false,
				},
			},
		],
	},
});
