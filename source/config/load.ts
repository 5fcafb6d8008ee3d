import type {LabPaths} from '../engine/paths.js';
import {certificateFileProblems} from './certificate-files.js';
import {fields, type Config, type Field, type LabConfig} from './fields.js';
import {fromVariables, readConfigFile, readSecretsFile, saveValues} from './files.js';
import {GoBack, type Question} from './question.js';
import {questionFor, shown, type Suggestion} from './questions.js';
import {applies, ConfigError, crossCheck, merge, missingFields, missingProblems, parseString, type Source} from './resolve.js';

export interface LoadOptions {
	readonly paths: LabPaths;
	/** Values from command-line flags, already by key. */
	readonly flags?: Config;
	readonly env: Readonly<Record<string, string | undefined>>;
	/** Asks one question; absent under --yes or without a terminal. */
	readonly ask?: (question: Question) => Promise<string>;
	/** Suggested answers and extra help (e.g. the ~/.ssh/config aliases found), by key. */
	readonly suggestions?: Readonly<Record<string, Suggestion>>;
	/** Shows one line before the first question: the answers kept from an earlier wizard, the questions left. */
	readonly tell?: (text: string) => void;
}

/** The wizard stopped at a question (Ctrl-C, a closed screen): the answers before it are saved already. */
export class QuestionsStopped extends Error {
	constructor(
		/** The keys answered (and saved) in this wizard. */
		readonly answered: readonly string[],
		/** What `ask` rejected with. */
		readonly reason: unknown,
	) {
		super(reason instanceof Error ? reason.message : String(reason));
		this.name = 'QuestionsStopped';
	}
}

export interface LoadedConfig {
	readonly config: Config & LabConfig;
	readonly sources: Readonly<Record<string, Source>>;
	/** Whether lab.yaml existed before. */
	readonly existed: boolean;
	/** Keys the user answered in the wizard (saved to lab.yaml / secrets.env). */
	readonly answered: readonly string[];
}

/**
 * Resolves the configuration (flag > env > secrets.env > lab.yaml > question > default). An invalid value from
 * any source stops everything with a message; without `ask` (--yes) a missing value does too. Each answer is
 * saved as it is given (issue 10 item 4: Ctrl-C at the tenth question lost the nine before it), so the next
 * wizard asks only what is still missing, and says so.
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
		const kept = Object.keys(file.values).length + Object.keys(secrets.values).length;
		const left = questionsLeft(merged.config, merged.sources);
		if (kept > 0 && left.max > 0) {
			options.tell?.(
				`Using the ${plural(kept, 'answer')} in ${Object.keys(secrets.values).length > 0 ? 'lab.yaml and secrets.env' : 'lab.yaml'}; ${left.min === left.max ? plural(left.min, 'question') : `${left.min} to ${left.max} questions`} left.`,
			);
		}
		// One question at a time: later questions depend on earlier answers (the login type, say). `asked` holds the
		// fields answered in this wizard, in order, so Esc can go back one (issue 10 item 17); a question asked
		// again offers its earlier answer (`earlier`), which Enter keeps.
		const asked: number[] = [];
		const earlier: Config = {};
		for (let index = 0; index < fields.length; index++) {
			const field = fields[index]!;
			if (!asks(field, merged.config, merged.sources)) {
				continue;
			}
			const suggestion =
				field.key in earlier ? {...options.suggestions?.[field.key], value: shown(earlier[field.key])} : options.suggestions?.[field.key];
			let answer: string;
			try {
				answer = await options.ask({...questionFor(field, merged.config, suggestion), canGoBack: asked.length > 0});
			} catch (error) {
				if (error instanceof GoBack && asked.length > 0) {
					index = asked.pop()!;
					const previous = fields[index]!.key;
					earlier[previous] = answers[previous];
					delete answers[previous];
					merged = merge({...layers, answers});
					index--; // the loop's index++ comes back to it
					continue;
				}
				throw new QuestionsStopped(Object.keys(answers), error);
			}
			answers[field.key] = parseString(field, answer);
			delete earlier[field.key];
			asked.push(index);
			// lab.yaml, or secrets.env (0600) for a secret: the answer outlives a Ctrl-C at the next question.
			await saveValues(options.paths.config, options.paths.secrets, {[field.key]: answers[field.key]});
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
	return {config: merged.config, sources: merged.sources, existed: file.exists, answered};
}

/** Whether the wizard asks this field now: it has a question, applies, and no source but the default gave it. */
function asks(field: Field, config: Config, sources: Readonly<Record<string, Source>>): boolean {
	const source = sources[field.key];
	return field.ask !== undefined && applies(field, config) && (source === undefined || source === 'default') && !field.ask.unless?.(config);
}

/** How many questions are left, fewest to most: a choice (the login type) may bring questions of its own. */
export function questionsLeft(config: Config, sources: Readonly<Record<string, Source>>, from = 0): {min: number; max: number} {
	for (let index = from; index < fields.length; index++) {
		const field = fields[index]!;
		if (!asks(field, config, sources)) {
			continue;
		}
		const after = (value: unknown) => questionsLeft({...config, [field.key]: value}, {...sources, [field.key]: 'answer'}, index + 1);
		// A typed answer is counted both ways: kept as offered (the default) and changed (the example): moving sshd
		// from 22 to 2222 brings the question whether to close the old port.
		const choices =
			field.ask!.kind === 'select'
				? (field.ask!.choices ?? []).map(choice => parseString(field, choice.value))
				: [config[field.key] ?? field.example, parseString(field, field.example)];
		const outcomes = [...new Map(choices.map(choice => [JSON.stringify(choice), choice])).values()].map(after);
		return {min: 1 + Math.min(...outcomes.map(item => item.min)), max: 1 + Math.max(...outcomes.map(item => item.max))};
	}
	return {min: 0, max: 0};
}

function plural(count: number, noun: string): string {
	return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** Every configured secret value, for the redactor. */
export function secretValues(config: Config): string[] {
	return fields.filter(field => field.secret && typeof config[field.key] === 'string').map(field => config[field.key] as string);
}
