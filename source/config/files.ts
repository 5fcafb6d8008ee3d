import {readFile, stat} from 'node:fs/promises';
import writeFileAtomic from 'write-file-atomic';
import {isMap, parseDocument, type Document} from 'yaml';
import {fieldByKey, fields, type Config} from './fields.js';
import {envName, parseString, type ConfigProblem} from './resolve.js';

async function readIfExists(file: string): Promise<string | undefined> {
	try {
		return await readFile(file, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			return undefined;
		}
		throw error;
	}
}

/** Flattens nested YAML maps to dotted keys (`server: {host}` → `server.host`); lists and scalars are leaves. */
function flatten(value: unknown, prefix = '', out: Config = {}): Config {
	if (value && typeof value === 'object' && !Array.isArray(value)) {
		for (const [key, item] of Object.entries(value)) {
			const dotted = prefix ? `${prefix}.${key}` : key;
			if (item && typeof item === 'object' && !Array.isArray(item) && !fieldByKey.has(dotted)) {
				flatten(item, dotted, out);
			} else {
				out[dotted] = item;
			}
		}
	}
	return out;
}

/** Reads lab.yaml: unknown keys and secrets found in it are problems (secrets belong in secrets.env). */
export async function readConfigFile(file: string): Promise<{values: Config; problems: ConfigProblem[]; exists: boolean}> {
	const text = await readIfExists(file);
	if (text === undefined) {
		return {values: {}, problems: [], exists: false};
	}
	const document = parseDocument(text, {prettyErrors: true});
	if (document.errors.length > 0) {
		const error = document.errors[0]!;
		return {values: {}, exists: true, problems: [{key: 'lab.yaml', message: `${file} is not valid YAML: ${error.message}`}]};
	}
	const values = flatten(document.toJS() ?? {});
	const problems: ConfigProblem[] = [];
	for (const key of Object.keys(values)) {
		const field = fieldByKey.get(key);
		if (!field) {
			const known = fields.map(item => item.key).filter(name => name.split('.')[0] === key.split('.')[0]);
			problems.push({
				key,
				message: `${key} in ${file} is not a lab.yaml key${known.length > 0 ? `; did you mean one of: ${known.join(', ')}?` : '; `labbox --help` lists them.'}`,
			});
			delete values[key];
		} else if (field.secret) {
			problems.push({
				key,
				message: `${key} is a secret and must not be in lab.yaml (it is safe to commit): move it to secrets.env as ${envName(key)}=... or to the environment.`,
			});
			delete values[key];
		}
	}
	return {values, problems, exists: true};
}

/** Reads LABBOX_* variables (from the environment or secrets.env lines) into config values. */
export function fromVariables(variables: Readonly<Record<string, string | undefined>>): Config {
	const values: Config = {};
	for (const field of fields) {
		const value = variables[envName(field.key)];
		if (value !== undefined && value !== '') {
			values[field.key] = parseString(field, value);
		}
	}
	return values;
}

/** Reads secrets.env (`LABBOX_AUTH_CLIENT_SECRET=...` lines); refuses a file others can read. */
export async function readSecretsFile(file: string): Promise<{values: Config; problems: ConfigProblem[]}> {
	const text = await readIfExists(file);
	if (text === undefined) {
		return {values: {}, problems: []};
	}
	const {mode} = await stat(file);
	if ((mode & 0o077) !== 0) {
		return {
			values: {},
			problems: [
				{key: 'secrets.env', message: `${file} can be read by other users (mode ${(mode & 0o777).toString(8)}): run chmod 600 ${file}`},
			],
		};
	}
	const variables: Record<string, string> = {};
	for (const line of text.split('\n')) {
		const match = /^\s*([A-Z0-9_]+)=(.*)$/.exec(line);
		if (match) {
			variables[match[1]!] = match[2]!.replace(/^(['"])(.*)\1$/, '$2');
		}
	}
	return {values: fromVariables(variables), problems: []};
}

function setIn(document: Document, key: string, value: unknown): void {
	const path = key.split('.');
	if (!isMap(document.contents)) {
		document.contents = document.createNode({}) as typeof document.contents;
	}
	document.setIn(path, value);
}

/** Saves values into lab.yaml (keeping its comments) and secrets into secrets.env (0600). */
export async function saveValues(configFile: string, secretsFile: string, values: Config): Promise<void> {
	const document = parseDocument((await readIfExists(configFile)) ?? '');
	const secrets: string[] = [];
	let plain = 0;
	for (const [key, value] of Object.entries(values)) {
		if (fieldByKey.get(key)?.secret) {
			secrets.push(`${envName(key)}=${String(value)}`);
		} else {
			setIn(document, key, value);
			plain++;
		}
	}
	if (plain > 0) {
		await writeFileAtomic(configFile, document.toString());
	}
	if (secrets.length > 0) {
		const kept = ((await readIfExists(secretsFile)) ?? '')
			.split('\n')
			.filter(line => line.trim() !== '' && !secrets.some(entry => line.startsWith(entry.split('=')[0] + '=')));
		await writeFileAtomic(secretsFile, [...kept, ...secrets].join('\n') + '\n', {mode: 0o600});
	}
}
