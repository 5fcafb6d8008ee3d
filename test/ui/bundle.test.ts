// The built CLI, as users run it (bin/labbox.js and the bundle in dist/, made by scripts/build.ts): what a fresh
// process loads and what it finds beside the bundle (issue 11, start-up speed).
import {execFile} from 'node:child_process';
import {readdirSync, readFileSync, writeFileSync} from 'node:fs';
import module from 'node:module';
import path from 'node:path';
import {promisify} from 'node:util';
import {execa} from 'execa';
import {beforeAll, describe, expect, it} from 'vitest';
import {quote} from '../../source/remote/command.js';
import {tempDir} from '../helpers/lab-folder.js';
import {root} from '../helpers/labbox-process.js';

const bin = path.join(root, 'bin/labbox.js');

/** Loaded with `node --import`: appends the URL of every module the process loads to $LABBOX_LOAD_LOG. */
const recorder = `import module from 'node:module';
import {appendFileSync} from 'node:fs';
const log = process.env.LABBOX_LOAD_LOG;
const load = (url, context, next) => { appendFileSync(log, url + '\\n'); return next(url, context); };
if (module.registerHooks) {
	module.registerHooks({load});
} else {
	module.register('data:text/javascript,' + encodeURIComponent('import {appendFileSync} from "node:fs"; export async function load(url, context, next) { appendFileSync(' + JSON.stringify(log) + ', url + "\\\\n"); return next(url, context); }'));
}
`;

/** The files of dist/ that a fresh `labbox ARGS` imported, run in a terminal (under script(1)) or not. */
async function bundleFilesLoadedBy(args: readonly string[], terminal: boolean): Promise<string[]> {
	const folder = tempDir('labbox-bundle-');
	const hooks = path.join(folder, 'record-loads.mjs');
	const log = path.join(folder, 'loaded.txt');
	writeFileSync(hooks, recorder);
	writeFileSync(log, '');
	const command = ['node', '--import', hooks, bin, ...args];
	const {CI: _ci, ...env} = process.env;
	const options = {
		cwd: folder,
		// execa adds process.env to `env` unless told not to: CI=true from the test run would reach labbox.
		extendEnv: false,
		env: {...env, LABBOX_LOAD_LOG: log, HOME: folder, TERM: 'xterm-256color', ...(terminal ? {} : {CI: 'true'})},
	};
	// script(1) gives the process a real terminal, so labbox picks the Ink renderer.
	const run = terminal
		? execa('script', ['-qec', command.map(quote).join(' '), '/dev/null'], options)
		: execa(command[0]!, command.slice(1), options);
	const {exitCode} = await run.catch(error => error as {exitCode: number});
	expect(exitCode).toBe(2); // lab.yaml is missing: after the renderer was made, nothing run
	const dist = `${path.join(root, 'dist')}${path.sep}`;
	return readFileSync(log, 'utf8')
		.split('\n')
		.filter(url => url.startsWith('file:'))
		.map(url => new URL(url).pathname)
		.filter(file => file.startsWith(dist))
		.map(file => file.slice(dist.length));
}

/** Which inputs each output of the build holds, from its metafile. */
function metafile(): {outputs: Record<string, {inputs: Record<string, unknown>}>} {
	return JSON.parse(readFileSync(path.join(root, 'dist/meta.json'), 'utf8')) as {
		outputs: Record<string, {inputs: Record<string, unknown>}>;
	};
}

/** The files of the bundle holding any part of React or Ink, from the build's metafile. */
function reactFiles(): string[] {
	return Object.entries(metafile().outputs)
		.filter(([, output]) => Object.keys(output.inputs).some(input => /node_modules\/(react|ink)\//.test(input)))
		.map(([file]) => path.basename(file));
}

describe('the bundle', {timeout: 60_000}, () => {
	beforeAll(async () => {
		await execa('npm', ['run', 'build'], {cwd: root});
	}, 120_000);

	it('has React and Ink in chunks of their own (the checks below can see them)', () => {
		expect(reactFiles().length).toBeGreaterThan(0);
		expect(reactFiles()).not.toContain('labbox.js');
	});

	// A plain run (CI, --plain, labbox plan) never draws with Ink: it must not pay for loading it.
	it('a plain run imports no chunk holding React or Ink', async () => {
		const loaded = await bundleFilesLoadedBy(['--yes', '--dir', 'lab'], false);
		expect(loaded).toContain('labbox.js');
		expect(loaded.filter(file => reactFiles().includes(file))).toEqual([]);
	});

	it('a run in a terminal imports them (the recorder sees a chunk when it is imported)', async () => {
		const loaded = await bundleFilesLoadedBy(['--yes', '--dir', 'lab'], true);
		expect(loaded.filter(file => reactFiles().includes(file)).length).toBeGreaterThan(0);
	});

	// Node 22.1+ only: Node 20 has no module.enableCompileCache.
	it('keeps its compiled code in the temporary folder on a Node that can', async () => {
		const temporary = tempDir('labbox-tmp-');
		await promisify(execFile)('node', [bin, '--version'], {cwd: temporary, env: {...process.env, TMPDIR: temporary}});
		const cached = readdirSync(temporary).includes('node-compile-cache');
		expect(cached).toBe(typeof (module as {enableCompileCache?: unknown}).enableCompileCache === 'function');
	});

	// Issue 11, speed: zod's 40 languages were 366 KB of code compiled at every start, never used.
	it("holds zod's English messages only, and still checks every value with zod", async () => {
		const inputs = Object.values(metafile().outputs).flatMap(output => Object.keys(output.inputs));
		expect(inputs.filter(input => input.includes('zod/v4/locales/')).map(input => path.basename(input))).toEqual(['en.js']);
		const checked = await execa('node', [bin, 'plan', '--yes', '--server-host', '192.0.2.1', '--server-port', '0'], {
			cwd: tempDir(),
			reject: false,
			env: {CI: 'true'},
		});
		expect(checked.exitCode).toBe(2);
		expect(checked.stderr).toContain('server.port: 0 (from --server-port) is not valid: expected a whole number from 1 to 65535');
	});

	it('has source maps naming the source files (for node --enable-source-maps)', () => {
		const map = JSON.parse(readFileSync(path.join(root, 'dist/labbox.js.map'), 'utf8')) as {sources: string[]};
		expect(map.sources).toContain('../source/cli/main.ts');
	});

	it('finds package.json beside the bundle for its version', async () => {
		const {version} = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {version: string};
		const {stdout} = await promisify(execFile)('node', [bin, '--version'], {cwd: tempDir()});
		expect(stdout.trim()).toBe(version);
	});
});
