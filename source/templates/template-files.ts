/** Finds and reads the files of `templates/`, from the sources (tsx, tests) or from the build (dist/). */
import {existsSync, readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';

// source/templates/ → ../../templates; dist/source/templates/ → ../../../templates.
const candidates = ['../../templates/', '../../../templates/'].map(relative => new URL(relative, import.meta.url));

/** The folder holding the templates. */
export function templatesFolder(): URL {
	const found = candidates.find(folder => existsSync(new URL('compose.yaml', folder)));
	if (!found) {
		throw new Error(`labbox's templates folder is missing (looked in ${candidates.map(folder => fileURLToPath(folder)).join(', ')})`);
	}
	return found;
}

/** The text of one template, by its path under templates/. */
export function readTemplate(file: string): string {
	return readFileSync(new URL(file, templatesFolder()), 'utf8');
}
