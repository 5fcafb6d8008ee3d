/**
 * A small template renderer: `{{name}}` placeholders, each replaced by its value through the ONE escape of
 * the file's format (escape.ts). No logic, no raw output: a template cannot opt out of escaping.
 */
import {escapers, formatOf, UnsafeValueError} from './escape.js';

/** A render failure, naming the template file and line, with that line for context. */
export class RenderError extends Error {
	constructor(
		readonly file: string,
		readonly line: number,
		reason: string,
		readonly context: string,
	) {
		super(`${file}:${line}: ${reason}\n  ${line} | ${context}`);
		this.name = 'RenderError';
	}
}

const placeholder = /{{\s*([A-Za-z][\w.]*)?\s*}}/g;

/** Renders one template; `file` (relative to templates/) decides the format and names errors. */
export function renderTemplate(file: string, text: string, values: Readonly<Record<string, string>>): string {
	const escapeValue = escapers[formatOf(file)];
	return text
		.split('\n')
		.map((line, index) =>
			line.replaceAll(placeholder, (_match, name: string | undefined) => {
				const fail = (reason: string) => new RenderError(file, index + 1, reason, line.trim());
				if (name === undefined) {
					throw fail('empty placeholder');
				}
				const value = values[name];
				if (value === undefined) {
					throw fail(`unknown placeholder {{${name}}} (known: ${Object.keys(values).join(', ')})`);
				}
				try {
					return escapeValue(value);
				} catch (error) {
					throw error instanceof UnsafeValueError ? fail(`{{${name}}}: ${error.message}`) : error;
				}
			}),
		)
		.join('\n');
}
