import {execFile} from 'node:child_process';
import {writeFile} from 'node:fs/promises';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {promisify} from 'node:util';
import {describe, expect, it} from 'vitest';
import {chooseRendererKind, type RendererKind} from '../../source/ui/renderer.js';
import {tempDir} from '../helpers/lab-folder.js';
import {root} from '../helpers/labbox-process.js';

describe('chooseRendererKind', () => {
	it.each([
		[{isTTY: true, ci: false}, 'ink'],
		[{isTTY: true, ci: false, plain: false}, 'ink'],
		[{isTTY: true, ci: false, plain: true}, 'plain'],
		[{isTTY: false, ci: false}, 'plain'],
		[{isTTY: true, ci: true}, 'plain'],
	] as const)('%j gives %s', (options, kind) => {
		expect(chooseRendererKind(options)).toBe(kind);
	});
});

/** The React files a fresh process has loaded after making (and closing) a renderer of this kind. */
async function reactLoadedBy(kind: RendererKind): Promise<string[]> {
	const script = path.join(tempDir('labbox-renderer-'), 'make.mjs');
	const renderer = pathToFileURL(path.join(root, 'source/ui/renderer.ts')).href;
	await writeFile(
		script,
		`import {createRequire} from 'node:module';
const {createRenderer} = await import(${JSON.stringify(renderer)});
const made = await createRenderer(${JSON.stringify(kind)}, {stdout: process.stdout, onInterrupt() {}});
await made.close();
// React is CommonJS: every file of it that was loaded is in the require cache.
console.error(JSON.stringify(Object.keys(createRequire(import.meta.url).cache).filter(file => /node_modules[\\\\/]react/.test(file))));
`,
	);
	const tsx = pathToFileURL(path.join(root, 'node_modules/tsx/dist/loader.mjs')).href;
	const {stderr} = await promisify(execFile)('node', ['--import', tsx, script], {
		cwd: root,
		env: {...process.env, TSX_TSCONFIG_PATH: path.join(root, 'tsconfig.json')},
	});
	return JSON.parse(stderr.trim().split('\n').at(-1)!) as string[];
}

describe('createRenderer', () => {
	// A plain or JSON run (CI, --plain, labbox plan) never draws with Ink: it must not pay for loading it (issue 11, speed).
	it.each<RendererKind>(['plain', 'json'])(
		'the %s renderer loads neither Ink nor React',
		async kind => {
			expect(await reactLoadedBy(kind)).toEqual([]);
		},
		30_000,
	);

	it('the ink renderer does load React (the check above can see it)', async () => {
		expect((await reactLoadedBy('ink')).length).toBeGreaterThan(0);
	}, 30_000);
});
