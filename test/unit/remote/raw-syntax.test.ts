// Issue 11 item 4: command.ts is the only quoting. A builder's words (programs, paths, units, messages, patterns)
// are tokens that `quote` renders; `raw` holds shell syntax only (operators, keywords, variables).
import {describe, expect, it} from 'vitest';
import type {Command, Token} from '../../../source/remote/command.js';
import {untilUnlocked} from '../../../source/remote/commands/apt.js';
import {readFileOr} from '../../../source/remote/commands/files.js';
import {reloadNginxIfRunning} from '../../../source/templates/renewer.js';
import {clearRevert, disarmRevert, restartSshd, revertNow} from '../../../steps/ssh-port/files.js';

/** The texts of every raw token, nested ones included. */
function rawTexts(command: Command): string[] {
	return command.flatMap((token: Token) =>
		typeof token === 'string' ? [] : token.kind === 'raw' ? [token.text] : token.kind === 'nested' ? rawTexts(token.command) : [],
	);
}

// Shell keywords and the few commands inside `$(...)`, and the loop variables: nothing a builder should pass as data.
const syntaxWords = new Set([
	'if',
	'then',
	'else',
	'fi',
	'for',
	'in',
	'do',
	'done',
	'while',
	'seq',
	'mktemp',
	'cat',
	'dev',
	'null',
	'f',
	'r',
	'n',
	'rc',
	'_',
]);

describe.each([
	['apt: the lock retry loop', untilUnlocked(['apt-get', 'update'])],
	['the renewer: reload nginx if it runs', reloadNginxIfRunning('/srv/lab')],
	['ssh-port: clear a revert', clearRevert()],
	['ssh-port: disarm the revert', disarmRevert()],
	['ssh-port: revert now', revertNow()],
	['ssh-port: restart ssh.socket', restartSshd('socket', 'ssh.socket')],
	['ssh-port: read a drop-in', readFileOr('/etc/ssh/sshd_config.d/10-labbox-port.conf', '@@absent@@')],
])('%s', (_name, command) => {
	it('has no quote, path or word in raw text', () => {
		for (const text of rawTexts(command)) {
			expect(text).not.toMatch(/'/);
			expect(text.replaceAll('2>/dev/null', '')).not.toMatch(/\//);
			const words = (text.match(/[A-Za-z_][\w.-]*/g) ?? []).filter(word => !syntaxWords.has(word));
			expect(words, text).toEqual([]);
		}
	});
});
