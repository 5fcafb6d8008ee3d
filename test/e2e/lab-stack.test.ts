// The lab's steps (docker, dns, certificate from Pebble, homes, images, stack) on a fresh world server, through
// the real runner: the images come from the world's registry with layer progress, the stack comes up with the
// world's OIDC login,
// answers https://NAME/hub/health with HSTS, spawns a notebook server whose files land in the user's home
// owned 1000:100, and a second run restarts nothing while a changed limit restarts only the hub.
import {appendFileSync} from 'node:fs';
import {mkdtemp} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {execa} from 'execa';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {Redactor} from '../../source/engine/redact.js';
import {runSteps, type RunSummary} from '../../source/engine/runner.js';
import {emptyState, type LabState} from '../../source/engine/state.js';
import type {Step} from '../../source/engine/types.js';
import {certificateStep} from '../../steps/certificate/index.js';
import {connect} from '../../steps/connect.js';
import {dnsStep} from '../../steps/dns/index.js';
import {docker} from '../../steps/docker/index.js';
import {homes} from '../../steps/homes.js';
import {images} from '../../steps/images/index.js';
import {stack} from '../../steps/stack/index.js';
import {clearDnsRecord, launchBrowser, setDnsRecord, startServer, world, type Server, type World} from '../world/index.js';
import {logIn, putFile, waitForJupyterLab} from './lab-browser.js';
import {fetchHttps, forgetHost, labConfig, pebbleRoot, startTimes, user} from './lab-world.js';

const domain = 'lab-stack.test';
/** The steps of a lab, in the order of steps/index.ts. */
const labSteps: readonly Step[] = [docker, dnsStep, certificateStep, homes, images, stack];

/** Polls until `ready` is true, once a second, for at most two minutes. */
async function waitFor(ready: () => Promise<boolean>, what: string): Promise<void> {
	for (let attempt = 0; attempt < 120; attempt++) {
		if (await ready()) return;
		await sleep(1000);
	}
	throw new Error(`waited 120 s for ${what}`);
}

/** One HTTPS request to the lab by its name, at the server's address, trusting only `ca`. */
function fetchLab(server: Server, ca: string, method: string, urlPath: string, options: {token?: string; body?: string} = {}) {
	return fetchHttps(`https://${domain}${urlPath}`, ca, {...options, method, host: server.host});
}

describe('images and stack on a fresh debian13 server', () => {
	let server: Server;
	let w: World;
	let ca: string;
	let leaf: string;
	let config: Record<string, unknown>;
	let state: LabState = emptyState;
	let stateFile: string;
	let logFile: string;
	const progress: string[] = [];

	async function run(steps: readonly Step[], values: Record<string, unknown> = {}): Promise<RunSummary> {
		const summary = await runSteps({
			steps,
			mode: 'setup',
			config: {...config, ...values},
			stateFile,
			labDir: path.dirname(stateFile),
			state,
			redactor: new Redactor(),
			signal: AbortSignal.timeout(1_500_000),
			prompt: async question => {
				throw new Error(`unexpected question ${question.key}`);
			},
			listeners: [event => event.type === 'progress' && progress.push(`${event.id} ${event.fraction.toFixed(2)} ${event.label ?? ''}`)],
			log: line => appendFileSync(logFile, `${line}\n`),
			command: 'labbox',
		});
		state = summary.state;
		for (const outcome of summary.outcomes) {
			console.log(`  ${outcome.id.padEnd(13)} ${outcome.result.padEnd(8)} ${(outcome.durationMs / 1000).toFixed(1).padStart(6)} s  ${outcome.detail}`);
			if (outcome.result === 'failed') console.log(outcome.output?.join('\n'));
		}
		return summary;
	}

	beforeAll(async () => {
		w = await world();
		server = await startServer('debian13');
		// The world reuses addresses: an entry left by an earlier server would be a changed host key.
		await forgetHost(server.host);
		const folder = await mkdtemp(path.join(tmpdir(), 'labbox-e2e-stack-'));
		stateFile = path.join(folder, 'state.json');
		logFile = path.join(folder, 'run.log');
		console.log(`  run log: ${logFile}`);
		// The world's DNS adds addresses to a name: clear what earlier runs left.
		await clearDnsRecord(domain);
		await setDnsRecord(domain, server.host);
		config = labConfig(w, server, domain);
		const first = await run([connect, ...labSteps]);
		expect(first.outcome).toBe('done');
		// Served with the certificate Pebble issued: trusted through Pebble's root, and nothing else.
		ca = await pebbleRoot(w);
		leaf = (await server.exec('cat /srv/lab/certs/fullchain.pem')).stdout;
		expect(first.outcomes.find(outcome => outcome.id === 'images')?.result).toBe('changed');
		// Docker's layer lines drove the bar: each image's layers counted, up to the last one.
		const pulls = progress.filter(line => / of \d+ layers/.test(line));
		console.log(`  images progress: ${pulls.length} updates, last: ${pulls.at(-1)}`);
		expect(pulls.length).toBeGreaterThan(3);
	});

	afterAll(async () => {
		if (server) await forgetHost(server.host);
		await clearDnsRecord(domain);
		await server?.remove();
	});

	it('serves the hub over TLS with HSTS, redirects port 80, and refuses the API without a token', async () => {
		const health = await fetchLab(server, ca, 'GET', '/hub/health');
		expect(health.status).toBe(200);
		expect(health.headers['strict-transport-security']).toBe('max-age=63072000');
		expect((await fetchLab(server, ca, 'GET', '/hub/api/users')).status).toBe(403);
		const plain = await execa('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code} %{redirect_url}', '--resolve', `${domain}:80:${server.host}`, `http://${domain}/hub/`]);
		expect(plain.stdout).toBe(`301 https://${domain}/hub/`);
	});

	it('logs the allowed user in through the provider; JupyterLab loads and its files land in homes/USER, owned 1000:100, across a restart', async () => {
		const browser = await launchBrowser({hosts: {[domain]: server.host}, trustCertificates: [leaf]});
		try {
			const page = await browser.newPage();
			await logIn(page, domain, w.oidc!.users.allowed);
			await waitForJupyterLab(page, user);
			expect(await page.title()).toMatch(/JupyterLab/);
			const write = await putFile(page, user, 'from-the-browser.txt', 'written in JupyterLab');
			expect(write).toBe(201);
		} finally {
			await browser.close();
		}
		expect((await server.exec(`stat -c '%u:%g %a' /srv/lab/homes/${user} /srv/lab/homes/${user}/from-the-browser.txt`)).stdout).toBe('1000:100 700\n1000:100 644');

		// Stopped and started again (a new container): the file is still there, datasets stay read-only.
		const minted = await server.exec(`docker exec labbox-hub-1 sh -c 'cd /srv/jupyterhub && jupyterhub token -f /etc/labbox/jupyterhub_config.py ${user}' 2>/dev/null | tail -1`);
		const token = minted.stdout.trim();
		expect(token).toMatch(/^[0-9a-f]{32}$/);
		expect((await fetchLab(server, ca, 'DELETE', `/hub/api/users/${user}/server`, {token})).status).toBe(204);
		expect([201, 202]).toContain((await fetchLab(server, ca, 'POST', `/hub/api/users/${user}/server`, {token})).status);
		await waitFor(async () => JSON.parse((await fetchLab(server, ca, 'GET', `/hub/api/users/${user}`, {token})).body).servers?.['']?.ready === true, 'the notebook server to be ready again');
		expect((await fetchLab(server, ca, 'GET', `/user/${user}/api/contents/from-the-browser.txt`, {token})).body).toContain('"content": "written in JupyterLab"');
		const readOnly = await fetchLab(server, ca, 'PUT', `/user/${user}/api/contents/datasets/x.txt`, {token, body: JSON.stringify({type: 'file', format: 'text', content: 'x'})});
		expect(readOnly.body).toMatch(/Read-only file system/);
	});

	it('refuses a user the provider knows but lab.yaml does not allow', async () => {
		const browser = await launchBrowser({hosts: {[domain]: server.host}, trustCertificates: [leaf]});
		try {
			const page = await browser.newPage();
			const response = await logIn(page, domain, w.oidc!.users.denied);
			expect(response?.status()).toBe(403);
			// The callback's own body: the page may not have rendered it yet.
			expect(await response?.text()).toMatch(/not currently authorized to use this hub/);
		} finally {
			await browser.close();
		}
		expect((await server.exec(`test -e /srv/lab/homes/${w.oidc!.users.denied.username}; echo $?`)).stdout).toBe('1');
	});

	it('restarts nothing on a second run, and only the hub when a hub setting changes', async () => {
		const before = await startTimes(server);
		const again = await run([connect, ...labSteps]);
		expect(again.outcomes.map(outcome => `${outcome.id} ${outcome.result}`)).toEqual([connect, ...labSteps].map(step => `${step.id} ok`));
		expect(await startTimes(server)).toEqual(before);
		const changed = await run([connect, images, stack], {'limits.memory': '3G'});
		expect(changed.outcomes.map(outcome => `${outcome.id} ${outcome.result}`)).toEqual(['connect ok', 'images ok', 'stack changed']);
		const after = await startTimes(server);
		expect(after[1]).toBe(before[1]);
		expect(after[0]).not.toBe(before[0]);
	});

	it.each([
		['github', {'auth.type': 'github'}, 'https://github.com/login/oauth/authorize'],
		['gitlab', {'auth.type': 'gitlab', 'auth.gitlabUrl': 'https://gitlab.lab.test'}, 'https://gitlab.lab.test/oauth/authorize'],
	])('with a %s login, sends the browser to its authorize URL with the client id and the exact callback URL', async (_type, login, authorize) => {
		const changed = await run([connect, images, stack], {...login, 'auth.clientId': 'e2e-client-id', 'auth.clientSecret': 'e2e-client-secret', 'auth.caFile': undefined});
		expect(changed.outcome).toBe('done');
		const redirect = await fetchLab(server, ca, 'GET', '/hub/oauth_login');
		expect(redirect.status).toBe(302);
		const location = new URL(String(redirect.headers.location));
		expect(`${location.origin}${location.pathname}`).toBe(authorize);
		expect(location.searchParams.get('client_id')).toBe('e2e-client-id');
		expect(location.searchParams.get('redirect_uri')).toBe(`https://${domain}/hub/oauth_callback`);
	});

	it('builds the hub on the server from images.hub (images.hubBuild, the default) and runs it', async () => {
		// FROM the world's hub, which holds the pinned packages already: pip finds them there and needs no index.
		const built = await run([connect, images, stack], {'images.hubBuild': true, 'images.hub': w.registry!.images.hub});
		expect(built.outcome).toBe('done');
		expect(built.outcomes.find(outcome => outcome.id === 'images')?.result).toBe('changed');
		const hubImage = (await server.exec("docker inspect --format '{{.Config.Image}}' $(docker ps -q --filter label=com.docker.compose.service=hub)")).stdout.trim();
		expect(hubImage).toMatch(/^labbox-hub:[0-9a-f]{12}$/);
		expect((await server.exec(`docker run --rm --entrypoint python3 ${hubImage} -c "import dockerspawner, oauthenticator; print(dockerspawner.__version__)"`)).stdout.trim()).toBe('14.0.0');
		expect((await fetchLab(server, ca, 'GET', '/hub/health')).status).toBe(200);
		// The same settings again: nothing is built or restarted.
		const before = await startTimes(server);
		const again = await run([connect, images, stack], {'images.hubBuild': true, 'images.hub': w.registry!.images.hub});
		expect(again.outcomes.map(outcome => `${outcome.id} ${outcome.result}`)).toEqual(['connect ok', 'images ok', 'stack ok']);
		expect(await startTimes(server)).toEqual(before);
	});

	it('shows the failing container and its last log lines when the hub cannot start', async () => {
		// Nothing listens on port 1 of the provider's address: the hub gives up on its OIDC discovery and exits.
		const broken = await run([stack], {'auth.issuer': `https://${new URL(w.oidc!.issuer).hostname}:1`});
		const failed = broken.outcomes.find(outcome => outcome.id === 'stack')!;
		expect(failed.result).toBe('failed');
		expect(failed.detail).toMatch(/^The lab does not run: hub (stopped and was restarted|is (restarting|exited))/);
		expect(failed.output).toContain('--- hub ---');
		expect(failed.output?.some(line => line.includes('labbox: cannot read the OpenID configuration'))).toBe(true);
	});
});
