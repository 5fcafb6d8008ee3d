import {existsSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {execa} from 'execa';
import {afterEach, beforeAll, describe, expect, it} from 'vitest';
import {tempDir} from '../helpers/lab-folder.js';
import {root} from '../helpers/labbox-process.js';
import {TmuxTerminal} from '../helpers/tmux.js';

let terminal: TmuxTerminal | undefined;

// The built CLI (dist/, what `npm start` and the bin run), with test steps instead of the lab's.
const command = `node --import ${pathToFileURL(path.join(root, 'node_modules/tsx/dist/loader.mjs')).href} ${path.join(root, 'test/helpers/labbox-test-bin.ts')}`;

describe('the wizard in a real terminal', {timeout: 120_000}, () => {
	beforeAll(async () => {
		await execa('npm', ['run', 'build'], {cwd: root});
	}, 120_000);

	afterEach(async () => {
		await terminal?.close();
	});

	it('asks the questions, shows the plan, runs the steps, saves the answers', async () => {
		const lab = tempDir();
		const home = tempDir('labbox-home-');
		terminal = await TmuxTerminal.start(command, {
			cwd: lab,
			env: {
				TEST_LAB_BUILT: '1',
				TEST_LAB_SERVER: path.join(lab, 'server'),
				TEST_LAB_LINES: 'beta:500',
				HOME: home,
				NODE_ENV: 'production',
				TERM: 'xterm-256color',
			},
		});
		const answer = async (question: RegExp, text: string, ...keys: string[]) => {
			await terminal!.waitFor(question);
			await terminal!.type(text, ...(keys.length > 0 ? keys : ['Enter']));
		};
		await answer(/\? Server address/, '203.0.113.7');
		await answer(/\? SSH user/, '');
		// 443 is refused at the prompt, in the question's own words (issue 10 item 11).
		await answer(/\? Move sshd to which port/, '', 'BSpace', 'BSpace', '4', '4', '3', 'Enter');
		await terminal.waitFor(/Port 443 is the lab's web server's; expected a whole number/);
		await terminal.type('', 'BSpace', 'BSpace', 'BSpace');
		await terminal.type('2222', 'Enter');
		// Asked here, before the plan: never mid-run (issue 10 item 9).
		await answer(/\? Close the old SSH port once a login on the new one works/, '');
		await answer(/\? The lab's DNS name/, 'lab.example.org');
		await answer(/\? Certificate/, '');
		await answer(/\? Email for Let's Encrypt/, 'ada@example.org');
		await answer(/Trusted by browsers/, '');
		// Lab accounts come first (issue 14); GitHub is the next choice.
		await answer(/\? Login with/, '', 'Down', 'Enter');
		// The GitHub app's exact callback URL is shown with the client id question.
		await terminal.waitFor(/Authorization callback URL: https:\/\/lab\.example\.org\/hub\/oauth_callback/);
		await answer(/\? OAuth client id/, 'Iv1.abc');
		await answer(/\? OAuth client secret/, 'very-secret-value');
		await answer(/\? Allowed organisations/, 'my-lab-org');
		await answer(/\? Allowed users/, '');
		await answer(/\? Hub admins/, 'ada');
		// Issue 12: where the backups go, with why; no backup is an answer given.
		await terminal.waitFor(/backups on another machine bring them back/);
		await answer(/\? Where should the lab be backed up/, 'none');
		const plan = await terminal.waitFor(/Enter to start/);
		expect(plan).toMatch(/create beta/);
		await terminal.type('', 'Enter');
		const done = await terminal.waitFor(/EXIT=\d+/);
		expect(done).toContain('EXIT=0');
		expect(done).toMatch(/3 changed/);
		expect(done).not.toContain('very-secret-value');
		const yaml = readFileSync(path.join(lab, 'lab.yaml'), 'utf8');
		expect(yaml).toContain('port: 2222');
		expect(yaml).toContain('my-lab-org');
		expect(yaml).not.toContain('very-secret-value');
		expect(statSync(path.join(lab, 'secrets.env')).mode & 0o777).toBe(0o600);
		expect(existsSync(path.join(lab, 'server', 'gamma'))).toBe(true);
	});

	it('offers lab accounts first, one line per choice, and asks only the admin, their password and sign-up (issue 14)', async () => {
		const lab = tempDir();
		writeFileSync(
			path.join(lab, 'lab.yaml'),
			'server:\n  host: 203.0.113.7\n  user: root\nssh:\n  port: 22\ndomain: lab.example.org\ncertificate:\n  mode: self-signed\nbackup:\n  repository: none\n',
		);
		terminal = await TmuxTerminal.start(command, {
			cwd: lab,
			env: {
				TEST_LAB_BUILT: '1',
				TEST_LAB_SERVER: path.join(lab, 'server'),
				HOME: tempDir('labbox-home-'),
				NODE_ENV: 'production',
				TERM: 'xterm-256color',
			},
		});
		const answer = async (question: RegExp, text: string, ...keys: string[]) => {
			await terminal!.waitFor(question);
			await terminal!.type(text, ...(keys.length > 0 ? keys : ['Enter']));
		};
		const login = await terminal.waitFor(/\? Login with/);
		const choices = login.split('\n').filter(row => /accounts|OpenID Connect:/.test(row));
		expect(choices.map(row => row.replace(/^[\s❯>]+/, '').trim())).toEqual([
			'Lab accounts: people sign up, you approve them (no provider needed)',
			'GitHub accounts (you register an OAuth app at GitHub)',
			'GitLab accounts, gitlab.com or your own (an OAuth app there)',
			'OpenID Connect: Keycloak, Google, … (a client at your provider)',
		]);
		await terminal.type('', 'Enter');
		await terminal.waitFor(/labbox creates that lab account itself/);
		await answer(/\? Hub admins/, 'ada, grace');
		await terminal.waitFor(/name exactly one admin \(2 are named\)/);
		await terminal.type('', ...Array.from({length: 7}, () => 'BSpace'), 'Enter');
		await answer(/\? Password for the admin's lab account/, 'correct horse battery');
		await answer(/\? Let people sign up/, '');
		const plan = await terminal.waitFor(/Enter to start/);
		expect(plan).not.toMatch(/OAuth|Allowed users/);
		await terminal.type('', 'C-c');
		const done = await terminal.waitFor(/EXIT=\d+/);
		expect(done).not.toContain('correct horse battery');
		const yaml = readFileSync(path.join(lab, 'lab.yaml'), 'utf8');
		expect(yaml).toMatch(/type: local/);
		expect(yaml).toMatch(/admins:\n\s+- ada\n/);
		expect(yaml).toMatch(/signup: true/);
		expect(yaml).not.toContain('correct horse battery');
		expect(readFileSync(path.join(lab, 'secrets.env'), 'utf8')).toBe('LABBOX_AUTH_ADMIN_PASSWORD=correct horse battery\n');
		expect(statSync(path.join(lab, 'secrets.env')).mode & 0o777).toBe(0o600);
	});

	it('Ctrl-C on the plan screen changes nothing and exits 130', async () => {
		const lab = tempDir();
		const home = tempDir('labbox-home-');
		writeFileSync(
			path.join(lab, 'lab.yaml'),
			'server:\n  host: 203.0.113.7\n  user: root\nssh:\n  port: 2222\n  closeOldPort: false\ndomain: lab.example.org\ncertificate:\n  mode: letsencrypt\n  email: ada@example.org\n  staging: true\nauth:\n  type: github\n  clientId: Iv1.abc\n  allowedUsers: [ada]\n  allowedGroups: [my-lab-org]\n  admins: [ada]\nbackup:\n  repository: none\n',
		);
		writeFileSync(path.join(lab, 'secrets.env'), 'LABBOX_AUTH_CLIENT_SECRET=very-secret-value\n', {mode: 0o600});
		terminal = await TmuxTerminal.start(command, {
			cwd: lab,
			env: {TEST_LAB_BUILT: '1', TEST_LAB_SERVER: path.join(lab, 'server'), HOME: home, NODE_ENV: 'production', TERM: 'xterm-256color'},
		});
		await terminal.waitFor(/Enter to start/);
		await terminal.type('', 'C-c');
		const done = await terminal.waitFor(/EXIT=\d+/);
		expect(done).toContain('Nothing was changed.');
		expect(done).toContain('EXIT=130');
		expect(existsSync(path.join(lab, 'server'))).toBe(false);
	});

	it('with nothing to change, says so and asks nothing (issue 10 item 21)', async () => {
		const lab = tempDir();
		const home = tempDir('labbox-home-');
		const server = path.join(lab, 'server');
		writeFileSync(
			path.join(lab, 'lab.yaml'),
			'server:\n  host: 203.0.113.7\n  user: root\nssh:\n  port: 2222\n  closeOldPort: false\ndomain: lab.example.org\ncertificate:\n  mode: letsencrypt\n  email: ada@example.org\n  staging: true\nauth:\n  type: github\n  clientId: Iv1.abc\n  allowedUsers: [ada]\n  allowedGroups: [my-lab-org]\n  admins: [ada]\nbackup:\n  repository: none\n',
		);
		writeFileSync(path.join(lab, 'secrets.env'), 'LABBOX_AUTH_CLIENT_SECRET=very-secret-value\n', {mode: 0o600});
		const env = {TEST_LAB_BUILT: '1', TEST_LAB_SERVER: server, HOME: home, NODE_ENV: 'production', TERM: 'xterm-256color'};
		terminal = await TmuxTerminal.start(command, {cwd: lab, env});
		await terminal.waitFor(/Enter to start/);
		await terminal.type('', 'Enter');
		expect(await terminal.waitFor(/EXIT=\d+/)).toContain('EXIT=0');
		await terminal.close();

		terminal = await TmuxTerminal.start(command, {cwd: lab, env});
		const again = await terminal.waitFor(/EXIT=\d+/);
		expect(again).toContain('Nothing to change: all 3 steps are already done.');
		expect(again).not.toContain('Enter to start');
		expect(again).toContain('EXIT=0');
	});

	it('draws no colour with NO_COLOR set, and colour without it (issue 10 item 19)', async () => {
		const lab = tempDir();
		writeFileSync(
			path.join(lab, 'lab.yaml'),
			'server:\n  host: 203.0.113.7\n  user: root\nssh:\n  port: 2222\n  closeOldPort: false\ndomain: lab.example.org\ncertificate:\n  mode: letsencrypt\n  email: ada@example.org\n  staging: true\nauth:\n  type: github\n  clientId: Iv1.abc\n  allowedUsers: [ada]\n  allowedGroups: [my-lab-org]\n  admins: [ada]\nbackup:\n  repository: none\n',
		);
		writeFileSync(path.join(lab, 'secrets.env'), 'LABBOX_AUTH_CLIENT_SECRET=very-secret-value\n', {mode: 0o600});
		// A colour is an SGR foreground: 30-37, 90-97 or 38;…
		const coloured = /\u001B\[(?:[0-9;]*;)?(?:3[0-8]|9[0-7])(?:;[0-9;]*)?m/;
		for (const noColor of [true, false]) {
			const env: Record<string, string> = {
				TEST_LAB_BUILT: '1',
				TEST_LAB_SERVER: path.join(lab, 'server'),
				HOME: tempDir('labbox-home-'),
				NODE_ENV: 'production',
				TERM: 'xterm-256color',
				...(noColor ? {NO_COLOR: '1'} : {}),
			};
			terminal = await TmuxTerminal.start(command, {cwd: lab, env});
			await terminal.waitFor(/Enter to start/);
			const styled = await terminal.styled();
			if (noColor) {
				expect(styled).not.toMatch(coloured);
			} else {
				expect(styled).toMatch(coloured);
			}
			await terminal.close();
		}
	});
});
