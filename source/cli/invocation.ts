/**
 * How the user started labbox, so every command the screen names works as typed (issue 10 item 5: after
 * `npm start -- --dir …` the hints said `labbox --dir … --resume`, and no `labbox` was on the PATH).
 */
import {existsSync, realpathSync} from 'node:fs';
import path from 'node:path';
import {fields} from '../config/fields.js';
import {flagName} from '../config/resolve.js';
import {quote} from '../remote/command.js';
import type {GlobalFlags} from './context.js';

/** A command line of labbox as this user runs it: `head [subcommand args] tail`. */
export interface Invocation {
	/** The launcher and the flags every command takes: `npm start -- --dir ~/lab`, `labbox --dir ~/lab`. */
	readonly head: string;
	/** The configuration flags given on the command line (`--server-port 2222`), never a secret's. */
	readonly tail: string;
}

/**
 * The launcher: `npm start --` (or `npm run NAME --`) when npm ran us for a script that starts labbox; `labbox`
 * when the `labbox` on the PATH is this program; else `node PATH/TO/bin/labbox.js`.
 */
export function launcher(env: Readonly<Record<string, string | undefined>>, script: string | undefined, cwd: string): string {
	const event = env.npm_lifecycle_event;
	// npm passes its variables to everything below it (a test run, a shell opened from a script): only a
	// script that itself runs labbox counts.
	if (event && /\blabbox\b/.test(env.npm_lifecycle_script ?? '')) {
		return event === 'start' ? 'npm start --' : event === 'npx' ? 'npx' : `npm run ${event} --`;
	}
	// Another program running labbox's main (a test's binary): the name users know.
	if (!script || !/(^|[/\\])labbox(\.js)?$/.test(script)) {
		return 'labbox';
	}
	const real = realpathOrSelf(script);
	for (const folder of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
		const candidate = path.join(folder, 'labbox');
		if (existsSync(candidate) && realpathOrSelf(candidate) === real) {
			return 'labbox';
		}
	}
	const relative = path.relative(cwd, script);
	return `node ${quote(relative.startsWith('..') || path.isAbsolute(relative) ? script : relative)}`;
}

/** The invocation for these flags: global flags in the head, configuration flags in the tail. */
export function invocationFor(launch: string, flags: GlobalFlags, options: Record<string, unknown>, home?: string): Invocation {
	const head = [launch];
	if (flags.dir) {
		head.push('--dir', homeRelative(flags.dir, home));
	}
	if (flags.config) {
		head.push('--config', homeRelative(flags.config, home));
	}
	// --yes is left out: a hint is read by a person, and some say "in a terminal without --yes".
	for (const flag of ['plain', 'verbose'] as const) {
		if (flags[flag]) {
			head.push(`--${flag}`);
		}
	}
	const tail: string[] = [];
	for (const field of fields) {
		const value = options[camelName(field.key)];
		if (typeof value === 'string' && !field.secret) {
			tail.push(`--${flagName(field.key)}`, quote(value));
		} else if (typeof value === 'boolean' && field.parse === 'boolean') {
			tail.push(`--${value ? '' : 'no-'}${flagName(field.key)}`); // a switch (issue 10 item 22)
		}
	}
	return {head: head.join(' '), tail: tail.join(' ')};
}

// Subcommands (or the wizard's own flags) that take the configuration flags.
const takesConfig = new Set(['', 'setup', 'run', 'resume', 'plan', 'status', '--resume']);

/** `labbox REST` as this user types it: `npm start -- --dir ~/lab run certificate --server-port 2222`. */
export function commandLine(invocation: Invocation, rest = ''): string {
	const first = rest.trim().split(/\s+/)[0] ?? '';
	return [invocation.head, rest.trim(), takesConfig.has(first) ? invocation.tail : ''].filter(Boolean).join(' ');
}

/**
 * Rewrites the labbox commands in a hint as this user types them: `` `labbox run dns` `` and "run labbox
 * again" (steps and errors write them plainly; one rewrite here keeps them all right).
 */
export function spellCommands(text: string, invocation: Invocation): string {
	if (!text.includes('labbox')) {
		return text;
	}
	// Already spelled (a text passed here twice) when it starts as the invocation does.
	const spelled = (rest: string) =>
		invocation.head.startsWith('labbox') && `labbox${rest}`.startsWith(invocation.head) && invocation.head !== 'labbox';
	return text
		.replaceAll(/`labbox((?: [^`]*)?)`/g, (match, rest: string) => (spelled(rest) ? match : `\`${commandLine(invocation, rest)}\``))
		.replaceAll(
			/\b([Rr]un) labbox( run [a-z-]+)?(?![\w`'-])/g,
			(_match, verb: string, rest = '') => `${verb} \`${commandLine(invocation, rest)}\``,
		);
}

/** `server.identityFile` → `serverIdentityFile`: how commander names the option. */
export function camelName(key: string): string {
	return flagName(key).replaceAll(/-([a-z])/g, (_match, letter: string) => letter.toUpperCase());
}

/**
 * `/home/ada/my-lab` → `~/my-lab` (as the user likely typed it; the shell expands it back). Anything else is quoted
 * by command.ts's `quote`, the only quoting (issue 11 item 4): a `~` the user gave stays a `~`.
 */
function homeRelative(value: string, home: string | undefined): string {
	if (home && home !== '/' && (value === home || value.startsWith(home + '/'))) {
		const rest = value.slice(home.length + 1);
		return rest === '' ? '~' : quote(rest) === rest ? `~/${rest}` : quote(value);
	}
	return quote(value);
}

function realpathOrSelf(file: string): string {
	try {
		return realpathSync(file);
	} catch {
		return file;
	}
}
