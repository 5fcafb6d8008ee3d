/**
 * Where labbox's own files are (templates/, package.json), from the sources (tsx, tests) and from the bundle.
 * This module is source/package-files.ts, or inlined in one of the bundle's files, all flat in dist/ (scripts/
 * build.ts): either way one folder below the package (issue 11, start-up: the bundle).
 */
const packageRoot = new URL('../', import.meta.url);

/** The URL of one of labbox's own files, by its path in the package (`templates/compose.yaml`). */
export function packageFile(relative: string): URL {
	return new URL(relative, packageRoot);
}
