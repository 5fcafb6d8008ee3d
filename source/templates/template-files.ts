/** Finds and reads the files of `templates/`, from the sources (tsx, tests) or from the bundle (dist/). */
import {existsSync, readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {packageFile} from '../package-files.js';

/** The folder holding the templates. */
export function templatesFolder(): URL {
	const folder = packageFile('templates/');
	if (!existsSync(new URL('compose.yaml', folder))) {
		throw new Error(`labbox's templates folder is missing (looked in ${fileURLToPath(folder)})`);
	}
	return folder;
}

/** The text of one template, by its path under templates/. */
export function readTemplate(file: string): string {
	return readFileSync(new URL(file, templatesFolder()), 'utf8');
}
