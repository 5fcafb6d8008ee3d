import {describe, expect, it} from 'vitest';
import {
	any,
	append,
	chain,
	combine,
	group,
	pipe,
	quiet,
	quote,
	raw,
	sensitive,
	shell,
	toShell,
	withEnv,
	write,
} from '../../../source/remote/command.js';

describe('quote', () => {
	it.each([
		['plain', 'plain'],
		['/srv/lab/homes', '/srv/lab/homes'],
		['', "''"],
		['two words', "'two words'"],
		["it's", "'it'\\''s'"],
		['$HOME', "'$HOME'"],
		['a;rm -rf /', "'a;rm -rf /'"],
	])('%j → %s', (word, quoted) => {
		expect(quote(word)).toBe(quoted);
	});
});

describe('toShell', () => {
	const secret = ['echo', sensitive("p4ss'word")];

	it('renders a sensitive token for the server', () => {
		expect(toShell(secret)).toBe("echo 'p4ss'\\''word'");
	});

	it('redacts a sensitive token for logs', () => {
		expect(toShell(secret, {redact: true})).toBe('echo ***');
	});

	it('redacts inside sh -c', () => {
		expect(toShell(shell(combine(['cd', '/tmp'], secret)), {redact: true})).toBe("sh -c 'cd /tmp && echo ***'");
	});

	it('passes raw syntax through', () => {
		expect(toShell(['ls', raw('2>&1')])).toBe('ls 2>&1');
	});
});

describe('combinators', () => {
	it('combine', () => {
		expect(toShell(combine(['mkdir', '-p', '/a'], ['chmod', '700', '/a']))).toBe('mkdir -p /a && chmod 700 /a');
	});

	it('chain', () => {
		expect(toShell(chain(['true'], ['false']))).toBe('true ; false');
	});

	it('pipe', () => {
		expect(toShell(pipe(['cat', '/etc/hosts'], ['head', '-n1']))).toBe('cat /etc/hosts | head -n1');
	});

	it('any', () => {
		expect(toShell(any(['test', '-e', '/a'], ['touch', '/a']))).toBe('test -e /a || touch /a');
	});

	it('shell quotes the whole command once more, with args', () => {
		expect(toShell(shell(['echo', "it's", raw('"$1"')], 'sh', 'x y'))).toBe(`sh -c 'echo '\\''it'\\''\\'\\'''\\''s'\\'' "$1"' sh 'x y'`);
	});

	it('group', () => {
		expect(toShell(any(['a'], group(chain(['b'], ['false']))))).toBe('a || { b ; false ; }');
	});

	it('write', () => {
		expect(toShell(write(['echo', 'hi'], '/tmp/a b'))).toBe("echo hi > '/tmp/a b'");
	});

	it('append', () => {
		expect(toShell(append(['echo', 'hi'], '/tmp/a b'))).toBe("echo hi >> '/tmp/a b'");
	});

	it('quiet', () => {
		expect(toShell(quiet(['docker', '--version']))).toBe('docker --version 2>/dev/null');
	});

	it('withEnv', () => {
		expect(toShell(withEnv({LANG: 'C', NAME: 'a b'}, ['locale']))).toBe("env LANG=C 'NAME=a b' locale");
	});
});
