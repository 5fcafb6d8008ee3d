import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';

// What labbox installs on a laptop is what labbox's own code imports, no more (issue 11: env-paths was never
// used, execa only by tests, acme-client only for two URLs; the server's renewer brings its own acme-client).
const root = fileURLToPath(new URL('../..', import.meta.url));
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
	dependencies: Record<string, string>;
	devDependencies: Record<string, string>;
};

function codeFiles(folder: string): string[] {
	return readdirSync(path.join(root, folder), {recursive: true, encoding: 'utf8'})
		.filter(file => /\.(ts|tsx|js|mjs)$/.test(file))
		.map(file => path.join(root, folder, file));
}

/** Package names imported by these folders (static, dynamic and side-effect imports, outside comments), without node: built-ins. */
function importedPackages(folders: readonly string[]): string[] {
	// `import` as a keyword, not inside a flag such as node's `--import '${tsx}'` in a command line.
	const specifier = /(?:from\s+|(?<![\w-])import\s*\(\s*|(?<![\w-])import\s+)'([^'.][^']*)'/g;
	const names = new Set<string>();
	for (const file of folders.flatMap(codeFiles)) {
		const code = readFileSync(file, 'utf8')
			.split('\n')
			.filter(line => !/^\s*(\/\/|\/\*|\*)/.test(line))
			.join('\n');
		for (const [, name] of code.matchAll(specifier)) {
			if (!name!.startsWith('node:')) {
				names.add(
					name!
						.split('/')
						.slice(0, name!.startsWith('@') ? 2 : 1)
						.join('/'),
				);
			}
		}
	}

	return [...names].sort();
}

describe('package.json', () => {
	it('depends at run time on exactly the packages that source/, steps/ and bin/ import', () => {
		expect(Object.keys(manifest.dependencies).sort()).toEqual(importedPackages(['source', 'steps', 'bin']));
	});

	it('has every package the tests import among its dependencies', () => {
		const known = new Set([...Object.keys(manifest.dependencies), ...Object.keys(manifest.devDependencies)]);
		expect(importedPackages(['test']).filter(name => !known.has(name))).toEqual([]);
	});
});
