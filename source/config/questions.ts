import {fieldByKey, type Config, type Field} from './fields.js';
import type {Question} from './question.js';
import {checkValue, crossCheck, parseString} from './resolve.js';

/** A value as the wizard shows it for editing: a list as `ada, grace`. */
export function shown(value: unknown): string | undefined {
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

// A secret's example says where it may come from, not a value: no "e.g." after a refused secret.
const example = (field: Field) => (field.secret ? '' : `, e.g. ${field.example}`);

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
		kept: input => shown(parseString(field, input)) ?? input,
		validate(input) {
			// In the question's words, not lab.yaml's (issue 10 item 16): the key is for files, the question for people.
			if (input.trim() === '' && field.required && field.parse !== 'list') {
				return `An answer is needed: ${field.expected}${example(field)}`;
			}
			const value = parseString(field, input);
			const problem = checkValue(field, value, 'answer');
			if (problem) {
				return `${[...(problem.why ?? []), `expected ${field.expected}`].join('; ')}${example(field)}`.replace(/^./, first =>
					first.toUpperCase(),
				);
			}
			// The allow-list rule is checked at the users question, asked after the groups one: the error appears
			// where the fix is (issue 10 item 17), in the question's words.
			if (field.key === 'auth.allowedUsers' && crossCheck({...config, [field.key]: value}).some(item => item.key === 'auth.allowedUsers')) {
				return emptyAllowList(config);
			}
			// Local accounts: one admin, and a password no shorter than the lab's rule (issue 14).
			if (field.key === 'auth.admins' || field.key === 'auth.adminPassword') {
				return crossCheck({...config, [field.key]: value}).find(item => item.key === field.key)?.message;
			}
			return undefined;
		},
	};
}

/** Why an empty users answer is refused when no group was given, and the ways out. */
function emptyAllowList(config: Config): string {
	const type = config['auth.type'];
	const who =
		type === 'oidc' ? 'no rule says who may log in' : `anyone with a ${type === 'gitlab' ? 'GitLab' : 'GitHub'} account could log in`;
	const all = type === 'oidc' ? ' (or set auth.allowAll: true in lab.yaml to let in anyone your provider authenticates)' : '';
	return `With no user and no group, the allow list is empty and ${who}. Give at least one user name, e.g. ada, or press Esc to go back and give a group${all}.`;
}

/**
 * Asked before the plan when nothing answers on the port labbox connected to (issue 10 item 11): the port sshd
 * listens on now, which is `server.port`, not the port sshd moves to (`ssh.port`).
 */
export function connectPortQuestion(config: Config, refused: string): Question {
	const field = fieldByKey.get('server.port')!;
	const asked = questionFor(
		{
			...field,
			ask: {
				message: 'Which port does sshd listen on now?',
				kind: 'text',
				help: () => `${refused} Give the port you log in on (ssh -p PORT); it is saved as server.port.`,
			},
		},
		config,
	);
	return {
		...asked,
		defaultValue: undefined,
		validate: input => (input.trim() === '' ? `An answer is needed: ${field.expected}, e.g. 2222` : asked.validate(input)),
	};
}
