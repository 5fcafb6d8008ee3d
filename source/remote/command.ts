/**
 * Remote commands as data (kamal `commands/base.rb`): a command is a readonly token array, quoted in ONE
 * place (`quote`) when rendered by `toShell`. Builders return commands; the session executes them.
 */

/** A secret token (password, token): rendered as-is for the server, as `***` in logs. */
export interface Sensitive {
	readonly kind: 'sensitive';
	readonly value: string;
}

/** Shell syntax that must not be quoted (`&&`, `|`, `>`, `2>/dev/null`). */
export interface Raw {
	readonly kind: 'raw';
	readonly text: string;
}

/** A whole command rendered as ONE quoted word (the argument of `sh -c`), redacted recursively. */
export interface Nested {
	readonly kind: 'nested';
	readonly command: Command;
}

/** One word of a command: a plain string is quoted as needed when rendered. */
export type Token = string | Sensitive | Raw | Nested;

/** A remote command: tokens joined by spaces once rendered. */
export type Command = readonly Token[];

/** Options of `toShell`. */
export interface RenderOptions {
	/** Render sensitive tokens as `***` (for logs and error messages). */
	readonly redact?: boolean;
}

/** Wraps a secret so that logs and errors show `***` instead. */
export function sensitive(value: string): Sensitive {
	return {kind: 'sensitive', value};
}

/** Shell syntax passed through unquoted; never build one from user input. */
export function raw(text: string): Raw {
	return {kind: 'raw', text};
}

// Words made only of these characters need no quotes (same set as Python's shlex.quote).
const safeWord = /^[\w@%+=:,./-]+$/;

/** POSIX single-quoting, the only quoting in labbox: `it's` → `'it'\''s'`. */
export function quote(word: string): string {
	if (safeWord.test(word)) {
		return word;
	}

	return `'${word.replaceAll("'", "'\\''")}'`;
}

/** Renders a command to the string the server runs, or, with `redact`, the string logs show. */
export function toShell(command: Command, options: RenderOptions = {}): string {
	return command.map(token => renderToken(token, options)).join(' ');
}

// What a person is shown for a command that is mostly plumbing (apt's lock-retry loop around `apt-get update`):
// the screen echoes the short form, the log and error messages keep the whole command (issue 10 item 13).
const shortForms = new WeakMap<Command, Command>();

/** Marks `command` to be shown as `shown` on the screen (`shownCommand`); it still runs as itself. */
export function shownAs(command: Command, shown: Command): Command {
	shortForms.set(command, shortForms.get(shown) ?? shown);
	return command;
}

/** The command as the screen shows it: its short form when it has one, redacted. */
export function shownCommand(command: Command): string {
	return toShell(shortForms.get(command) ?? command, {redact: true});
}

function renderToken(token: Token, options: RenderOptions): string {
	if (typeof token === 'string') {
		return quote(token);
	}

	switch (token.kind) {
		case 'sensitive': {
			return options.redact ? '***' : quote(token.value);
		}

		case 'raw': {
			return token.text;
		}

		case 'nested': {
			return quote(toShell(token.command, options));
		}
	}
}

function joinBy(operator: string, commands: readonly Command[]): Command {
	return commands.flatMap((command, index) => (index === 0 ? command : [raw(operator), ...command]));
}

/** `a && b && c`: each runs only if the previous one succeeded. */
export function combine(...commands: readonly Command[]): Command {
	return joinBy('&&', commands);
}

/** `a ; b ; c`: each runs whatever the previous one returned. */
export function chain(...commands: readonly Command[]): Command {
	return joinBy(';', commands);
}

/** `a | b | c`. */
export function pipe(...commands: readonly Command[]): Command {
	return joinBy('|', commands);
}

/** `a || b || c`: the first that succeeds. */
export function any(...commands: readonly Command[]): Command {
	return joinBy('||', commands);
}

/** `{ a ; }`: one unit for the operators around it (`a && b || { undo ; false ; }`), in the same shell. */
export function group(command: Command): Command {
	return [raw('{'), ...command, raw(';'), raw('}')];
}

/** `if condition ; then command ; fi`: runs `command` only when `condition` succeeds; succeeds when it does not. */
export function ifThen(condition: Command, command: Command): Command {
	return [raw('if'), ...condition, raw('; then'), ...command, raw('; fi')];
}

/** `for _ in $(seq N) ; do command ; done`: a bounded loop (`break` in `command` leaves it early). */
export function repeat(times: number, command: Command): Command {
	if (!Number.isInteger(times) || times < 1) {
		throw new Error(`repeat: ${times} is not a positive whole number`);
	}
	return [raw(`for _ in $(seq ${times}); do`), ...command, raw('; done')];
}

/** A shell variable's value as one word (`"$name"`): for scripts that keep state in variables. */
export function variable(name: string): Raw {
	if (!/^(?:[A-Za-z_]\w*|@|\d)$/.test(name)) {
		throw new Error(`variable: ${JSON.stringify(name)} is not a shell variable name`);
	}
	return raw(`"$${name}"`);
}

/** `sh -c '...'`: runs a compound command as one (under sudo, say); extra args become `$0`, `$1`... */
export function shell(command: Command, ...args: readonly Token[]): Command {
	return ['sh', '-c', {kind: 'nested', command}, ...args];
}

/** `command > path`: the output written to a file. */
export function write(command: Command, path: string): Command {
	return [...command, raw('>'), path];
}

/** `command >> path`: the output added to the end of a file. */
export function append(command: Command, path: string): Command {
	return [...command, raw('>>'), path];
}

/** `command 2>/dev/null`: hides error output (facts whose absence is an answer). */
export function quiet(command: Command): Command {
	return [...command, raw('2>/dev/null')];
}

/** `env K=V ... command`: `env` keeps assignments working even when a value needs quotes. */
export function withEnv(variables: Readonly<Record<string, string>>, command: Command): Command {
	const assignments = Object.entries(variables).map(([name, value]) => `${name}=${value}`);
	return ['env', ...assignments, ...command];
}
