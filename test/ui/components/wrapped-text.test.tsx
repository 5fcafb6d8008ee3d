// Notes and question help are broken between words by labbox, not by Ink: Ink's wrap keeps the space it breaks at,
// so the line after a full one began with a space (" for your researchers…" on the first screen at 80 columns,
// " OAuth App:" in the GitHub help; seen walking the wizard).
import {inkTerminals} from '../support/ink-terminal.js';
import {describe, expect, it} from 'vitest';
import {fieldByKey} from '../../../source/config/fields.js';
import {questionFor} from '../../../source/config/questions.js';
import {wrapSegments} from '../../../source/ui/text.js';
import {waitFor} from '../support/frames.js';

const mount = inkTerminals();

const firstScreen =
	'labbox sets up a JupyterHub lab on your server. You need: a Linux server you can reach with SSH as root or as a sudo user, a DNS name you control, and a way for your researchers to log in (accounts in the lab itself, or GitHub, GitLab or OpenID Connect). Nothing on the server changes until you have seen the plan and pressed Enter; Ctrl-C keeps your answers.';

/** The lines of the last frame Ink drew, from `from` on. */
function linesFrom(text: string, from: string): string[] {
	return text
		.slice(text.lastIndexOf(from))
		.split('\n')
		.filter(line => line.trim() !== '');
}

function expectBrokenBetweenWords(lines: readonly string[], columns: number) {
	expect(lines.length).toBeGreaterThan(1);
	for (const line of lines) {
		expect(line, `a line begins with the space it was broken at: ${JSON.stringify(line)}`).not.toMatch(/^ \S/);
		expect(line.length).toBeLessThan(columns);
	}
}

describe('text broken between words at the terminal width', () => {
	it.each([60, 80, 120])('the first screen at %i columns', async columns => {
		const {stdout, renderer} = mount({columns});
		renderer.note(firstScreen);
		await waitFor(
			() => stdout.text(),
			text => text.includes('answers.'),
		);
		const lines = linesFrom(stdout.text(), 'labbox sets up');
		const note = lines.slice(0, lines.findIndex(line => line.endsWith('answers.')) + 1);
		expect(note.join(' ').replaceAll(/\s+/g, ' ')).toBe(firstScreen);
		expectBrokenBetweenWords(note, columns);
	});

	it.each([60, 80])("a question's help at %i columns (GitHub's OAuth app)", async columns => {
		const {stdout, renderer} = mount({columns});
		void renderer
			.ask(questionFor(fieldByKey.get('auth.clientId')!, {domain: 'lab.example.org', 'auth.type': 'github'}))
			.catch(() => undefined);
		await waitFor(
			() => stdout.text(),
			text => text.includes('hub/oauth_callback'),
		);
		const lines = linesFrom(stdout.text(), 'Create an OAuth app');
		const help = lines.slice(0, lines.findIndex(line => line.includes('hub/oauth_callback')) + 1);
		// The URL to paste stays whole on its line.
		expect(help.at(-1)).toMatch(/(^|\s)https:\/\/lab\.example\.org\/hub\/oauth_callback$/);
		expectBrokenBetweenWords(help, columns);
	});
});

describe('a line of several looks broken between words (wrapSegments, Wrapped)', () => {
	it('cuts each line back into the segments it came from, the break spaces dropped, the indent added', () => {
		const lines = wrapSegments(
			[
				{text: '✔', color: 'green'},
				{text: ' Docker '},
				{text: 'changed', color: 'green'},
				{text: ' 12.8s Docker 26.1.5, Compose 2.26.1 and more words', color: 'gray'},
			],
			30,
			'  ',
		);
		expect(lines.map(line => line.map(segment => segment.text).join(''))).toEqual([
			'✔ Docker changed 12.8s Docker',
			'  26.1.5, Compose 2.26.1 and',
			'  more words',
		]);
		expect(lines[0]!.map(segment => segment.color)).toEqual(['green', undefined, 'green', 'gray']);
		expect(lines[1]!).toEqual([{text: '  '}, {text: '26.1.5, Compose 2.26.1 and', color: 'gray'}]);
	});

	it.each([60, 80])("a finished step's row at %i columns (the connect step's long detail)", async columns => {
		const {stdout, renderer} = mount({columns});
		renderer.handle({
			type: 'run-start',
			mode: 'setup',
			steps: [{id: 'connect', title: 'Connect to the server'}],
			selected: ['connect'],
			logPath: 'x.log',
		});
		renderer.handle({type: 'step-start', id: 'connect'});
		renderer.handle({
			type: 'step-end',
			id: 'connect',
			result: 'ok',
			durationMs: 347,
			detail: 'Debian GNU/Linux 13 (trixie) · x86_64 · 2 CPUs · 23.5 GiB RAM · 67.1 GiB free · sshd by ssh.service',
		});
		await waitFor(
			() => stdout.text(),
			text => text.includes('ssh.service'),
		);
		const lines = linesFrom(stdout.text(), '✔ Connect to the server');
		const row = lines.slice(0, lines.findIndex(line => line.endsWith('ssh.service')) + 1);
		expectBrokenBetweenWords(row, columns);
	});
});
