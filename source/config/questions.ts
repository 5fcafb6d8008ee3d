import type {Config, Field} from './fields.js';
import type {Question} from './question.js';
import {checkValue, crossCheck, parseString} from './resolve.js';

function shown(value: unknown): string | undefined {
	if (value === undefined) {
		return undefined;
	}
	return Array.isArray(value) ? value.join(', ') : String(value);
}

/** The wizard's question for one field, given what is known so far (answers validate as they are typed). */
export function questionFor(field: Field, config: Config, suggested: {readonly value?: string; readonly help?: string} = {}): Question {
	const ask = field.ask!;
	const help = [ask.help?.(config), suggested.help].filter(Boolean).join('\n');
	return {
		key: field.key,
		message: ask.message,
		help: help === '' ? undefined : help,
		kind: ask.kind,
		choices: ask.choices,
		defaultValue: suggested.value ?? shown(config[field.key] ?? field.defaultValue),
		validate(input) {
			if (input.trim() === '' && field.required && field.parse !== 'list') {
				return `${field.key} is needed: ${field.expected}, e.g. ${field.example}`;
			}
			const value = parseString(field, input);
			const problem = checkValue(field, value, 'answer');
			if (problem) {
				return problem.message;
			}
			// The allow-list rule is checked on the last of its questions, with the answers before it.
			if (field.key === 'auth.allowedGroups') {
				return crossCheck({...config, [field.key]: value}).find(item => item.key === 'auth.allowedUsers')?.message;
			}
			return undefined;
		},
	};
}
