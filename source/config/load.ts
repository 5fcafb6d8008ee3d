import type {LabPaths} from '../engine/paths.js';
import {certificateFileProblems} from './certificate-files.js';
import {fields, type Config} from './fields.js';
import {fromVariables, readConfigFile, readSecretsFile, saveValues} from './files.js';
import type {Question} from './question.js';
import {questionFor} from './questions.js';
import {applies, ConfigError, crossCheck, merge, missingFields, missingProblems, parseString, type Source} from './resolve.js';

export interface LoadOptions {
	readonly paths: LabPaths;
	/** Values from command-line flags, already by key. */
	readonly flags?: Config;
	readonly env: Readonly<Record<string, string | undefined>>;
	/** Asks one question; absent under --yes or without a terminal. */
	readonly ask?: (question: Question) => Promise<string>;
	/** Suggested answers and extra help (e.g. the ~/.ssh/config aliases found), by key. */
	readonly suggestions?: Readonly<Record<string, {readonly value?: string; readonly help?: string}>>;
}

export interface LoadedConfig {
	readonly config: Config;
	readonly sources: Readonly<Record<string, Source>>;
	/** Whether lab.yaml existed before. */
	readonly existed: boolean;
	/** Keys the user answered in the wizard (saved to lab.yaml / secrets.env). */
	readonly answered: readonly string[];
}

/**
 * Resolves the configuration (flag > env > secrets.env > lab.yaml > question > default). An invalid value from
 * any source stops everything with a message; without `ask` (--yes) a missing value does too. Answers are
 * saved before anything runs.
 */
export async function loadConfig(options: LoadOptions): Promise<LoadedConfig> {
	const file = await readConfigFile(options.paths.config);
	const secrets = await readSecretsFile(options.paths.secrets);
	const layers = {flags: options.flags, env: fromVariables(options.env), secrets: secrets.values, file: file.values};
	let merged = merge(layers);
	const problems = [...file.problems, ...secrets.problems, ...merged.problems];
	if (problems.length > 0) {
		throw new ConfigError(problems);
	}
	const answers: Config = {};
	if (options.ask) {
		// One question at a time: later questions depend on earlier answers (the login type, say).
		for (const field of fields) {
			const source = merged.sources[field.key];
			if (!field.ask || !applies(field, merged.config) || (source !== undefined && source !== 'default')) {
				continue;
			}
			const answer = await options.ask(questionFor(field, merged.config, options.suggestions?.[field.key]));
			answers[field.key] = parseString(field, answer);
			merged = merge({...layers, answers});
		}
	}
	const missing = missingFields(merged.config);
	const final = [
		...merged.problems,
		...(missing.length > 0 ? missingProblems(missing) : []),
		...crossCheck(merged.config),
		...(await certificateFileProblems(merged.config, options.paths.dir)),
	];
	if (final.length > 0) {
		throw new ConfigError(final);
	}
	const answered = Object.keys(answers);
	if (answered.length > 0) {
		await saveValues(options.paths.config, options.paths.secrets, answers);
	}
	return {config: merged.config, sources: merged.sources, existed: file.exists, answered};
}

/** Every configured secret value, for the redactor. */
export function secretValues(config: Config): string[] {
	return fields.filter(field => field.secret && typeof config[field.key] === 'string').map(field => config[field.key] as string);
}
