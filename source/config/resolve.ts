import {fieldByKey, fields, type Config, type Field, type LabConfig} from './fields.js';

/** Where a value came from, in precedence order (first wins). */
export type Source = 'flag' | 'env' | 'secrets' | 'file' | 'answer' | 'default';

/** One thing wrong with the configuration, said so the user can fix it. */
export interface ConfigProblem {
	readonly key: string;
	readonly message: string;
	/** The field's own reasons (`port 443 is the lab's web server's`), for a message in the wizard's words. */
	readonly why?: readonly string[];
}

export class ConfigError extends Error {
	constructor(readonly problems: readonly ConfigProblem[]) {
		super(problems.map(problem => problem.message).join('\n'));
		this.name = 'ConfigError';
	}
}

/** `server.identityFile` → `LABBOX_SERVER_IDENTITY_FILE`. */
export function envName(key: string): string {
	return (
		'LABBOX_' +
		key
			.replaceAll(/([a-z])([A-Z])/g, '$1_$2')
			.replaceAll('.', '_')
			.toUpperCase()
	);
}

/** `server.identityFile` → `server-identity-file` (the flag is `--server-identity-file`). */
export function flagName(key: string): string {
	return key
		.replaceAll(/([a-z])([A-Z])/g, '$1-$2')
		.replaceAll('.', '-')
		.toLowerCase();
}

const sourceLabel: Record<Source, (key: string) => string> = {
	flag: key => `from --${flagName(key)}`,
	env: key => `from ${envName(key)}`,
	secrets: key => `from ${envName(key)} in secrets.env`,
	file: key => `from ${key} in lab.yaml`,
	answer: () => 'as typed',
	default: () => 'default',
};

/** Turns a string (flag, variable, typed answer) into the field's value type. */
export function parseString(field: Field, text: string): unknown {
	const trimmed = text.trim();
	switch (field.parse) {
		case 'number': {
			return /^-?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : trimmed;
		}
		case 'boolean': {
			return /^(true|yes|y|1|on)$/i.test(trimmed) ? true : /^(false|no|n|0|off)$/i.test(trimmed) ? false : trimmed;
		}
		case 'list': {
			// `@carol`, as GitHub and GitLab write a name, is carol (issue 10 item 16).
			return trimmed === ''
				? []
				: trimmed
						.split(/[\s,]+/)
						.filter(Boolean)
						.map(item => item.replace(/^@(?=.)/, ''));
		}
		default: {
			return field.secret ? text : field.tidy ? field.tidy(trimmed) : trimmed;
		}
	}
}

/** Checks one value; the message names the key, the value, where it came from, what is expected and an example. */
export function checkValue(field: Field, value: unknown, source: Source): ConfigProblem | undefined {
	const result = field.schema.safeParse(value);
	if (result.success) {
		return undefined;
	}
	// A URL's credentials are secrets even where the key is not (issue 9 item 12 refuses them; never echo them).
	const shown = field.secret ? '***' : JSON.stringify(value).replaceAll(/\/\/[^/@"]*@/g, '//***@');
	// A field's own rule (fields.ts `explained`) says what is wrong; the generic checks only that it is not expected.
	const why = [...new Set(result.error.issues.filter(issue => issue.code === 'custom').map(issue => issue.message))];
	return {
		key: field.key,
		message: `${field.key}: ${shown} (${sourceLabel[source](field.key)}) is not valid: ${why.map(reason => `${reason}; `).join('')}expected ${field.expected}, e.g. ${field.key}: ${field.example}`,
		why,
	};
}

export interface Layers {
	readonly flags?: Config;
	readonly env?: Config;
	readonly secrets?: Config;
	readonly file?: Config;
	readonly answers?: Config;
}

/** Values of every layer merged by precedence, each checked against its field; defaults fill the rest. */
export function merge(layers: Layers): {config: Config & LabConfig; sources: Record<string, Source>; problems: ConfigProblem[]} {
	const order: Array<[Exclude<Source, 'default'>, Config | undefined]> = [
		['flag', layers.flags],
		['env', layers.env],
		['secrets', layers.secrets],
		['file', layers.file],
		['answer', layers.answers],
	];
	const config: Config = {};
	const sources: Record<string, Source> = {};
	const problems: ConfigProblem[] = [];
	for (const field of fields) {
		const found = order.find(([, values]) => values?.[field.key] !== undefined);
		if (!found) {
			continue;
		}
		const [source, values] = found;
		const problem = checkValue(field, values![field.key], source);
		if (problem) {
			problems.push(problem);
			continue;
		}
		config[field.key] = values![field.key];
		sources[field.key] = source;
	}
	for (const field of fields) {
		if (config[field.key] === undefined && field.defaultValue !== undefined && applies(field, config)) {
			config[field.key] = field.defaultValue;
			sources[field.key] = 'default';
		}
	}
	// Every default is filled now: the keys LabConfig says are always set hold values.
	return {config: config as Config & LabConfig, sources, problems};
}

/** Values taken as lab.yaml gives them, defaults filled, typed (for code handed a configuration it made itself). */
export function resolvedConfig(values: Config): LabConfig {
	const {config, problems} = merge({file: values});
	if (problems.length > 0) {
		throw new ConfigError(problems);
	}
	return config;
}

export function applies(field: Field, config: Config): boolean {
	return field.when ? field.when(config) : true;
}

/** Required keys that apply and have no value: what the wizard asks, or what --yes reports. */
export function missingFields(config: Config): Field[] {
	return fields.filter(field => field.required && applies(field, config) && config[field.key] === undefined);
}

/** Rules across keys: the lab must never let strangers in. */
export function crossCheck(config: Config): ConfigProblem[] {
	const problems: ConfigProblem[] = [];
	const type = config['auth.type'];
	if (type === 'local') {
		problems.push(...localAuthProblems(config));
	} else if (type !== undefined) {
		const users = (config['auth.allowedUsers'] as string[] | undefined) ?? [];
		const groups = (config['auth.allowedGroups'] as string[] | undefined) ?? [];
		if (users.length === 0 && groups.length === 0 && config['auth.allowAll'] !== true) {
			problems.push({
				key: 'auth.allowedUsers',
				message:
					`auth: the allow list is empty, so ${type === 'oidc' ? 'no rule says who may log in' : `anyone with a ${type === 'github' ? 'GitHub' : 'GitLab'} account could log in`}. ` +
					'Set auth.allowedUsers (e.g. auth.allowedUsers: [ada, grace]) or auth.allowedGroups' +
					(type === 'oidc' ? ', or auth.allowAll: true to let in anyone your provider authenticates.' : '.'),
			});
		}
	}
	return problems;
}

/**
 * auth.type local (issue 14): the admin approves who may log in. labbox makes the admin's own account (one
 * password), so exactly one name; another listed name could be taken by whoever signs up under it first.
 */
function localAuthProblems(config: Config): ConfigProblem[] {
	const problems: ConfigProblem[] = [];
	const admins = (config['auth.admins'] as string[] | undefined) ?? [];
	if (admins.length !== 1) {
		problems.push({
			key: 'auth.admins',
			message:
				`auth.admins: with auth.type local, name exactly one admin (${admins.length === 0 ? 'none is named' : `${admins.length} are named`}): labbox creates that account with auth.adminPassword, e.g. auth.admins: [ada]. ` +
				'Make others admins in /hub/admin once they have signed up.',
		});
	}
	const password = config['auth.adminPassword'];
	const shortest = Number(config['auth.passwordMinLength'] ?? 10);
	if (typeof password === 'string' && password.length < shortest) {
		problems.push({
			key: 'auth.adminPassword',
			message: `auth.adminPassword is shorter than auth.passwordMinLength (${shortest} characters): set a longer one in ${envName('auth.adminPassword')} (environment or secrets.env).`,
		});
	}
	return problems;
}

/** A message for missing keys under --yes: names each key and every way to give it. */
export function missingProblems(missing: readonly Field[]): ConfigProblem[] {
	return missing.map(field => ({
		key: field.key,
		message: field.secret
			? `${field.key} is missing: ${field.description}. It is a secret: set ${envName(field.key)} in the environment or in secrets.env (mode 0600) beside lab.yaml.`
			: `${field.key} is missing: ${field.description}. Set it in lab.yaml (${field.key}: ${field.example}), with --${flagName(field.key)}, or in ${envName(field.key)}.`,
	}));
}

export {fieldByKey};
