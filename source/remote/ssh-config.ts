/**
 * ~/.ssh/config as OpenSSH reads it, for the settings labbox needs: HostName, User, Port, IdentityFile,
 * IdentitiesOnly. Host patterns with `*`, `?` and `!`; the first value obtained wins; Include is followed.
 * `Match` blocks cannot be evaluated here and are skipped (only `Match all` applies).
 */
import {access, readdir, readFile} from 'node:fs/promises';
import {homedir, userInfo} from 'node:os';
import {basename, dirname, isAbsolute, join} from 'node:path';
import {matchesPattern, matchesPatternList} from './host-pattern.js';
import {expandTilde} from '../engine/paths.js';

/** One `Host` (or `Match`) block: the options below it, in file order. Options before any Host apply to all. */
export interface SshConfigSection {
	/** The Host patterns; `undefined` for a block that never applies (`Match ...`). */
	readonly patterns: readonly string[] | undefined;
	readonly options: ReadonlyArray<readonly [keyword: string, value: string]>;
}

/** The connection settings for one host, as ssh would use them. */
export interface SshHostSettings {
	/** What the user typed: an alias or an address. */
	readonly alias: string;
	/** The address to connect to (the alias itself when no HostName is set). */
	readonly hostName: string;
	readonly user?: string;
	readonly port?: number;
	/** Key files, `~` and `%d/%h/%r/%u` expanded, in order. */
	readonly identityFiles: readonly string[];
	/** Use only the identity files, not every agent key. */
	readonly identitiesOnly?: boolean;
}

/** Where to find files: the user's home (and the local user name, for `%u`). */
export interface SshConfigContext {
	readonly home?: string;
	readonly localUser?: string;
}

/** Splits a config line into keyword and arguments (`Key value`, `Key=value`, `"quoted values"`). */
function splitLine(line: string): [string, string[]] | undefined {
	const match = /^\s*([A-Za-z]+)\s*(?:=\s*|\s+)(.*?)\s*$/.exec(line);
	if (!match || line.trim().startsWith('#')) {
		return undefined;
	}

	const args = [...match[2]!.matchAll(/"([^"]*)"|(\S+)/g)].map(part => part[1] ?? part[2]!);
	return [match[1]!.toLowerCase(), args];
}

/** Parses one file's text; `include(pattern)` returns the sections of an Include (default: none). */
export async function parseSshConfig(
	text: string,
	include: (pattern: string) => Promise<SshConfigSection[]> = async () => [],
): Promise<SshConfigSection[]> {
	const sections: SshConfigSection[] = [];
	let current: {patterns: string[] | undefined; options: Array<[string, string]>} = {patterns: ['*'], options: []};
	sections.push(current);
	for (const line of text.split(/\r?\n/)) {
		const parsed = splitLine(line);
		if (!parsed) {
			continue;
		}

		const [keyword, args] = parsed;
		if (keyword === 'host' || keyword === 'match') {
			const patterns = keyword === 'host' ? args : args.join(' ').toLowerCase() === 'all' ? ['*'] : undefined;
			current = {patterns, options: []};
			sections.push(current);
		} else if (keyword === 'include') {
			for (const pattern of args) {
				// Why: the included blocks apply where the Include stands; later lines go on in the outer block.
				sections.push(...(await include(pattern)));
				current = {patterns: current.patterns, options: []};
				sections.push(current);
			}
		} else if (args.length > 0) {
			current.options.push([keyword, args.join(' ')]);
		}
	}

	return sections;
}

/** Reads ~/.ssh/config (and its Includes); a missing file is an empty config. */
export async function readSshConfig(context: SshConfigContext = {}, file?: string): Promise<SshConfigSection[]> {
	const home = context.home ?? homedir();
	const sshFolder = join(home, '.ssh');
	const readOne = async (path: string): Promise<SshConfigSection[]> => {
		const text = await readFile(path, 'utf8').catch(() => '');
		return parseSshConfig(text, async pattern => {
			const expanded = expandTilde(pattern, home);
			const full = isAbsolute(expanded) ? expanded : join(sshFolder, expanded);
			const names = await readdir(dirname(full)).catch(() => [] as string[]);
			const matching = names.filter(name => matchesPattern(name, basename(full))).sort();
			const included = await Promise.all(matching.map(async name => readOne(join(dirname(full), name))));
			return included.flat();
		});
	};

	return readOne(file ?? join(sshFolder, 'config'));
}

/** The settings ssh would use for `alias` (OpenSSH: the first obtained value of each option wins). */
export function resolveHost(config: readonly SshConfigSection[], alias: string, context: SshConfigContext = {}): SshHostSettings {
	const values = new Map<string, string>();
	const identityFiles: string[] = [];
	for (const section of config) {
		if (!section.patterns || !matchesPatternList(alias, section.patterns)) {
			continue;
		}

		for (const [keyword, value] of section.options) {
			if (keyword === 'identityfile') {
				identityFiles.push(value);
			} else if (!values.has(keyword)) {
				values.set(keyword, value);
			}
		}
	}

	const hostName = (values.get('hostname') ?? alias).replaceAll('%h', alias);
	const user = values.get('user');
	const port = values.has('port') ? Number(values.get('port')) : undefined;
	return {
		alias,
		hostName,
		user,
		port: Number.isInteger(port) ? port : undefined,
		identityFiles: identityFiles.map(path => expandIdentityFile(path, {hostName, user}, context)),
		identitiesOnly: values.has('identitiesonly') ? values.get('identitiesonly')!.toLowerCase() === 'yes' : undefined,
	};
}

/** An IdentityFile value as ssh reads it: `~` and `%d/%h/%r/%u` expanded. */
export function expandIdentityFile(
	path: string,
	host: {readonly hostName: string; readonly user?: string},
	context: SshConfigContext = {},
): string {
	const home = context.home ?? homedir();
	const tokens: Record<string, string> = {
		'%d': home,
		'%h': host.hostName,
		'%r': host.user ?? context.localUser ?? userInfo().username,
		'%u': context.localUser ?? userInfo().username,
		'%%': '%',
	};
	return expandTilde(
		path.replace(/%[dhru%]/g, token => tokens[token]!),
		home,
	);
}

/** The concrete aliases in the config (Host names without wildcards or negation), for the wizard's choices. */
export function listHostAliases(config: readonly SshConfigSection[]): string[] {
	const aliases = config.flatMap(section => section.patterns ?? []).filter(pattern => !/[*?!]/.test(pattern));
	return [...new Set(aliases)];
}

/** The default key files ssh tries, in its order, that exist. */
export async function defaultKeyFiles(home = homedir()): Promise<string[]> {
	const candidates = ['id_ed25519', 'id_ecdsa', 'id_rsa'].map(name => join(home, '.ssh', name));
	const present = await Promise.all(
		candidates.map(async path =>
			access(path).then(
				() => path,
				() => undefined,
			),
		),
	);
	return present.filter((path): path is string => path !== undefined);
}
