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
/** What the laptop suggests for a question: a default, and a help line that may depend on the answers so far. */
export interface Suggestion {
	readonly value?: string;
	readonly help?: string | ((config: Config) => string | undefined);
}

export function questionFor(field: Field, config: Config, suggested: Suggestion = {}): Question {
	const ask = field.ask!;
	const laptop = typeof suggested.help === 'function' ? suggested.help(config) : suggested.help;
	const help = [ask.help?.(config), laptop].filter(Boolean).join('\n');
	return {
		key: field.key,
		message: ask.message,
		help: help === '' ? undefined : help,
		kind: ask.kind,
		choices: ask.choices,
		defaultValue: suggested.value ?? shown(config[field.key] ?? field.defaultValue),
		validate(input) {
			// In the question's words, not lab.yaml's (issue 10 item 16): the key is for files, the question for people.
			if (input.trim() === '' && field.required && field.parse !== 'list') {
				return `An answer is needed: ${field.expected}, e.g. ${field.example}`;
			}
			const value = parseString(field, input);
			const problem = checkValue(field, value, 'answer');
			if (problem) {
				return `${[...(problem.why ?? []), `expected ${field.expected}`].join('; ')}, e.g. ${field.example}`.replace(/^./, first => first.toUpperCase());
			}
			// The allow-list rule is checked on the last of its questions, with the answers before it.
			if (field.key === 'auth.allowedGroups') {
				return crossCheck({...config, [field.key]: value}).find(item => item.key === 'auth.allowedUsers')?.message;
			}
			// Local accounts: one admin, and a password no shorter than the lab's rule (issue 14).
			if (field.key === 'auth.admins' || field.key === 'auth.adminPassword') {
				return crossCheck({...config, [field.key]: value}).find(item => item.key === field.key)?.message;
			}
			return undefined;
		},
	};
}
