// Builds dist/: an esbuild bundle of the CLI, split at its dynamic imports (issue 11, start-up speed).
// Loading what a plain run needs from one bundle is about half the time of loading tsc's hundreds of files;
// splitting keeps what is loaded on demand (Ink and React for the TUI, @peculiar/x509 for self-signed
// certificates, ssh2's session) out of the start-up. `npm run build` (and npm ci's `prepare`) runs this.
// Every file lands flat in dist/, one folder below the package: source/package-files.ts finds templates/
// and package.json from there.
import {existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {build, type Plugin} from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = path.join(root, 'dist');

/**
 * zod's messages in 40 languages (`z.locales`, 366 KB of the 800 KB zod brings) are never used: labbox shows its
 * own words for a bad value (config/resolve.ts), and zod's English stays (zod imports it by itself). Left out,
 * every start compiles that much less: about 15-20 ms of a no-op run on Node 20 (issue 11, speed).
 */
const withoutZodLocales: Plugin = {
	name: 'without-zod-locales',
	setup(builder) {
		builder.onResolve({filter: /^\.\.\/locales\/index\.js$/}, args =>
			/[/\\]zod[/\\]v4[/\\]/.test(args.importer) ? {path: 'zod-locales', namespace: 'labbox-empty'} : undefined,
		);
		builder.onLoad({filter: /.*/, namespace: 'labbox-empty'}, () => ({contents: 'export {};', loader: 'js'}));
	},
};

const result = await build({
	entryPoints: {
		labbox: 'source/cli/main.ts',
		// The SSH session of the built CLI, for tests that run it with test steps (test/helpers/labbox-test-bin.ts).
		'lab-session': 'source/remote/lab-session.ts',
	},
	absWorkingDir: root,
	outdir,
	write: false,
	bundle: true,
	splitting: true,
	format: 'esm',
	platform: 'node',
	target: 'node20',
	chunkNames: '[name]-[hash]',
	// ssh2 loads its native crypto binding from its own folder; Ink imports react-devtools-core (not installed,
	// an optional peer) only when DEV=true.
	external: ['ssh2', 'react-devtools-core'],
	// React and Ink pick their production builds at load time from NODE_ENV; decide it here, once.
	define: {'process.env.NODE_ENV': '"production"'},
	// Bundled CommonJS packages call require() for Node's own modules (React, signal-exit), and write-file-atomic
	// names its temporary files after __filename.
	banner: {
		js: [
			"import {createRequire as __labboxRequire} from 'node:module';",
			"import {fileURLToPath as __labboxPath} from 'node:url';",
			'const require = __labboxRequire(import.meta.url);',
			'const __filename = __labboxPath(import.meta.url);',
		].join('\n'),
	},
	sourcemap: 'linked',
	// The map names source files, without their text: a stack trace needs no more.
	sourcesContent: false,
	metafile: true,
	logLevel: 'warning',
	plugins: [withoutZodLocales],
});

// Which output holds which inputs: test/ui/bundle.test.ts reads it to know the chunks with React in them.
const files = result.outputFiles.map(file => ({path: file.path, contents: Buffer.from(file.contents)}));
files.push({path: path.join(outdir, 'meta.json'), contents: Buffer.from(JSON.stringify(result.metafile))});

mkdirSync(outdir, {recursive: true});
// Several test files build at once while others run the bundle: a file whose bytes are unchanged is left as it
// is, a changed one is replaced whole (rename), and only then are files of older builds removed.
for (const file of files) {
	if (existsSync(file.path) && readFileSync(file.path).equals(file.contents)) {
		continue;
	}
	const temporary = `${file.path}.${process.pid}.tmp`;
	writeFileSync(temporary, file.contents);
	renameSync(temporary, file.path);
}
const current = new Set(files.map(file => path.basename(file.path)));
for (const entry of readdirSync(outdir)) {
	if (!current.has(entry) && !entry.endsWith('.tmp')) {
		rmSync(path.join(outdir, entry), {recursive: true, force: true});
	}
}
