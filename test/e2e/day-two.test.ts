// Issue 13: living with a finished lab, with labbox alone. One lab (`labbox --yes`) on a fresh debian13 server
// allows alice (admin), whose JupyterLab runs throughout. `labbox users add bob` lets bob log in in a real browser;
// `labbox users remove bob` refuses his next login and keeps his home, while alice's notebook container is never
// restarted. `labbox users` shows alice's server running; `labbox logs hub` shows the hub's lines without a
// secret; `labbox upgrade` rolls back from a newer hub that cannot start, then moves the lab from the world's default
// images to those at the current pins (current-images.ts); `labbox destroy` removes the lab's containers and units
// and keeps homes and the database; `labbox destroy --purge`, with the domain typed in a terminal, deletes /srv/lab.
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import type {Browser, Page} from 'playwright-core';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {parseDocument} from 'yaml';
import {clearDnsRecord, freshServer, launchBrowser, setDnsRecord, world, type World} from '../world/index.js';
import {currentImages} from '../world/current-images.js';
import {fetchInPage, logIn, putFile, waitForJupyterLab} from './lab-browser.js';
import {TmuxTerminal} from '../helpers/tmux.js';
import {labConfig, labYaml, runLabbox, stepLines} from './lab-world.js';

const domain = 'lab-daytwo.test';
const bin = path.join(fileURLToPath(new URL('../..', import.meta.url)), 'bin/labbox.js');

describe('day two: users, logs and destroy from labbox (issue 13)', () => {
	const server = freshServer('debian13', async started => {
		await clearDnsRecord(domain);
		await setDnsRecord(domain, started.host);
	});
	let w: World;
	let lab: string;
	let home: string;
	let browser: Browser;
	let alice: Page;
	let aliceStarted: string;

	const labbox = (args: readonly string[], timeout = 1_200_000) =>
		runLabbox(args, {lab, home, env: {LABBOX_AUTH_CLIENT_SECRET: w.oidc!.clientSecret}, timeout});
	const startedAt = async (container: string) =>
		(await server().exec(`docker inspect -f '{{.State.StartedAt}}' ${container}`)).stdout.trim();
	/** A login in a browser context of its own; the hub's OAuth callback's status (403: refused). */
	const freshLogin = async (account: {username: string; password: string}) => {
		const page = await browser.newPage();
		const response = await logIn(page, domain, account);
		return {page, status: response.status()};
	};

	beforeAll(async () => {
		w = await world();
		lab = await mkdtemp(path.join(tmpdir(), 'labbox-e2e-daytwo-'));
		home = await mkdtemp(path.join(tmpdir(), 'labbox-e2e-home-'));
		// A comment of the user's, which `labbox users` must keep.
		await writeFile(path.join(lab, 'lab.yaml'), `# the day-two lab\n${labYaml(labConfig(w, server(), domain))}`);
		const setup = await labbox(['--yes']);
		console.log(['  labbox --yes:', ...stepLines(String(setup.all)).map(line => `    ${line}`)].join('\n'));
		expect(setup.exitCode, String(setup.all)).toBe(0);
		const leaf = (await server().exec('cat /srv/lab/certs/fullchain.pem')).stdout;
		browser = await launchBrowser({hosts: {[domain]: server().host}, trustCertificates: [leaf]});
		alice = await browser.newPage();
		await logIn(alice, domain, w.oidc!.users.allowed);
		await waitForJupyterLab(alice, 'alice');
		expect(await putFile(alice, 'alice', 'kept.txt', 'alice wrote this')).toBe(201);
		aliceStarted = await startedAt('jupyter-alice');
	});

	afterAll(async () => {
		await browser?.close();
		await clearDnsRecord(domain);
		for (const folder of [lab, home]) if (folder) await rm(folder, {recursive: true, force: true});
	});

	it('labbox users lists alice as an admin whose server runs', async () => {
		const listed = await labbox(['users']);
		console.log(String(listed.all));
		expect(listed.exitCode, String(listed.all)).toBe(0);
		expect(String(listed.stdout)).toMatch(/^ {2}alice +admin +running +(just now|\d+ minutes? ago)$/m);
	});

	it('labbox users add bob: bob logs in; alice keeps her notebook; lab.yaml keeps its comment', async () => {
		const before = await freshLogin(w.oidc!.users.denied);
		expect(before.status).toBe(403);
		await before.page.close();

		const added = await labbox(['users', 'add', 'bob', '--yes']);
		console.log(String(added.all));
		expect(added.exitCode, String(added.all)).toBe(0);
		expect(String(added.all)).toContain('lab.yaml: add bob to auth.allowedUsers');
		const yaml = await readFile(path.join(lab, 'lab.yaml'), 'utf8');
		expect(yaml.startsWith('# the day-two lab\n')).toBe(true);
		expect(yaml).toMatch(/allowedUsers:\n {4}- alice\n {4}- bob\n/);

		const bob = await freshLogin(w.oidc!.users.denied);
		expect(bob.status).toBe(302);
		await bob.page.waitForURL(/\/user\/bob\/lab/, {timeout: 180_000});
		await bob.page.close();
		expect(await startedAt('jupyter-alice')).toBe(aliceStarted);
	});

	it('labbox users remove bob: his server stops, his next login is refused, his home stays; alice runs on', async () => {
		const removed = await labbox(['users', 'remove', 'bob', '--yes']);
		console.log(String(removed.all));
		expect(removed.exitCode, String(removed.all)).toBe(0);
		expect(String(removed.all)).toMatch(/removed bob's access/);
		expect((await server().exec("docker ps --all --filter name=jupyter- --format '{{.Names}}' | sort")).stdout.trim()).toBe(
			'jupyter-alice',
		);
		const again = await freshLogin(w.oidc!.users.denied);
		expect(again.status).toBe(403);
		await again.page.close();
		expect((await server().exec("stat -c '%u:%g %a' /srv/lab/homes/bob")).stdout.trim()).toBe('1000:100 700');
		expect(await startedAt('jupyter-alice')).toBe(aliceStarted);
		const listed = await labbox(['users']);
		expect(String(listed.stdout)).not.toMatch(/^ {2}bob /m);
	});

	it("labbox logs hub --since 10m shows the hub's lines and none of the lab's secrets", async () => {
		const logs = await labbox(['logs', 'hub', '--since', '10m'], 120_000);
		expect(logs.exitCode, String(logs.all)).toBe(0);
		const out = String(logs.stdout);
		console.log(out.split('\n').slice(-8).join('\n'));
		// JupyterHub's own lines: the login and spawn of alice in the last ten minutes.
		expect(out).toMatch(/^hub-1 +\| \[[IWD] .*JupyterHub/m);
		expect(out).toMatch(/alice/);
		const secrets = [w.oidc!.clientSecret, (await server().exec('cat /srv/lab/data/labbox-api-token')).stdout.trim()];
		for (const secret of secrets) {
			expect(secret.length).toBeGreaterThan(8);
			expect(String(logs.all)).not.toContain(secret);
		}
		const bad = await labbox(['logs', 'hub', '--since', 'yesterday'], 60_000);
		expect(bad.exitCode).toBe(2);
		expect(String(bad.stderr)).toBe('--since yesterday: expected a number and a unit, e.g. 30s, 10m, 1h or 2d');
	});

	it('labbox ssh in a real terminal: a shell on the server that runs a command and returns', async () => {
		const terminal = await TmuxTerminal.start(`node ${bin} ssh`, {
			cwd: lab,
			width: 120,
			height: 40,
			env: {HOME: home, SSH_AUTH_SOCK: '', LABBOX_AUTH_CLIENT_SECRET: w.oidc!.clientSecret, TERM: 'xterm-256color'},
		});
		try {
			await terminal.waitFor(/[#$] $/m, 60_000);
			await terminal.type('echo "on $(cat /etc/hostname) as $(id -un)"', 'Enter');
			const hostname = (await server().exec('cat /etc/hostname')).stdout.trim();
			await terminal.waitFor(new RegExp(`on ${hostname} as root`), 20_000);
			await terminal.type('exit', 'Enter');
			expect(await terminal.waitFor(/EXIT=0/, 20_000)).toMatch(/EXIT=0/);
		} finally {
			await terminal.close();
		}
		const one = await labbox(['ssh', '--', 'cat', '/srv/lab/homes/alice/kept.txt'], 60_000);
		expect(one.exitCode, String(one.all)).toBe(0);
		expect(String(one.stdout)).toBe('alice wrote this');
	});

	// The hub's schema version in its database (alembic), read with the hub's own Python.
	const schemaVersion = async () =>
		(
			await server().exec(
				`docker exec labbox-hub-1 python3 -c "import sqlite3; print(sqlite3.connect('/srv/jupyterhub/data/jupyterhub.sqlite').execute('select version_num from alembic_version').fetchone()[0])"`,
			)
		).stdout.trim();
	const setImage = async (key: string, value: string) => {
		const file = path.join(lab, 'lab.yaml');
		const document = parseDocument(await readFile(file, 'utf8'));
		document.setIn(key.split('.'), value);
		await writeFile(file, document.toString());
	};
	const withoutBoxes = (output: unknown) =>
		String(output)
			.split('\n')
			.filter(line => !line.includes('│'))
			.join('\n');

	it('labbox upgrade to a newer hub that cannot start (JupyterHub 6.1 upgrades the database, then exits): rolled back to the old hub and database, exit 1 with the reason', async () => {
		const {hub} = w.registry!.images;
		const current = await currentImages();
		const schemaBefore = await schemaVersion();
		await setImage('images.hub', current.hubBroken);
		const broken = await labbox(['upgrade', '--yes']);
		console.log(withoutBoxes(broken.all).split('\n').slice(-14).join('\n'));
		expect(broken.exitCode).toBe(1);
		expect(String(broken.stdout)).toContain(`images.hub: ${hub} → ${current.hubBroken}`);
		expect(String(broken.stderr)).toContain('The lab did not come up on the new images: rolling back to the previous images and database.');
		expect(String(broken.stderr)).toContain(`Rolled back: the lab runs on images.hub ${hub} with its database as before the upgrade.`);
		expect((await server().exec("docker inspect -f '{{.Config.Image}} {{.State.Status}}' labbox-hub-1")).stdout.trim()).toBe(
			`${hub} running`,
		);
		// The broken hub did upgrade the database (JupyterHub keeps a dated copy when it does); the rollback put the
		// one of JupyterHub 5.4.6 back.
		expect((await server().exec('ls /srv/lab/data')).stdout).toMatch(/^jupyterhub\.sqlite\.\d{4}-\d\d-\d\d/m);
		expect(await schemaVersion()).toBe(schemaBefore);
		await alice.goto(`https://${domain}/hub/home`);
		expect(new URL(alice.url()).pathname).toBe('/hub/home');
		expect(await startedAt('jupyter-alice')).toBe(aliceStarted);
	});

	it("labbox upgrade from the old pins to the current ones (oauthenticator 17.4, the idle culler 2.0, JupyterLab 4.6): the plan says from → to; the lab is healthy, alice's notebook, file and login survive, her next server runs JupyterLab 4.6", async () => {
		const {hub, singleuser} = w.registry!.images;
		const current = await currentImages();
		await setImage('images.hub', current.hub);
		await setImage('images.singleuser', current.singleuser);
		const check = await labbox(['upgrade', '--check'], 120_000);
		expect(check.exitCode, String(check.all)).toBe(3);
		expect(String(check.stdout)).toContain(`images.hub: ${hub} → ${current.hub}`);
		expect(String(check.stdout)).toContain(`images.singleuser: ${singleuser} → ${current.singleuser}`);

		const upgraded = await labbox(['upgrade', '--yes']);
		console.log(withoutBoxes(upgraded.all));
		expect(upgraded.exitCode, String(upgraded.all)).toBe(0);
		expect(String(upgraded.stdout)).toContain(`images.hub: ${hub} → ${current.hub}`);
		expect(String(upgraded.stdout)).toContain(`images.singleuser: ${singleuser} → ${current.singleuser}`);
		expect(String(upgraded.stdout)).toContain(`https://${domain}/hub/health and /hub/login answer on the new images.`);
		const versions = await server().exec(
			`docker exec labbox-hub-1 python3 -c "import jupyterhub, oauthenticator, jupyterhub_idle_culler as c; print(jupyterhub.__version__, oauthenticator.__version__, c.__version__)"`,
		);
		expect(versions.stdout.trim()).toBe('5.4.6 17.4.0 2.0.0');
		// The idle culler 2.0 runs as the hub's managed service.
		const culler = await server().exec(
			`docker exec labbox-hub-1 sh -c 'for f in /proc/[0-9]*/cmdline; do tr "\\000" " " < $f; echo; done 2>/dev/null | grep -c "^[^ ]*python3[^ ]* -m jupyterhub_idle_culler --timeout=3600"'`,
		);
		expect(culler.stdout.trim()).toBe('1');
		expect((await labbox(['upgrade', '--check'], 120_000)).exitCode).toBe(0);

		// alice's running notebook server (JupyterLab 4.5) kept running, and her session too.
		expect(await startedAt('jupyter-alice')).toBe(aliceStarted);
		await alice.goto(`https://${domain}/hub/home`);
		expect(new URL(alice.url()).pathname).toBe('/hub/home');
		// A real login reaches her running server.
		const again = await freshLogin(w.oidc!.users.allowed);
		expect(again.status).toBe(302);
		await waitForJupyterLab(again.page, 'alice');
		await again.page.close();
		// Her server stopped (the hub API, with her cookies), a real login starts the next on the new image.
		expect((await fetchInPage(alice, '/hub/api/users/alice/server', {method: 'DELETE'})).status).toBeLessThan(300);
		const gone = await server().exec(
			'for i in $(seq 60); do docker inspect jupyter-alice >/dev/null 2>&1 || exit 0; sleep 1; done; exit 1',
		);
		expect(gone.exitCode).toBe(0);
		const next = await freshLogin(w.oidc!.users.allowed);
		expect(next.status).toBe(302);
		await waitForJupyterLab(next.page, 'alice');
		await next.page.close();
		expect((await server().exec("docker inspect -f '{{.Config.Image}}' jupyter-alice")).stdout.trim()).toBe(current.singleuser);
		expect((await server().exec('docker exec jupyter-alice jupyter lab --version')).stdout.trim()).toBe('4.6.6');
		expect((await server().exec('cat /srv/lab/homes/alice/kept.txt')).stdout).toBe('alice wrote this');
	});

	it('labbox destroy removes every container, unit and timer of the lab, keeps homes and the database; labbox brings it back', async () => {
		const destroyed = await labbox(['destroy', '--yes'], 300_000);
		console.log(String(destroyed.all));
		expect(destroyed.exitCode, String(destroyed.all)).toBe(0);
		expect(String(destroyed.stdout)).toContain('Not changed: sshd stays on port 22, Docker stays installed, and the images stay.');
		const left = await server().exec(
			"docker ps --all --format '{{.Names}}'; systemctl list-unit-files --no-legend 'labbox-*' | grep -v '^labbox-ssh'; iptables -S | grep -c LABBOX; true",
		);
		expect(left.stdout.trim()).toBe('0');
		expect(
			(await server().exec('cat /srv/lab/homes/alice/kept.txt; test -s /srv/lab/data/jupyterhub.sqlite && echo database')).stdout,
		).toBe('alice wrote thisdatabase');

		const back = await labbox(['--yes']);
		console.log(['  labbox --yes after destroy:', ...stepLines(String(back.all)).map(line => `    ${line}`)].join('\n'));
		expect(back.exitCode, String(back.all)).toBe(0);
		const page = await browser.newPage();
		await logIn(page, domain, w.oidc!.users.allowed);
		await waitForJupyterLab(page, 'alice');
		expect((await server().exec('cat /srv/lab/homes/alice/kept.txt')).stdout).toBe('alice wrote this');
	});
	it('labbox destroy --purge in a real terminal: after the domain is typed, /srv/lab is deleted; Docker and sshd stay', async () => {
		const terminal = await TmuxTerminal.start(`node ${bin} destroy --purge`, {
			cwd: lab,
			width: 120,
			height: 40,
			env: {HOME: home, SSH_AUTH_SOCK: '', LABBOX_AUTH_CLIENT_SECRET: w.oidc!.clientSecret, TERM: 'xterm-256color'},
		});
		try {
			await terminal.waitFor(/Remove the lab lab-daytwo\.test from the server\?/, 120_000);
			await terminal.type('y', 'Enter');
			await terminal.waitFor(/Type the lab's domain \(lab-daytwo\.test\) to go on:/, 30_000);
			await terminal.typeLikeAPerson(domain, 'Enter');
			const screen = await terminal.waitFor(/EXIT=\d+/, 300_000);
			expect(screen).toContain('/srv/lab was deleted.');
			expect(screen).toMatch(/EXIT=0/);
		} finally {
			await terminal.close();
		}
		const left = await server().exec(
			"test -e /srv/lab && echo kept; docker ps --all --format '{{.Names}}'; systemctl is-active docker ssh",
		);
		expect(left.stdout.trim()).toBe('active\nactive');
	});
});
