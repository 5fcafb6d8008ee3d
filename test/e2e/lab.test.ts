// The whole wizard as a user runs it: `labbox --yes` in a lab folder with a complete lab.yaml (OIDC login at the
// world's provider, Let's Encrypt via Pebble, images from the world's registry) on a fresh debian13 server.
// The run is killed during `images` and finished with `--resume`; the lab answers with Pebble's certificate and
// HSTS; a second `labbox --yes` reports every step ok and restarts no container; `labbox status` reports the live
// health. Each step's wall time is printed.
import {mkdtemp, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {waitForState} from '../helpers/labbox-process.js';
import {clearDnsRecord, setDnsRecord, startServer, world, type Server, type World} from '../world/index.js';
import {fetchHttps, labConfig, labRootListing, labYaml, pebbleRoot, remoteCounts, runLabbox, startTimes, stepLines} from './lab-world.js';

const domain = 'lab-full.test';

describe('labbox --yes on a fresh debian13 server', () => {
	let server: Server;
	let w: World;
	let lab: string;
	let home: string;
	let ca: string;

	const labbox = (args: readonly string[]) => runLabbox(args, {lab, home, env: {LABBOX_AUTH_CLIENT_SECRET: w.oidc!.clientSecret}});

	beforeAll(async () => {
		w = await world();
		server = await startServer('debian13');
		await clearDnsRecord(domain);
		await setDnsRecord(domain, server.host);
		lab = await mkdtemp(path.join(tmpdir(), 'labbox-e2e-lab-'));
		home = await mkdtemp(path.join(tmpdir(), 'labbox-e2e-home-'));
		await writeFile(path.join(lab, 'lab.yaml'), labYaml(labConfig(w, server, domain)));
	});

	afterAll(async () => {
		await clearDnsRecord(domain);
		await server?.remove();
	});

	it('runs every step, survives a kill -9 during images with --resume, and shows the URL', async () => {
		const first = labbox(['--yes']);
		await waitForState(lab, state => state.lastRun?.current === 'images', 300_000);
		first.kill('SIGKILL');
		const killed = await first;
		expect(killed.signal).toBe('SIGKILL');
		console.log(['  killed during images; before that:', ...stepLines(String(killed.all)).map(line => `    ${line}`)].join('\n'));

		const resumed = await labbox(['--resume']);
		await writeFile(path.join(lab, 'resume-output.txt'), String(resumed.all));
		const lines = stepLines(String(resumed.all));
		console.log(['  labbox --resume:', ...lines.map(line => `    ${line}`)].join('\n'));
		expect(resumed.exitCode, String(resumed.all)).toBe(0);
		expect(lines.some(line => line.startsWith('images changed '))).toBe(true);
		expect(lines.some(line => line.startsWith('stack changed '))).toBe(true);
		expect(String(resumed.all)).toContain(`your lab: https://${domain}`);
	}, 900_000);

	it('serves the hub with the certificate Pebble issued, with HSTS, and refuses the API without a token', async () => {
		ca = await pebbleRoot(w);
		const health = await fetchHttps(`https://${domain}/hub/health`, ca, {host: server.host});
		expect(health.status).toBe(200);
		expect(health.headers['strict-transport-security']).toBe('max-age=63072000');
		expect((await fetchHttps(`https://${domain}/hub/api/users`, ca, {host: server.host})).status).toBe(403);
	});

	it('reports every step ok on a second labbox --yes, restarts no container and writes nothing in the lab root', async () => {
		const before = await startTimes(server);
		const files = await labRootListing(server);
		const again = await labbox(['--yes']);
		const lines = stepLines(String(again.all));
		console.log(['  second labbox --yes:', ...lines.map(line => `    ${line}`)].join('\n'));
		expect(again.exitCode, String(again.all)).toBe(0);
		expect(lines.map(line => line.split(' ').slice(0, 2).join(' '))).toEqual(
			['connect', 'ssh-port', 'docker', 'dns', 'certificate', 'homes', 'images', 'stack', 'backup'].map(id => `${id} ok`),
		);
		expect(await startTimes(server)).toEqual(before);
		// A no-op changes nothing on the server: no file or folder made, none touched (issue 9 item 18).
		expect(await labRootListing(server)).toEqual(files);
		// One login, one round trip for every step's facts (issue 11).
		const counts = await remoteCounts(lab);
		expect({logins: counts.logins, commands: counts.commands}, counts.log).toEqual({logins: 1, commands: 1});
	});

	it('labbox plan on the finished lab: every step done, one login and one round trip (issue 11)', async () => {
		const plan = await labbox(['plan']);
		expect(plan.exitCode, String(plan.all)).toBe(0);
		const counts = await remoteCounts(lab);
		expect({logins: counts.logins, commands: counts.commands}, counts.log).toEqual({logins: 1, commands: 1});
	});

	it('labbox status shows the live health (renewal on the server, the hub from here); a lab that does not answer is exit 1', async () => {
		const status = await labbox(['status']);
		console.log(String(status.all));
		expect(status.exitCode, String(status.all)).toBe(0);
		expect(String(status.all)).toMatch(/certificate +✔ expires \d{4}-\d\d-\d\d \(\d+ days\), renewed on the server/);
		expect(String(status.all)).toMatch(new RegExp(`stack +✔ https://${domain}/hub/health answers`));

		await server.exec('cd /srv/lab && docker compose stop nginx');
		try {
			const down = await labbox(['status']);
			expect(down.exitCode, String(down.all)).toBe(1);
			expect(String(down.all)).toMatch(new RegExp(`stack +✖ https://${domain}/hub/health: .*ECONNREFUSED`));
			// Why, as the plan would say it, and what to run (issue 10 item 20).
			expect(String(down.all)).toMatch(/ why: .*nginx/);
			expect(String(down.all)).toMatch(/ fix: run `[^`]*labbox(\.js)? run stack`/);
			expect(String(down.all)).toMatch(/certificate +✔/);
		} finally {
			await server.exec('cd /srv/lab && docker compose start nginx');
		}
	});
});
