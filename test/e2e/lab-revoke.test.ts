// Issue 9 item 4: whoever leaves auth.allowedUsers loses access at once. A finished lab (`labbox --yes`) on a
// fresh debian13 server allows alice and bob, who both log in through the world's provider and have JupyterLab
// running. alice is then removed from lab.yaml: `labbox plan` says what will happen, `labbox run stack --yes`
// does it, and afterwards her old browser session opens neither /hub/home nor her JupyterLab, her API token
// is refused, her notebook container is gone, her home and its files are kept, and bob's server runs on,
// untouched. (bob is the world's "denied" account: this lab allows him, so the world needs no third user.)
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import type {Browser, Page} from 'playwright-core';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {clearDnsRecord, freshServer, launchBrowser, setDnsRecord, world, type World} from '../world/index.js';
import {fetchInPage, logIn, putFile, waitForJupyterLab} from './lab-browser.js';
import {fetchHttps, labConfig, labYaml, pebbleRoot, runLabbox, stepLines} from './lab-world.js';

const domain = 'lab-revoke.test';
const removal = "remove alice's access (stop their server, end their sessions; their home folder is kept)";

describe('a user removed from auth.allowedUsers loses access at once', () => {
	const server = freshServer('debian13', async started => {
		// The world's DNS adds addresses to a name: clear what earlier runs left.
		await clearDnsRecord(domain);
		await setDnsRecord(domain, started.host);
	});
	let w: World;
	let lab: string;
	let home: string;
	let config: Record<string, unknown>;
	let ca: string;
	let browser: Browser;
	let alice: Page;
	let bob: Page;
	let aliceToken: string;

	const labbox = (args: readonly string[]) =>
		runLabbox(args, {lab, home, env: {LABBOX_AUTH_CLIENT_SECRET: w.oidc!.clientSecret}, timeout: 1_200_000});
	const hubApi = (urlPath: string, token?: string) => fetchHttps(`https://${domain}${urlPath}`, ca, {host: server().host, token});
	/** Name and start time of each notebook container (DockerSpawner names them jupyter-USER). */
	const notebooks = async () =>
		(await server().exec("docker ps --all --filter name=jupyter- --format '{{.Names}} {{.State}}' | sort")).stdout.trim();
	const startedAt = async (container: string) =>
		(await server().exec(`docker inspect -f '{{.State.StartedAt}}' ${container}`)).stdout.trim();

	beforeAll(async () => {
		w = await world();
		lab = await mkdtemp(path.join(tmpdir(), 'labbox-e2e-revoke-'));
		home = await mkdtemp(path.join(tmpdir(), 'labbox-e2e-home-'));
		config = {...labConfig(w, server(), domain), 'auth.allowedUsers': ['alice', 'bob'], 'auth.admins': []};
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

	it('alice and bob log in, each in a browser session of their own, and their JupyterLab runs', async () => {
		// newPage: a browser context (cookie jar) of its own.
		alice = await browser.newPage();
		await logIn(alice, domain, w.oidc!.users.allowed);
		await waitForJupyterLab(alice, 'alice');
		expect(await putFile(alice, 'alice', 'kept.txt', 'alice wrote this')).toBe(201);
		// bob's server is proven through his session by its API (JupyterLab's page itself is alice's proof).
		bob = await browser.newPage();
		await logIn(bob, domain, w.oidc!.users.denied);
		await bob.waitForURL(/\/user\/bob\/lab/, {timeout: 180_000});
		expect(await fetchInPage(bob, '/user/bob/api/contents')).toEqual({status: 200, path: '/user/bob/api/contents'});
		expect(await notebooks()).toBe('jupyter-alice running\njupyter-bob running');
		await alice.goto(`https://${domain}/hub/home`);
		expect(new URL(alice.url()).pathname).toBe('/hub/home');
		// A token of alice's, as a script of hers would hold one.
		aliceToken = (
			await server().exec(
				"docker exec labbox-hub-1 sh -c 'cd /srv/jupyterhub && jupyterhub token -f /etc/labbox/jupyterhub_config.py alice' 2>/dev/null | tail -1",
			)
		).stdout.trim();
		expect(aliceToken).toMatch(/^[0-9a-f]{32}$/);
		expect((await hubApi('/hub/api/user', aliceToken)).status).toBe(200);
	});

	it('labbox plan says that alice loses her access, and nothing about bob', async () => {
		await writeFile(path.join(lab, 'lab.yaml'), labYaml({...config, 'auth.allowedUsers': ['bob']}));
		const plan = await labbox(['plan']);
		console.log(String(plan.all));
		expect(String(plan.all)).toContain(removal);
		expect(String(plan.all)).not.toContain("remove bob's access");
	});

	it('labbox run stack ends her sessions, token and server, keeps her home, and leaves bob running', async () => {
		const bobStarted = await startedAt('jupyter-bob');
		const applied = await labbox(['run', 'stack', '--yes']);
		console.log(String(applied.all));
		expect(applied.exitCode, String(applied.all)).toBe(0);
		expect(stepLines(String(applied.all)).some(line => line.startsWith('stack changed '))).toBe(true);

		// Her old session: the hub sends her to the login page, and her JupyterLab URL does not open.
		await alice.goto(`https://${domain}/hub/home`);
		expect(new URL(alice.url()).pathname).toBe('/hub/login');
		await alice.goto(`https://${domain}/user/alice/lab`);
		expect(new URL(alice.url()).pathname).toBe('/hub/login');
		expect(await alice.locator('#jp-main-dock-panel').count()).toBe(0);
		expect(await fetchInPage(alice, '/user/alice/api/contents/kept.txt')).not.toEqual({
			status: 200,
			path: '/user/alice/api/contents/kept.txt',
		});
		expect((await hubApi('/hub/api/user', aliceToken)).status).toBe(403);

		// Her container is gone; her home and its files are kept, as they were.
		expect(await notebooks()).toBe('jupyter-bob running');
		expect((await server().exec("stat -c '%u:%g %a' /srv/lab/homes/alice; cat /srv/lab/homes/alice/kept.txt")).stdout).toBe(
			'1000:100 700\nalice wrote this',
		);

		// bob's server was not restarted, and his session still reaches it.
		expect(await startedAt('jupyter-bob')).toBe(bobStarted);
		expect(await fetchInPage(bob, '/user/bob/api/contents')).toEqual({status: 200, path: '/user/bob/api/contents'});
		// And labbox said so.
		expect(String(applied.all)).toMatch(/removed alice's access/);
	});

	it('a second plan has nothing left to remove', async () => {
		const plan = await labbox(['plan']);
		expect(String(plan.all)).not.toContain("remove alice's access");
	});
});
