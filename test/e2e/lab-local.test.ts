// Issue 14: a lab with its own accounts (auth.type local, NativeAuthenticator) and two environments
// (images.choices), on a fresh debian13 server, in Chromium. One lab for both items: ada is the admin labbox
// creates (her password only in the environment, as a secret); alice and bob sign up and wait for her approval;
// alice picks the second environment and her container runs that image with its memory limit; bob's account
// locks after wrong passwords; carol signs up and `labbox users approve` lets her in; `auth.signup: false` closes the
// sign-up page, restarting only the hub, and `labbox users add` still makes dave an account; `labbox users remove`
// takes carol and dave out again, their homes kept; the admin's own new
// password survives a hub restart, and a new secret resets it. Last, the admin password is looked for
// everywhere labbox or the lab could have written it.
import {readdir, readFile, rm, mkdtemp, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import type {Browser, Page} from 'playwright-core';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {choiceImages} from '../world/choice-images.js';
import {clearDnsRecord, freshServer, launchBrowser, setDnsRecord, world, type World} from '../world/index.js';
import {changePassword, logInWithPassword, signUp, waitForJupyterLab} from './lab-browser.js';
import {fetchHttps, labConfig, labYaml, pebbleRoot, runLabbox, startTimes, stepLines} from './lab-world.js';

const domain = 'lab-local.test';
const admin = {username: 'ada', password: 'Tea-at-4-in-the-lab-office'};
const alice = {username: 'alice', password: 'alice-walks-the-long-way'};
const bob = {username: 'bob', password: 'bob-plays-the-bassoon-97'};
const carol = {username: 'carol', password: 'carol-counts-the-clouds-3'};
const notApproved = 'User alice has not been authorized by an administrator yet.';
const refused = 'Invalid username or password.';

describe('lab accounts and a choice of environments', () => {
	const server = freshServer('debian13', async started => {
		await clearDnsRecord(domain);
		await setDnsRecord(domain, started.host);
	});
	let w: World;
	let lab: string;
	let home: string;
	let config: Record<string, unknown>;
	let second: string;
	let ca: string;
	let browser: Browser;
	let adminPage: Page;
	const output: string[] = [];

	/** labbox with the admin password in its environment only (no secrets.env: the lab folder must never hold it). */
	const labbox = async (args: readonly string[]) => {
		const result = await runLabbox(args, {lab, home, env: {LABBOX_AUTH_ADMIN_PASSWORD: admin.password}, timeout: 1_200_000});
		output.push(String(result.all));
		return result;
	};

	/** Waits (bounded: 3 minutes) until the hub answers /hub/health through nginx again, after a restart. */
	const hubAnswers = async () => {
		const deadline = Date.now() + 180_000;
		for (;;) {
			const health = await fetchHttps(`https://${domain}/hub/health`, ca, {host: server().host}).catch(() => ({status: 0}));
			if (health.status === 200) return;
			if (Date.now() > deadline) throw new Error(`the hub did not answer /hub/health within 3 minutes (last: ${health.status})`);
			await new Promise(resolve => setTimeout(resolve, 2000));
		}
	};

	beforeAll(async () => {
		w = await world();
		const images = await choiceImages();
		second = images.singleuserSecond;
		lab = await mkdtemp(path.join(tmpdir(), 'labbox-e2e-local-'));
		home = await mkdtemp(path.join(tmpdir(), 'labbox-e2e-home-'));
		const oauth = ['auth.issuer', 'auth.clientId', 'auth.clientSecret', 'auth.clientAuth', 'auth.caFile', 'auth.allowedUsers'];
		config = {
			...Object.fromEntries(Object.entries(labConfig(w, server(), domain)).filter(([key]) => !oauth.includes(key))),
			'auth.type': 'local',
			'auth.admins': [admin.username],
			'images.hub': images.hubLocal,
			'images.choices': [
				{name: 'Standard', image: w.registry!.images.singleuser},
				{name: 'Second (1 GiB)', image: second, memory: '1G'},
			],
		};
		await writeFile(path.join(lab, 'lab.yaml'), labYaml(config));
		const setup = await labbox(['--yes']);
		console.log(['  labbox --yes:', ...stepLines(String(setup.all)).map(line => `    ${line}`)].join('\n'));
		expect(setup.exitCode, String(setup.all)).toBe(0);
		ca = await pebbleRoot(w);
		const leaf = (await server().exec('cat /srv/lab/certs/fullchain.pem')).stdout;
		browser = await launchBrowser({hosts: {[domain]: server().host}, trustCertificates: [leaf]});
	});

	afterAll(async () => {
		await browser?.close();
		await clearDnsRecord(domain);
		for (const folder of [lab, home]) if (folder) await rm(folder, {recursive: true, force: true});
	});

	it('the images step pulled both environments, and labbox plan lists them', async () => {
		const logs = path.join(lab, '.labbox', 'logs');
		const log = await readFile(path.join(logs, (await readdir(logs)).sort()[0]!), 'utf8');
		expect(log).toContain(`docker pull ${second}`);
		expect((await server().exec(`docker image inspect --format ok ${second}`)).stdout.trim()).toBe('ok');
		const plan = await labbox(['plan']);
		expect(String(plan.all)).toContain('every image is on the server (environments: Standard, Second (1 GiB))');
	});

	it('the admin logs in with the password labbox set; a wrong one is refused', async () => {
		adminPage = await browser.newPage();
		expect(await logInWithPassword(adminPage, domain, {...admin, password: 'not-her-password-at-all'})).toEqual({
			path: '/hub/login',
			error: refused,
		});
		const login = await logInWithPassword(adminPage, domain, admin);
		expect(login.error).toBeUndefined();
		expect(login.path).toMatch(/^\/hub\/(spawn|home)/);
		await adminPage.goto(`https://${domain}/hub/authorize`);
		expect(new URL(adminPage.url()).pathname).toBe('/hub/authorize');
	});

	it('alice signs up, cannot log in until the admin approves her, then picks the second environment and JupyterLab loads', async () => {
		const page = await browser.newPage();
		expect(await signUp(page, domain, alice)).toContain('Your information has been sent to the admin.');
		expect(await logInWithPassword(page, domain, alice)).toEqual({path: '/hub/login', error: notApproved});
		// The admin's authorization page: one click on alice's "Authorize".
		await adminPage.goto(`https://${domain}/hub/authorize`);
		await Promise.all([adminPage.waitForNavigation(), adminPage.click(`a[href$="/authorize/${alice.username}"]`)]);
		expect(await adminPage.locator(`a[href$="/authorize/${alice.username}"]`).innerText()).toBe('Unauthorize');

		expect(await logInWithPassword(page, domain, alice)).toEqual({path: expect.stringMatching(/^\/hub\/spawn/)});
		const offered = await page.locator('select[name="image"] option').allInnerTexts();
		expect(offered).toEqual(['Standard', 'Second (1 GiB)']);
		await page.selectOption('select[name="image"]', 'Second (1 GiB)');
		await page.click('#spawn_form button[type="submit"]');
		await waitForJupyterLab(page, alice.username);

		const inspected = (await server().exec("docker inspect -f '{{.Config.Image}} {{.HostConfig.Memory}}' jupyter-alice")).stdout.trim();
		expect(inspected).toBe(`${second} ${1024 ** 3}`);
	});

	it("ten wrong passwords in a row lock bob's account: then even his own password is refused", async () => {
		const page = await browser.newPage();
		await signUp(page, domain, bob);
		await adminPage.goto(`https://${domain}/hub/authorize`);
		await Promise.all([adminPage.waitForNavigation(), adminPage.click(`a[href$="/authorize/${bob.username}"]`)]);
		const guesser = await browser.newPage();
		for (let attempt = 0; attempt < 10; attempt++) {
			expect(await logInWithPassword(guesser, domain, {...bob, password: `guess-number-${attempt}-wrong`})).toMatchObject({error: refused});
		}
		expect(await logInWithPassword(page, domain, bob)).toEqual({path: '/hub/login', error: refused});
	});

	it('labbox users shows who waits for approval; labbox users approve approves carol, who then logs in (issue 14 item 1)', async () => {
		const page = await browser.newPage();
		expect(await signUp(page, domain, carol)).toContain('Your information has been sent to the admin.');
		const listed = await labbox(['users']);
		expect(listed.exitCode, String(listed.all)).toBe(0);
		expect(String(listed.stdout)).toMatch(/^ {2}carol +waiting for approval +never logged in$/m);
		expect(String(listed.stdout)).toMatch(/^ {2}alice +user +running/m);
		expect(String(listed.stdout)).toContain('Waiting for approval: carol (`labbox users approve carol` approves them).');
		// A name that has not signed up: said, exit 2, and carol is not approved either.
		const unknown = await labbox(['users', 'approve', 'carol', 'nobody-here', '--yes']);
		expect(unknown.exitCode, String(unknown.all)).toBe(2);
		expect(String(unknown.stderr)).toContain('nobody-here has not signed up: there is no account to approve.');
		expect(await logInWithPassword(page, domain, carol)).toEqual({path: '/hub/login', error: notApproved.replace('alice', 'carol')});
		const approved = await labbox(['users', 'approve', 'carol', '--yes']);
		expect(approved.exitCode, String(approved.all)).toBe(0);
		expect(String(approved.stdout)).toContain('carol is approved: they can log in now');
		expect(await logInWithPassword(page, domain, carol)).toEqual({path: expect.stringMatching(/^\/hub\/spawn/)});
		const again = await labbox(['users', 'approve', 'carol', '--yes']);
		expect(String(again.stdout)).toContain('Nothing to change: carol is already approved.');
	});

	it('auth.signup: false closes the sign-up page, restarting the hub only', async () => {
		const before = await startTimes(server());
		await writeFile(path.join(lab, 'lab.yaml'), labYaml({...config, 'auth.signup': false}));
		const applied = await labbox(['--yes']);
		expect(applied.exitCode, String(applied.all)).toBe(0);
		const after = await startTimes(server());
		expect(after.find(line => line.startsWith('/labbox-nginx-1'))).toBe(before.find(line => line.startsWith('/labbox-nginx-1')));
		expect(after.find(line => line.startsWith('/labbox-hub-1'))).not.toBe(before.find(line => line.startsWith('/labbox-hub-1')));
		expect((await fetchHttps(`https://${domain}/hub/signup`, ca, {host: server().host})).status).toBe(404);
		// The admin's account is kept as it was: she still logs in.
		expect((await logInWithPassword(await browser.newPage(), domain, admin)).error).toBeUndefined();
		// A second run changes nothing.
		const again = await labbox(['--yes']);
		expect(stepLines(String(again.all)).filter(line => !/ ok \(/.test(line))).toEqual([]);
	});

	it('with sign-up closed, labbox users add makes dave an account with a one-time password shown once; he logs in (issue 14 item 2)', async () => {
		const made = await labbox(['users', 'add', 'dave', '--yes']);
		expect(made.exitCode, String(made.all)).toBe(0);
		const password = /^ {2}([A-Za-z0-9]{20})$/m.exec(String(made.stdout))?.[1];
		expect(password, String(made.stdout)).toBeDefined();
		expect(String(made.stdout)).toContain(
			`dave logs in at https://${domain}/hub/login and sets their own at https://${domain}/hub/change-password.`,
		);
		const logs = path.join(lab, '.labbox', 'logs');
		for (const file of await readdir(logs)) expect(await readFile(path.join(logs, file), 'utf8'), file).not.toContain(password);
		expect(await logInWithPassword(await browser.newPage(), domain, {username: 'dave', password: password!})).toEqual({
			path: expect.stringMatching(/^\/hub\/spawn/),
		});
		const again = await labbox(['users', 'add', 'dave', '--yes']);
		expect(again.exitCode).toBe(0);
		expect(String(again.stdout)).toMatch(/^Nothing to change: dave already has an account and can log in/);
	});

	it('labbox users remove takes carol and dave out through the hub: they cannot log in, their homes stay; the admin is refused (polish item 5)', async () => {
		await server().exec(
			'mkdir -p /srv/lab/homes/carol && echo kept > /srv/lab/homes/carol/notes.txt && chown -R 1000:100 /srv/lab/homes/carol',
		);
		const yaml = await readFile(path.join(lab, 'lab.yaml'), 'utf8');
		const refusedAdmin = await labbox(['users', 'remove', admin.username, '--yes']);
		expect(refusedAdmin.exitCode, String(refusedAdmin.all)).toBe(2);
		expect(String(refusedAdmin.stderr)).toContain("ada is the admin's lab account, which labbox keeps (auth.admins)");
		const removed = await labbox(['users', 'remove', 'carol', 'dave', '--yes']);
		expect(removed.exitCode, String(removed.all)).toBe(0);
		expect(String(removed.stdout)).toContain("remove carol's lab account: they can no longer log in");
		expect(String(removed.stdout)).toContain("removed carol's lab account: they can no longer log in");
		expect(String(removed.stdout)).toContain("removed dave's lab account: they can no longer log in");
		const page = await browser.newPage();
		expect(await logInWithPassword(page, domain, carol)).toMatchObject({path: '/hub/login', error: expect.any(String)});
		const listed = await labbox(['users']);
		expect(String(listed.stdout)).not.toMatch(/^ {2}(carol|dave) /m);
		expect((await server().exec('cat /srv/lab/homes/carol/notes.txt')).stdout.trim()).toBe('kept');
		expect(await readFile(path.join(lab, 'lab.yaml'), 'utf8')).toBe(yaml);
		const again = await labbox(['users', 'remove', 'carol', '--yes']);
		expect(again.exitCode).toBe(2);
		expect(String(again.stderr)).toContain('carol has no lab account: nothing to remove');
	});

	it("the admin's own new password survives a hub restart; a new one in the secret resets it (issue 14 item 3)", async () => {
		const chosen = 'Coffee-at-10-in-the-library';
		const page = await browser.newPage();
		expect((await logInWithPassword(page, domain, admin)).error).toBeUndefined();
		expect(await changePassword(page, domain, admin.password, chosen)).toBe('Your password has been changed successfully!');
		await server().exec('cd /srv/lab && docker compose restart hub');
		await hubAnswers();
		expect((await logInWithPassword(await browser.newPage(), domain, {...admin, password: chosen})).error).toBeUndefined();
		expect(await logInWithPassword(await browser.newPage(), domain, admin)).toEqual({path: '/hub/login', error: refused});
		// The owner's reset: a new password in the secret, then labbox run stack (the hub restarts with it).
		const reset = 'Lunch-at-1-on-the-terrace';
		const run = await runLabbox(['run', 'stack', '--yes'], {lab, home, env: {LABBOX_AUTH_ADMIN_PASSWORD: reset}, timeout: 600_000});
		output.push(String(run.all));
		expect(run.exitCode, String(run.all)).toBe(0);
		expect(String(run.all)).not.toContain(reset);
		expect((await logInWithPassword(await browser.newPage(), domain, {...admin, password: reset})).error).toBeUndefined();
		// And back to the lab's own secret, which the last test looks for.
		expect((await labbox(['run', 'stack', '--yes'])).exitCode).toBe(0);
		expect((await logInWithPassword(await browser.newPage(), domain, admin)).error).toBeUndefined();
	});

	it('the admin password is nowhere: not on the screen, in lab.yaml, the state or the logs, nor in a world-readable file on the server', async () => {
		expect(output.join('\n')).not.toContain(admin.password);
		const files = async (folder: string): Promise<string[]> =>
			(await readdir(folder, {withFileTypes: true, recursive: true}))
				.filter(entry => entry.isFile())
				.map(entry => path.join(entry.parentPath, entry.name));
		const labFiles = await files(lab);
		expect(labFiles.some(file => file.includes(`${path.sep}logs${path.sep}`))).toBe(true);
		for (const file of labFiles) expect(await readFile(file, 'utf8'), file).not.toContain(admin.password);
		// On the server the hub gets it from .env (0600, root), base64 in LABBOX_SECRETS: look for that form too.
		const env = await server().exec("stat -c '%a %U' /srv/lab/.env; sed -n 's/^LABBOX_SECRETS=//p' /srv/lab/.env");
		const [mode, encoded] = env.stdout.trim().split('\n');
		expect(mode).toBe('600 root');
		expect(Buffer.from(encoded!, 'base64').toString()).toContain(admin.password);
		// The two forms come on stdin: the test writes no file with them on the server.
		const found = await server().exec(
			'read -r plain; read -r encoded; find /srv /etc /home /root /tmp /var/log /var/lib/docker -type f -perm -o+r -print0 2>/dev/null | xargs -0 grep -l -F -e "$plain" -e "$encoded" 2>/dev/null; true',
			`${admin.password}\n${encoded}\n`,
		);
		expect(found.stdout.trim()).toBe('');
		const logs = await server().exec('cd /srv/lab && docker compose logs --no-color 2>&1');
		expect(logs.stdout).not.toContain(admin.password);
	});
});
