import {resolvedConfig} from '../../source/config/resolve.js';
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
import {connect} from '../../steps/connect/index.js';
import {dnsStep} from '../../steps/dns/index.js';
import {docker} from '../../steps/docker/index.js';
import {homes} from '../../steps/homes.js';
import {images} from '../../steps/images/index.js';
import {stack} from '../../steps/stack/index.js';
import {choiceImages} from '../world/choice-images.js';
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

/** The container of a user's notebook server, as DockerSpawner names it (`jupyter-USER`). */
async function notebookContainer(server: Server, name: string): Promise<string> {
	const names = (await server.exec("docker ps --filter network=labbox-notebooks --format '{{.Names}}'")).stdout.split('\n');
	const found = names.find(container => container === `jupyter-${name}` || container.startsWith(`jupyter-${name}-`));
	if (!found) throw new Error(`no notebook container of ${name} among ${names.join(', ')}`);
	return found;
}

// A TCP connect from inside a container, 3 s at most: `open`, `timeout` (dropped) or the error (refused...).
const connectProbe = [
	'import socket, sys',
	'try:',
	'    socket.create_connection((sys.argv[1], int(sys.argv[2])), 3).close()',
	'    print("open")',
	'except socket.timeout:',
	'    print("timeout")',
	'except OSError as error:',
	'    print(type(error).__name__)',
].join('\n');

/** Whether `container` (on the server) can open a TCP connection to host:port. */
async function reach(server: Server, container: string, host: string, port: number): Promise<string> {
	const result = await server.exec(`docker exec ${container} python3 -c '${connectProbe}' ${host} ${port}`);
	return result.stdout.trim() || result.stderr.trim();
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
			config: resolvedConfig({...config, ...values}),
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
			console.log(
				`  ${outcome.id.padEnd(13)} ${outcome.result.padEnd(8)} ${(outcome.durationMs / 1000).toFixed(1).padStart(6)} s  ${outcome.detail}`,
			);
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

	/** An API token of the admin `user`, minted in the hub's container. */
	async function adminToken(): Promise<string> {
		const minted = await server.exec(
			`docker exec labbox-hub-1 sh -c 'cd /srv/jupyterhub && jupyterhub token -f /etc/labbox/jupyterhub_config.py ${user}' 2>/dev/null | tail -1`,
		);
		const token = minted.stdout.trim();
		expect(token).toMatch(/^[0-9a-f]{32}$/);
		return token;
	}

	/** Asks the hub to start a user's server; whether it is ready is for the caller to wait for. */
	async function startServerOf(name: string, token: string): Promise<void> {
		// The hub answers 202 after 10 s of a slow spawn, just when the request's own 10 s run out: on a loaded
		// machine either may come first.
		const started = await fetchLab(server, ca, 'POST', `/hub/api/users/${name}/server`, {token}).catch((error: Error) => error);
		if (!(started instanceof Error)) expect([201, 202]).toContain(started.status);
	}

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
		const plain = await execa('curl', [
			'-s',
			'-o',
			'/dev/null',
			'-w',
			'%{http_code} %{redirect_url}',
			'--resolve',
			`${domain}:80:${server.host}`,
			`http://${domain}/hub/`,
		]);
		expect(plain.stdout).toBe(`301 https://${domain}/hub/`);
	});

	it('logs the allowed user in through the provider; JupyterLab loads and its files land in homes/USER, owned 1000:100, across a restart', async () => {
		const browser = await launchBrowser({hosts: {[domain]: server.host}, trustCertificates: [leaf]});
		try {
			const page = await browser.newPage();
			const callback = await logIn(page, domain, w.oidc!.users.allowed);
			// The hub knows the request came over https and marks its login cookies Secure (issue 9 item 17); a
			// cookie being cleared (`name=""; expires=` in the past) carries no value and needs no flag.
			const cookies = (await callback.headersArray())
				.filter(header => header.name.toLowerCase() === 'set-cookie')
				.map(header => header.value);
			expect(cookies.map(cookie => cookie.split('=')[0])).toEqual(
				expect.arrayContaining(['jupyterhub-hub-login', 'jupyterhub-session-id', '_xsrf']),
			);
			const withValue = cookies.filter(cookie => !['', '""'].includes(cookie.split(';')[0]!.split('=').slice(1).join('=')));
			expect(
				withValue.filter(cookie => !/;\s*Secure(;|$)/i.test(cookie)),
				cookies.join('\n'),
			).toEqual([]);
			// The spawn page hands over to JupyterLab once the notebook server answers.
			await waitForJupyterLab(page, user);
			expect(await page.title()).toMatch(/JupyterLab/);
			const write = await putFile(page, user, 'from-the-browser.txt', 'written in JupyterLab');
			expect(write).toBe(201);
		} finally {
			await browser.close();
		}
		expect((await server.exec(`stat -c '%u:%g %a' /srv/lab/homes/${user} /srv/lab/homes/${user}/from-the-browser.txt`)).stdout).toBe(
			'1000:100 700\n1000:100 644',
		);

		// Stopped and started again (a new container): the file is still there, datasets stay read-only.
		const token = await adminToken();
		expect((await fetchLab(server, ca, 'DELETE', `/hub/api/users/${user}/server`, {token})).status).toBe(204);
		await startServerOf(user, token);
		await waitFor(
			async () => JSON.parse((await fetchLab(server, ca, 'GET', `/hub/api/users/${user}`, {token})).body).servers?.['']?.ready === true,
			'the notebook server to be ready again',
		);
		expect((await fetchLab(server, ca, 'GET', `/user/${user}/api/contents/from-the-browser.txt`, {token})).body).toContain(
			'"content": "written in JupyterLab"',
		);
		const readOnly = await fetchLab(server, ca, 'PUT', `/user/${user}/api/contents/datasets/x.txt`, {
			token,
			body: JSON.stringify({type: 'file', format: 'text', content: 'x'}),
		});
		expect(readOnly.body).toMatch(/Read-only file system/);
	});

	it("limits a notebook server's processes and threads (limits.pids), as seen from inside its container", async () => {
		const container = await notebookContainer(server, user);
		expect((await server.exec(`docker inspect --format '{{.HostConfig.PidsLimit}}' ${container}`)).stdout.trim()).toBe('2048');
		// cgroup v2 at the root of the container's cgroups, v1 in its pids hierarchy (as on the test machine).
		const inside = await server.exec(
			`docker exec ${container} sh -c 'cat /sys/fs/cgroup/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids/pids.max'`,
		);
		expect(inside.stdout.trim(), inside.stderr).toBe('2048');
		// And it holds: a notebook that starts threads without end is stopped short of the limit.
		const threads =
			'import threading, time\nstarted = 0\ntry:\n    for _ in range(4000):\n        threading.Thread(target=time.sleep, args=(20,), daemon=True).start()\n        started += 1\nexcept RuntimeError:\n    pass\nprint(started)';
		const bomb = await server.exec(`docker exec ${container} python3 -c '${threads}'`);
		expect(Number(bomb.stdout.trim()), bomb.stderr).toBeGreaterThan(1000);
		expect(Number(bomb.stdout.trim()), bomb.stderr).toBeLessThan(2048);
	});

	it("keeps notebook servers apart: another user's server and the server's sshd are out of a notebook's reach, the hub's API is not", async () => {
		const token = await adminToken();
		const other = 'carol';
		expect((await fetchLab(server, ca, 'POST', `/hub/api/users/${other}`, {token})).status).toBe(201);
		try {
			await startServerOf(other, token);
			await waitFor(
				async () => JSON.parse((await fetchLab(server, ca, 'GET', `/hub/api/users/${other}`, {token})).body).servers?.['']?.ready === true,
				`${other}'s notebook server`,
			);
			const [alice, carol] = [await notebookContainer(server, user), await notebookContainer(server, other)];
			const carolAddress = (
				await server.exec(`docker inspect --format '{{(index .NetworkSettings.Networks "labbox-notebooks").IPAddress}}' ${carol}`)
			).stdout.trim();
			// The server's own address on the notebooks' bridge.
			const gateway = (await server.exec("ip -4 -o addr show labbox-nb | awk '{print $4}' | cut -d/ -f1")).stdout.trim();
			expect(carolAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
			expect(gateway).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
			// From the hub both answer: what a notebook cannot reach below is closed by the lab, not absent.
			expect(await reach(server, 'labbox-hub-1', carolAddress, 8888)).toBe('open');
			expect(await reach(server, 'labbox-hub-1', gateway, 22)).toBe('open');
			expect(await reach(server, alice, carolAddress, 8888)).not.toBe('open');
			expect(await reach(server, alice, gateway, 22)).not.toBe('open');
			expect(await reach(server, alice, server.host, 22)).not.toBe('open');
			expect(await reach(server, alice, 'hub', 8081)).toBe('open');
		} finally {
			await fetchLab(server, ca, 'DELETE', `/hub/api/users/${other}`, {token});
		}
	});

	it('puts the notebook firewall back when Docker starts, as after a reboot', async () => {
		// As after a reboot: none of the lab's rules loaded.
		await server.exec(
			'iptables -D DOCKER-USER -i labbox-nb -o labbox-nb -j LABBOX-NOTEBOOKS; iptables -D INPUT -i labbox-nb -j LABBOX-INPUT; iptables -F LABBOX-NOTEBOOKS; iptables -F LABBOX-INPUT',
		);
		expect((await server.exec('sh /usr/local/sbin/labbox-firewall --check')).exitCode).not.toBe(0);
		// Docker stopped and started, as at boot (docker.service wants labbox-firewall.service).
		expect((await server.exec('systemctl stop docker.socket docker.service && systemctl start docker.service')).exitCode).toBe(0);
		await waitFor(
			async () => (await fetchLab(server, ca, 'GET', '/hub/health').catch(() => ({status: 0}))).status === 200,
			'the lab after a Docker restart',
		);
		expect((await server.exec('sh /usr/local/sbin/labbox-firewall --check')).exitCode).toBe(0);
		expect((await server.exec('iptables -S LABBOX-NOTEBOOKS')).stdout).toMatch(/-A LABBOX-NOTEBOOKS -j DROP/);
		expect((await server.exec('iptables -S LABBOX-INPUT')).stdout).toMatch(/-A LABBOX-INPUT -j DROP/);
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
	])(
		'with a %s login, sends the browser to its authorize URL with the client id and the exact callback URL',
		async (_type, login, authorize) => {
			const changed = await run([connect, images, stack], {
				...login,
				'auth.clientId': 'e2e-client-id',
				'auth.clientSecret': 'e2e-client-secret',
				'auth.caFile': undefined,
			});
			expect(changed.outcome).toBe('done');
			const redirect = await fetchLab(server, ca, 'GET', '/hub/oauth_login');
			expect(redirect.status).toBe(302);
			const location = new URL(String(redirect.headers.location));
			expect(`${location.origin}${location.pathname}`).toBe(authorize);
			expect(location.searchParams.get('client_id')).toBe('e2e-client-id');
			expect(location.searchParams.get('redirect_uri')).toBe(`https://${domain}/hub/oauth_callback`);
		},
	);

	it('builds the hub on the server from images.hub (images.hubBuild, the default) and runs it', async () => {
		// FROM the world's hub with the lab-account packages too (hub-local), which holds every pinned package
		// already (NativeAuthenticator and bcrypt since issue 14): pip finds them there and needs no index.
		const hubBase = (await choiceImages()).hubLocal;
		const built = await run([connect, images, stack], {'images.hubBuild': true, 'images.hub': hubBase});
		expect(built.outcome).toBe('done');
		expect(built.outcomes.find(outcome => outcome.id === 'images')?.result).toBe('changed');
		const hubImage = (
			await server.exec("docker inspect --format '{{.Config.Image}}' $(docker ps -q --filter label=com.docker.compose.service=hub)")
		).stdout.trim();
		expect(hubImage).toMatch(/^labbox-hub:[0-9a-f]{12}$/);
		expect(
			(
				await server.exec(
					`docker run --rm --entrypoint python3 ${hubImage} -c "import dockerspawner, oauthenticator; print(dockerspawner.__version__)"`,
				)
			).stdout.trim(),
		).toBe('14.0.0');
		expect((await fetchLab(server, ca, 'GET', '/hub/health')).status).toBe(200);
		// The same settings again: nothing is built or restarted.
		const before = await startTimes(server);
		const again = await run([connect, images, stack], {'images.hubBuild': true, 'images.hub': hubBase});
		expect(again.outcomes.map(outcome => `${outcome.id} ${outcome.result}`)).toEqual(['connect ok', 'images ok', 'stack ok']);
		expect(await startTimes(server)).toEqual(before);
	});

	it('serves the lab for its name only: other names and bare addresses get no answer, and nginx shows no version', async () => {
		const curl = (args: string[]) =>
			execa('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '--max-time', '10', ...args], {reject: false});
		// Port 80: the connection closes without an answer (curl's "empty reply", exit 52).
		expect((await curl(['--resolve', `other.test:80:${server.host}`, 'http://other.test/hub/'])).exitCode).toBe(52);
		expect((await curl([`http://${server.host}/hub/`])).exitCode).toBe(52);
		// Port 443: no handshake for another name or none (exit 35), 421 for another Host over the lab's handshake.
		expect((await curl(['--insecure', '--resolve', `other.test:443:${server.host}`, 'https://other.test/hub/health'])).exitCode).toBe(35);
		expect((await curl(['--insecure', `https://${server.host}/hub/health`])).exitCode).toBe(35);
		const misdirected = await curl([
			'--insecure',
			'--resolve',
			`${domain}:443:${server.host}`,
			'-H',
			'Host: other.test',
			`https://${domain}/hub/health`,
		]);
		expect(misdirected.stdout).toBe('421');
		// No version (Debian's nginx in the test world hides it already; the template's own server_tokens off, for
		// images such as nginx:alpine that show it, is in the unit snapshots of nginx/lab.conf).
		const headers = await execa('curl', [
			'-s',
			'-D',
			'-',
			'-o',
			'/dev/null',
			'--max-time',
			'10',
			'--resolve',
			`${domain}:80:${server.host}`,
			`http://${domain}/hub/`,
		]);
		expect(headers.stdout).toMatch(/^server: nginx\r?$/im);
	});

	it("renews through the lab's nginx: the CA's HTTP-01 requests for the lab's name reach the webroot on port 80", async () => {
		const before = (await server.exec('sha256sum /srv/lab/certs/fullchain.pem')).stdout;
		// A margin larger than the certificate's life: the renewer renews now, the CA asks port 80 for the token.
		await server.exec(`sed -i 's/"renewDays": 30,/"renewDays": 5000,/' /srv/lab/renewer/config.json`);
		try {
			const renewed = await server.exec('systemctl start labbox-renewer.service');
			const journal = (await server.exec('journalctl -u labbox-renewer.service --no-pager -n 40')).stdout;
			expect(renewed.exitCode, journal).toBe(0);
			expect(journal).toContain("answering http-01 through the lab's nginx webroot");
		} finally {
			await server.exec(`sed -i 's/"renewDays": 5000,/"renewDays": 30,/' /srv/lab/renewer/config.json`);
		}
		expect((await server.exec('sha256sum /srv/lab/certs/fullchain.pem')).stdout).not.toBe(before);
		// Pebble's root as it is now: a Pebble restarted by the world since the first run has a new one.
		ca = await pebbleRoot(w);
		expect((await fetchLab(server, ca, 'GET', '/hub/health')).status).toBe(200);
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
