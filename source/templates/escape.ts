/**
 * One escaping function per template format: every value from lab.yaml reaches a template through the one
 * function of that template's format, chosen by the renderer from the file name, never by the template.
 * Where a format has no reliable escape (nginx, Dockerfile), the value must be a plain word or it is refused.
 */

/** The formats of the files in `templates/`. */
export type Format = 'compose' | 'nginx' | 'dockerfile' | 'shell';

/** A value that cannot go into a template of this format; the renderer adds the file and line. */
export class UnsafeValueError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'UnsafeValueError';
	}
}

/**
 * A YAML double-quoted scalar (JSON's string syntax is a subset of it), with `$` doubled because Compose
 * interpolates `${...}` in every string of the file.
 */
export function composeScalar(value: string): string {
	return JSON.stringify(value.replaceAll('$', '$$$$'));
}

// nginx expands `$name` even inside quotes, and a Dockerfile line has no quoting at all: only plain words pass
// (and in shell scripts too, where a plain word needs no quoting to stay one word).
const plainWord = /^[A-Za-z0-9][A-Za-z0-9._:/@-]*$/;

/** A plain word (host name, image reference) for nginx, a Dockerfile or a script; anything else is refused. */
export function word(value: string): string {
	if (!plainWord.test(value)) {
		throw new UnsafeValueError(`${JSON.stringify(value)} is not a plain word (letters, digits and . _ : / @ - only)`);
	}
	return value;
}

/** The escape of each format. */
export const escapers: Readonly<Record<Format, (value: string) => string>> = {
	compose: composeScalar,
	nginx: word,
	dockerfile: word,
	shell: word,
};

/** The format of a template, from its file name. */
export function formatOf(file: string): Format {
	if (/\.ya?ml$/.test(file)) {
		return 'compose';
	}
	if (file.endsWith('.conf')) {
		return 'nginx';
	}
	if (/(^|\/)Dockerfile$/.test(file)) {
		return 'dockerfile';
	}
	if (file.endsWith('.sh')) {
		return 'shell';
	}
	throw new Error(`${file}: no template format for this file name`);
}

/**
 * A dotenv line whose value survives every dotenv parser (Compose interpolates `$`, quoting rules differ):
 * base64 of the JSON, decoded by the hub's configuration.
 */
export function dotenvJson(name: string, value: unknown): string {
	return `${name}=${Buffer.from(JSON.stringify(value), 'utf8').toString('base64')}`;
}
