// The wizard as a person meets it, in a real terminal (tmux) with the built CLI, at 60×20 and 120×40, keys
// typed one at a time with pauses (issue 10): Ctrl-C at a question keeps every answer and exits 130, the next
// `labbox` asks only what is missing and says so (item 4); the certificate question says what a trial and a
// trusted certificate are, and the summary says when browsers will warn and how to get a trusted one (item 6);
// the run leaves no trail of live frames in the scroll-back (item 7).
import {existsSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {pathToFileURL} from 'node:url';
import {execa} from 'execa';
import {afterEach, beforeAll, describe, expect, it} from 'vitest';
import {tempDir} from '../helpers/lab-folder.js';
import {whatYouNeed} from '../../source/cli/help.js';
import {root} from '../helpers/labbox-process.js';
import {TmuxTerminal} from '../helpers/tmux.js';

const command = `node --import ${pathToFileURL(path.join(root, 'node_modules/tsx/dist/loader.mjs')).href} ${path.join(root, 'test/helpers/labbox-test-bin.ts')}`;
const spinner = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/;
let terminal: TmuxTerminal | undefined;

beforeAll(async () => {
	await execa('npm', ['run', 'build'], {cwd: root});
}, 180_000);

afterEach(async () => {
	await terminal?.close();
});

/** What a wizard with the test steps needs in its terminal: the built CLI, a home of its own, no CI. */
function labEnv(lab: string): Record<string, string> {
	return {
		TEST_LAB_BUILT: '1',
		TEST_LAB_SERVER: path.join(lab, 'server'),
		HOME: tempDir('labbox-home-'),
		NODE_ENV: 'production',
		TERM: 'xterm-256color',
	};
}

describe.each([
	{width: 60, height: 20, trusted: false},
	{width: 120, height: 40, trusted: true},
])('the wizard at $width×$height', {timeout: 180_000}, ({width, height, trusted}) => {
	it('keeps every answer through Ctrl-C (exit 130), asks only the rest, and says what the certificate is', async () => {
		const lab = tempDir();
		const env = {...labEnv(lab), TEST_LAB_SLOW: 'beta:2500', TEST_LAB_LINES: 'beta:400', TEST_LAB_URL_STEP: 'gamma'};
		terminal = await TmuxTerminal.start(command, {cwd: lab, width, height, env});
		const answer = async (question: RegExp, text: string, ...keys: string[]) => {
			await terminal!.waitFor(question);
			await sleep(600); // reading the question
			await terminal!.typeLikeAPerson(text, ...(keys.length > 0 ? keys : ['Enter']));
		};
		// Item 22: the first screen says what is needed and that nothing changes before the plan.
		const first = (await terminal.waitFor(/\? Server address/)).replaceAll(/\s+/g, ' ');
		expect(first).toContain(whatYouNeed);
		expect(first).toContain('Nothing on the server changes until you have seen the plan and pressed Enter');
		await answer(/\? Server address/, '203.0.113.7');
		await answer(/\? SSH user/, '');
		await answer(/\? Move sshd to which port/, '', 'BSpace', 'BSpace', '2', '2', '2', '2', 'Enter');
		// Issue 10 item 9: whether to close the old port is asked here, before the plan, not mid-run.
		await answer(/\? Close the old SSH port once a login on the new one works/, '');
		// Item 18: a yes/no answer reads as yes or no, not true or false.
		const confirmed = (await terminal.waitFor(/\? The lab's DNS name/)).replaceAll(/\s+/g, ' ');
		expect(confirmed).toContain('✔ Close the old SSH port once a login on the new one works? no');
		await answer(/\? The lab's DNS name/, 'lab.example.org');
		await answer(/\? Certificate/, '');
		await answer(/\? Email for Let's Encrypt/, 'ada@example.org');
		// Item 6: asked, with what each choice means.
		const certificate = await terminal.waitFor(/Which Let's Encrypt certificate/);
		expect(certificate).toMatch(/Trial \(browsers warn/);
		expect(certificate).toMatch(/Trusted by browsers/);
		await answer(/Trusted by browsers/, '', ...(trusted ? ['Down', 'Enter'] : ['Enter']));
		// Lab accounts come first (issue 14); GitHub is the next choice.
		await answer(/\? Login with/, '', 'Down', 'Enter');
		await answer(/\? OAuth client id/, 'Iv1.abc');
		await answer(/\? OAuth client secret/, 'very-secret-value');
		// Item 4: Ctrl-C at the twelfth question.
		await terminal.waitFor(/\? Allowed organisations/);
		await sleep(800);
		await terminal.type('', 'C-c');
		const stopped = await terminal.waitFor(/EXIT=\d+/);
		expect(stopped).toContain('EXIT=130');
		expect(stopped.replaceAll('\n', ' ')).toMatch(/your 11 answers are saved in lab\.yaml \(the secret in\s+secrets\.env, mode 0600\)/);
		const yaml = readFileSync(path.join(lab, 'lab.yaml'), 'utf8');
		for (const saved of [
			'host: 203.0.113.7',
			'user: root',
			'port: 2222',
			'domain: lab.example.org',
			'mode: letsencrypt',
			'email: ada@example.org',
			`staging: ${String(!trusted)}`,
			'type: github',
			'clientId: Iv1.abc',
		]) {
			expect(yaml).toContain(saved);
		}
		expect(yaml).not.toContain('very-secret-value');
		expect(readFileSync(path.join(lab, 'secrets.env'), 'utf8')).toBe('LABBOX_AUTH_CLIENT_SECRET=very-secret-value\n');
		expect(statSync(path.join(lab, 'secrets.env')).mode & 0o777).toBe(0o600);
		await terminal.close();

		// The next labbox: says what it kept, asks only the three questions left.
		terminal = await TmuxTerminal.start(command, {cwd: lab, width, height, env});
		const resumed = await terminal.waitFor(/\? Allowed organisations/);
		expect(resumed.replaceAll('\n', ' ')).toMatch(/Using the 11 answers in lab\.yaml and secrets\.env; 5\s+questions left\./);
		expect(resumed).not.toMatch(/Server address|OAuth client secret/);
		await answer(/\? Allowed organisations/, '');
		await answer(/\? Allowed users/, 'ada');
		await answer(/\? Hub admins/, 'ada');
		await answer(/\? Where should the lab be backed up/, 'none');
		await terminal.waitFor(/Enter to start/);
		await sleep(1000);
		await terminal.type('', 'Enter');
		await terminal.waitFor(/EXIT=\d+/, 60_000);
		const rows = (await terminal.scrollback()).split('\n');
		const text = rows.join('\n');
		expect(text).toContain('EXIT=0');
		expect(text).not.toContain('very-secret-value');
		expect(existsSync(path.join(lab, 'server', 'gamma'))).toBe(true);
		const flat = rows
			.map(row => row.trim())
			.join(' ')
			.replaceAll(/\s+/g, ' ');
		if (trusted) {
			expect(flat).not.toContain('Browsers will warn');
		} else {
			// Item 6: the summary says plainly that browsers will warn, and the exact change and command.
			expect(flat).toMatch(/Browsers will warn before opening it: its certificate is a trial one, from Let's Encrypt's staging CA\./);
			expect(flat).toMatch(
				/For a trusted certificate: in lab\.yaml, under `certificate:`, set `staging: false`; then run `labbox run certificate`/,
			);
		}
		// Item 7: no copy of a live frame in the scroll-back; each step once; the prompt on a line of its own.
		expect(rows.filter(row => spinner.test(row))).toEqual([]);
		expect(rows.filter(row => /earlier lines|│ beta line/.test(row))).toEqual([]);
		for (const id of ['alpha', 'beta', 'gamma']) {
			expect(
				rows.filter(row => new RegExp(`^✔ Test step ${id} +changed`).test(row)),
				id,
			).toHaveLength(1);
		}
		expect(rows.some(row => /^EXIT=0$/.test(row))).toBe(true);
	});
});

describe('going back a question at 80×24 (issue 10 item 17)', {timeout: 180_000}, () => {
	it('Esc and ↑ ask the previous question again with its answer offered; the empty allow list is refused at the users question', async () => {
		const lab = tempDir();
		const env = labEnv(lab);
		terminal = await TmuxTerminal.start(command, {cwd: lab, width: 80, height: 24, env});
		const flat = (screen: string) => screen.replaceAll(/\s+/g, ' ');
		/** The open question (the last `? ` line) and what follows it. */
		const open = async (question: RegExp) => {
			const screen = await terminal!.waitFor(new RegExp(`\\? ${question.source}[^\\n]*\\n(?![\\s\\S]*\\n\\? )`));
			return screen.slice(screen.lastIndexOf('\n? '));
		};
		const answer = async (question: RegExp, text: string, ...keys: string[]) => {
			await open(question);
			await sleep(500); // reading the question
			await terminal!.typeLikeAPerson(text, ...(keys.length > 0 ? keys : ['Enter']));
		};
		await answer(/Server address/, '127.0.0.1');
		// ↑ at a text question: back to the address, offered as it was given; Enter keeps it.
		expect(await open(/SSH user/)).toContain('Esc: back to the previous question');
		await answer(/SSH user/, '', 'Up');
		expect(await open(/Server address/)).toMatch(/› 127\.0\.0\.1/);
		await answer(/Server address/, '');
		await answer(/SSH user/, '');
		await answer(/Move sshd to which port/, '2222');
		await answer(/Close the old SSH port/, 'n');
		await answer(/The lab's DNS name/, 'lab.example.org');
		await answer(/Certificate/, '');
		await answer(/Email for Let's Encrypt/, 'ada@example.org');
		// Esc at a choice (where ↑ moves): back to the email, which is typed again.
		await answer(/Which Let's Encrypt certificate/, '', 'Escape');
		expect(await open(/Email for Let's Encrypt/)).toMatch(/› ada@example\.org/);
		await answer(/Email for Let's Encrypt/, 'grace@example.org');
		await answer(/Which Let's Encrypt certificate/, '');
		// Lab accounts come first (issue 14): GitHub is one down.
		await answer(/Login with/, '', 'Down', 'Enter');
		await answer(/OAuth client id/, 'Iv1.abc');
		await answer(/OAuth client secret/, 'very-secret-value');
		// The groups question may be empty; the users question, asked after it, is where an empty list is refused.
		await answer(/Allowed organisations\/groups/, '');
		await answer(/Allowed users/, '');
		const refused = flat(await terminal.waitFor(/the allow list is empty/));
		expect(refused).toContain(
			'With no user and no group, the allow list is empty and anyone with a GitHub account could log in. Give at least one user name, e.g. ada, or press Esc to go back and give a group.',
		);
		await sleep(500);
		await terminal.type('', 'Escape');
		await answer(/Allowed organisations\/groups/, 'my-lab-org');
		await answer(/Allowed users/, '');
		await answer(/Hub admins/, 'ada');
		await answer(/Where should the lab be backed up/, 'none');
		await terminal.waitFor(/Enter to start/);
		await sleep(500);
		await terminal.type('', 'Enter');
		expect(await terminal.waitFor(/EXIT=\d+/, 60_000)).toContain('EXIT=0');
		const yaml = readFileSync(path.join(lab, 'lab.yaml'), 'utf8');
		for (const saved of [
			'host: 127.0.0.1',
			'user: root',
			'email: grace@example.org',
			'  allowedGroups:\n    - my-lab-org',
			'allowedUsers: []',
		]) {
			expect(yaml).toContain(saved);
		}
		expect(readFileSync(path.join(lab, 'secrets.env'), 'utf8')).toBe('LABBOX_AUTH_CLIENT_SECRET=very-secret-value\n');
	});
});

describe('--plain in a terminal at 80×24 (issue 10 item 19)', {timeout: 180_000}, () => {
	it('asks every question on plain lines (a secret unseen, a choice by number, Esc back), then the plan, then runs', async () => {
		const lab = tempDir();
		const env = labEnv(lab);
		terminal = await TmuxTerminal.start(`${command} --plain`, {cwd: lab, width: 80, height: 24, env});
		/** Waits for the question, reads it, types the answer like a person. */
		const answer = async (question: RegExp, text: string, ...keys: string[]) => {
			await terminal!.waitFor(new RegExp(`\\? ${question.source}[^\\n]*\\n(?:.*\\n)*›[^\\n]*\\s*$`));
			await sleep(500);
			await terminal!.typeLikeAPerson(text, ...(keys.length > 0 ? keys : ['Enter']));
		};
		await answer(/Server address/, '127.0.0.1');
		await answer(/SSH user/, '');
		await answer(/Move sshd to which port/, '2222');
		await answer(/Close the old SSH port/, 'n');
		await answer(/The lab's DNS name/, 'lab.example.org');
		// A choice by its number; a number out of range is refused, saying what to type.
		const certificate = await terminal.waitFor(/2\) Self-signed/);
		expect(certificate).toMatch(/1\) Let's Encrypt/);
		await answer(/Certificate/, '7');
		await terminal.waitFor(/Type a number from 1 to 3\./);
		await terminal.typeLikeAPerson('2', 'Enter');
		// Lab accounts come first (issue 14): GitHub is the second.
		await answer(/Login with/, '2');
		await answer(/OAuth client id/, 'Iv1.abc');
		await answer(/OAuth client secret/, 'very-secret-value');
		await answer(/Allowed organisations\/groups/, '');
		// Esc at a plain question goes back one, too.
		await answer(/Allowed users/, '', 'Escape');
		await answer(/Allowed organisations\/groups/, 'my-lab-org');
		await answer(/Allowed users/, '');
		await answer(/Hub admins/, 'ada');
		await answer(/Where should the lab be backed up/, 'none');
		const plan = await terminal.waitFor(/Enter starts the run, n cancels:/);
		expect(plan).toMatch(/\+ create beta/);
		await sleep(500);
		await terminal.type('', 'Enter');
		const done = await terminal.waitFor(/EXIT=\d+/, 60_000);
		expect(done).toContain('EXIT=0');
		expect(done).toMatch(/3 changed/);
		expect(await terminal.scrollback()).not.toContain('very-secret-value');
		const yaml = readFileSync(path.join(lab, 'lab.yaml'), 'utf8');
		for (const saved of [
			'host: 127.0.0.1',
			'port: 2222',
			'closeOldPort: false',
			'mode: self-signed',
			'  allowedGroups:\n    - my-lab-org',
			'admins:\n    - ada',
		]) {
			expect(yaml).toContain(saved);
		}
		expect(readFileSync(path.join(lab, 'secrets.env'), 'utf8')).toBe('LABBOX_AUTH_CLIENT_SECRET=very-secret-value\n');
	});

	it('Ctrl-C at a plain question keeps the answers and exits 130', async () => {
		const lab = tempDir();
		const env = labEnv(lab);
		terminal = await TmuxTerminal.start(`${command} --plain`, {cwd: lab, width: 80, height: 24, env});
		await terminal.waitFor(/\? Server address[^\n]*\n›/);
		await terminal.typeLikeAPerson('127.0.0.1', 'Enter');
		await terminal.waitFor(/\? SSH user[\s\S]*›[^\n]*\s*$/);
		await sleep(800);
		await terminal.type('', 'C-c');
		const stopped = (await terminal.waitFor(/EXIT=\d+/)).replaceAll(/\s+/g, ' ');
		expect(stopped).toContain('EXIT=130');
		expect(stopped).toContain('Interrupted: your answer is saved in lab.yaml;');
		expect(readFileSync(path.join(lab, 'lab.yaml'), 'utf8')).toContain('host: 127.0.0.1');
	});
});

describe('y⏎ at a yes/no question at 80×24 (issue 10 item 14)', {timeout: 180_000}, () => {
	it('an Enter typed right after y or n, or in the same chunk, does not answer the next question', async () => {
		const lab = tempDir();
		const env = labEnv(lab);
		terminal = await TmuxTerminal.start(command, {cwd: lab, width: 80, height: 24, env});
		const answer = async (question: RegExp, text: string) => {
			await terminal!.waitFor(question);
			await sleep(500); // reading the question
			await terminal!.typeLikeAPerson(text, 'Enter');
		};
		/** The screen a moment after the keys: long enough for a stray Enter to have answered the next question. */
		const settled = async (question: RegExp) => {
			await terminal!.waitFor(question);
			await sleep(1000);
			return (await terminal!.screen()).replaceAll(/\s+/g, ' ');
		};
		await answer(/\? Server address/, '127.0.0.1');
		await answer(/\? SSH user/, '');
		await answer(/\? Move sshd to which port/, '2222');
		await terminal.waitFor(/\? Close the old SSH port/);
		await sleep(500);
		// y, then Enter 120 ms later, as people type "y⏎".
		await terminal.type('y');
		await sleep(120);
		await terminal.type('', 'Enter');
		const afterY = await settled(/\? The lab's DNS name/);
		expect(afterY).toContain('✔ Close the old SSH port once a login on the new one works? yes');
		expect(afterY).not.toContain('An answer is needed');
		// Back to it (Esc), then n and Enter in one chunk (typed fast, a slow link).
		await terminal.type('', 'Escape');
		await terminal.waitFor(/\? Close the old SSH port[\s\S]*› Y\/n/); // the earlier answer offered
		await sleep(500);
		await terminal.type('n\r');
		const afterN = await settled(/works\? no[\s\S]*\? The lab's DNS name/);
		expect(afterN).not.toContain('An answer is needed');
		// A whole answer and its Enter in one chunk is taken as typed.
		await terminal.type('lab.example.org\r');
		await terminal.waitFor(/\? Certificate/);
		await terminal.type('', 'C-c');
		expect(await terminal.waitFor(/EXIT=\d+/)).toContain('EXIT=130');
		const yaml = readFileSync(path.join(lab, 'lab.yaml'), 'utf8');
		expect(yaml).toContain('closeOldPort: false');
		expect(yaml).toContain('domain: lab.example.org');
	});
});

describe('a plan taller than the screen at 60×20 (issue 10 item 7)', {timeout: 180_000}, () => {
	it('is printed once into the scroll-back, and what the terminal showed before labbox stays there', async () => {
		const lab = tempDir();
		writeFileSync(
			path.join(lab, 'lab.yaml'),
			'server:\n  host: 203.0.113.7\n  user: root\nssh:\n  port: 22\ndomain: lab.example.org\ncertificate:\n  mode: self-signed\nauth:\n  type: github\n  clientId: Iv1.abc\n  allowedUsers: [ada]\n  allowedGroups: []\n  admins: [ada]\nbackup:\n  repository: none\n',
		);
		writeFileSync(path.join(lab, 'secrets.env'), 'LABBOX_AUTH_CLIENT_SECRET=very-secret-value\n', {mode: 0o600});
		// Twelve steps with one change each: a plan of 27 rows on a screen of 20.
		const steps = Array.from({length: 12}, (_, index) => `step${index + 1}`);
		const env = {...labEnv(lab), TEST_LAB_STEPS: steps.join(' ')};
		terminal = await TmuxTerminal.start(`sh -c 'echo the shell before labbox; exec ${command}'`, {cwd: lab, width: 60, height: 20, env});
		await terminal.waitFor(/Enter to start/);
		await sleep(1000); // reading the plan
		await terminal.type('', 'Enter');
		await terminal.waitFor(/^EXIT=\d+$/m, 60_000);
		const rows = (await terminal.scrollback()).split('\n');
		// Ink clears the whole terminal, scroll-back included, once its live area is as tall as the screen.
		expect(rows[0]).toBe('the shell before labbox');
		expect(rows.filter(row => row === '● Test step step1 will change')).toHaveLength(1);
		expect(rows.filter(row => /^ +\+ create step12$/.test(row))).toHaveLength(1);
		expect(rows.filter(row => /Enter to start/.test(row))).toEqual([]);
		expect(rows).toContain('EXIT=0');
	});
});
