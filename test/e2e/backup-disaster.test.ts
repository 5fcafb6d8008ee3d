// Issue 12 "Done when": the README's "restore after a disaster" recipe, followed as a user would. A lab with lab
// accounts (auth.type local) on a fresh debian13 server backs up over sftp to a second server; alice signs up, is
// approved by the admin and writes a notebook in JupyterLab; `labbox backup`. Then the first server is gone. A third
// fresh server, the same lab folder (lab.yaml and secrets.env) with server.host and server.hostKey changed:
// `labbox --yes` sets the lab up again and takes no backup of the empty lab (the old snapshots stay the newest, and
// the timer waits too); `labbox restore --yes` brings back her home and the hub database: alice logs in in Chromium
// without being approved again, and her notebook is there with its bytes and owner.
import {chmod, mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import type {Browser} from 'playwright-core';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {choiceImages} from '../world/choice-images.js';
import {clearDnsRecord, freshServer, launchBrowser, setDnsRecord, world, type Server, type World} from '../world/index.js';
import {backupStatus, homeFile, hubHealth, sha256} from './backup-world.js';
import {fetchInPage, logInWithPassword, putFile, signUp, waitForJupyterLab} from './lab-browser.js';
import {labConfig, labYaml, pebbleRoot, pinnedHostKey, runLabbox, stepLines} from './lab-world.js';

const domain = 'lab-disaster.test';
const backupPassword = 'disaster-backup-password-e2e-41c9';
const admin = {username: 'ada', password: 'Tea-at-4-in-the-lab-office'};
const alice = {username: 'alice', password: 'alice-walks-the-long-way'};
// A valid notebook: JupyterLab's contents API reads (and validates) it when alice opens it on the new server.
const notebook = JSON.stringify({
	cells: [{cell_type: 'markdown', metadata: {}, source: `# ${Math.random()}`}],
	metadata: {},
	nbformat: 4,
	nbformat_minor: 4,
});

describe('restore after a disaster: the README recipe, on a new server', () => {
	const first = freshServer('debian13', async started => {
		await clearDnsRecord(domain);
		await setDnsRecord(domain, started.host);
	});
	const target = freshServer('debian13');
	const replacement = freshServer('debian13');
	let w: World;
	let lab: string;
	let home: string;
	let config: Record<string, unknown>;
	let browser: Browser | undefined;
	let snapshots: string[];

	// The secrets come from secrets.env in the lab folder, as the recipe says: nothing in labbox's environment.
	const labbox = (args: readonly string[]) => runLabbox(args, {lab, home, timeout: 1_200_000});
	/** The snapshot ids `labbox backups` lists, oldest first. */
	const listed = async () => {
		const result = await labbox(['backups']);
		expect(result.exitCode, String(result.all)).toBe(0);
		return String(result.all)
			.split('\n')
			.flatMap(line => /^([0-9a-f]{8}) /.exec(line)?.[1] ?? []);
	};
	/** Chromium at the lab's name on this server, trusting the certificate the lab has there. */
	const browse = async (server: Server) => {
		await browser?.close();
		const leaf = (await server.exec('cat /srv/lab/certs/fullchain.pem')).stdout;
		browser = await launchBrowser({hosts: {[domain]: server.host}, trustCertificates: [leaf]});
		return browser;
	};

	beforeAll(async () => {
		w = await world();
		const images = await choiceImages();
		lab = await mkdtemp(path.join(tmpdir(), 'labbox-e2e-disaster-'));
		home = await mkdtemp(path.join(tmpdir(), 'labbox-e2e-home-'));
		const oauth = ['auth.issuer', 'auth.clientId', 'auth.clientSecret', 'auth.clientAuth', 'auth.caFile', 'auth.allowedUsers'];
		config = {
			...Object.fromEntries(Object.entries(labConfig(w, first(), domain)).filter(([key]) => !oauth.includes(key))),
			'auth.type': 'local',
			'auth.admins': [admin.username],
			'images.hub': images.hubLocal,
			'backup.repository': `sftp:root@${target().host}:/srv/backups/disaster`,
			'backup.sshKeyFile': w.ssh.keyPath,
		};
		await writeFile(path.join(lab, 'lab.yaml'), labYaml(config));
		const secrets = path.join(lab, 'secrets.env');
		await writeFile(secrets, `LABBOX_BACKUP_PASSWORD=${backupPassword}\nLABBOX_AUTH_ADMIN_PASSWORD=${admin.password}\n`, {mode: 0o600});
		await chmod(secrets, 0o600);
	});

	afterAll(async () => {
		await browser?.close();
		await clearDnsRecord(domain);
		for (const folder of [lab, home]) if (folder) await rm(folder, {recursive: true, force: true});
	});

	it('the first server: the lab, alice approved and writing a notebook in JupyterLab, and labbox backup', async () => {
		const setup = await labbox(['--yes']);
		console.log(['  labbox --yes (first server):', ...stepLines(String(setup.all)).map(line => `    ${line}`)].join('\n'));
		expect(setup.exitCode, String(setup.all)).toBe(0);
		const chromium = await browse(first());
		const adminPage = await chromium.newPage();
		expect((await logInWithPassword(adminPage, domain, admin)).error).toBeUndefined();
		const page = await chromium.newPage();
		expect(await signUp(page, domain, alice)).toContain('Your information has been sent to the admin.');
		await adminPage.goto(`https://${domain}/hub/authorize`);
		await Promise.all([adminPage.waitForNavigation(), adminPage.click(`a[href$="/authorize/${alice.username}"]`)]);
		expect((await logInWithPassword(page, domain, alice)).error).toBeUndefined();
		await waitForJupyterLab(page, alice.username);
		expect(await putFile(page, alice.username, 'analysis.ipynb', notebook)).toBe(201);
		expect(await homeFile(first(), 'alice/analysis.ipynb')).toEqual([sha256(notebook), '1000:100']);

		const taken = await labbox(['backup']);
		expect(taken.exitCode, String(taken.all)).toBe(0);
		snapshots = await listed();
		expect(snapshots.at(-1)).toBe((await backupStatus(first())).snapshot!.slice(0, 8));
	});

	it('the disaster: on a new server, the same lab folder, labbox sets the lab up and backs nothing up until the restore', async () => {
		await browser?.close();
		browser = undefined;
		await first().remove();
		// The recipe: point the lab's name at the new server; set server.host and server.hostKey; run labbox.
		await setDnsRecord(domain, replacement().host);
		config = {...config, 'server.host': replacement().host, 'server.hostKey': pinnedHostKey(replacement())};
		await writeFile(path.join(lab, 'lab.yaml'), labYaml(config));
		const setup = await labbox(['--yes']);
		console.log(['  labbox --yes (new server):', ...stepLines(String(setup.all)).map(line => `    ${line}`)].join('\n'));
		expect(setup.exitCode, String(setup.all)).toBe(0);
		expect(stepLines(String(setup.all)).find(line => line.startsWith('backup '))).toMatch(/^backup changed /);
		expect(String(setup.all)).toContain("holds this lab's snapshots from an earlier server");
		// No backup of the empty lab: the first server's snapshots are still all there is, its last the newest.
		expect(await listed()).toEqual(snapshots);
		// Nor from the timer: its service refuses, and says why.
		const timer = await replacement().exec('systemctl start labbox-backup.service; journalctl -u labbox-backup.service --no-pager');
		expect(timer.stdout).toContain('waiting for labbox restore');
		expect(await listed()).toEqual(snapshots);
		const status = await labbox(['status']);
		// The screen spells each command as this labbox was started (here `node …/bin/labbox.js restore`).
		expect(String(status.all)).toMatch(/backup .*no backup on this server yet: waiting for `[^`]*labbox\S* restore`/);
		expect(status.exitCode).toBe(1);
	});

	it("labbox restore brings back alice's notebook and the hub database: she logs in without approval and finds her file", async () => {
		const restored = await labbox(['restore', '--yes']);
		console.log(String(restored.all));
		expect(restored.exitCode, String(restored.all)).toBe(0);
		expect(await homeFile(replacement(), 'alice/analysis.ipynb')).toEqual([sha256(notebook), '1000:100']);
		expect(await hubHealth(domain, await pebbleRoot(w), replacement())).toBe(200);

		const page = await (await browse(replacement())).newPage();
		expect((await logInWithPassword(page, domain, alice)).error).toBeUndefined();
		await waitForJupyterLab(page, alice.username);
		expect(await fetchInPage(page, `/user/${alice.username}/api/contents/analysis.ipynb`)).toEqual({
			status: 200,
			path: `/user/${alice.username}/api/contents/analysis.ipynb`,
		});

		// The scheduled backups go on from the restored lab.
		expect((await backupStatus(replacement())).snapshot?.slice(0, 8)).toBe(snapshots.at(-1));
		const timer = await replacement().exec('systemctl start labbox-backup.service');
		expect(timer.exitCode, timer.stderr).toBe(0);
		const after = await listed();
		expect(after.slice(0, -1)).toEqual(snapshots);
		expect(after).toHaveLength(snapshots.length + 1);
	});
});
