import {resolvedConfig} from '../../source/config/resolve.js';
// The dns step on a fresh world server, through the real runner: a name the world's DNS maps to the server
// passes (the token comes back through port 80), a name mapped elsewhere gives the exact record and fails
// after the bounded wait, a record that appears during the wait is picked up, and port 80 taken is blocked.
import {createHash, randomBytes} from 'node:crypto';
import {mkdtemp} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {Redactor} from '../../source/engine/redact.js';
import {runSteps, type RunSummary} from '../../source/engine/runner.js';
import {emptyState} from '../../source/engine/state.js';
import type {EngineEvent, StepOutcome} from '../../source/engine/types.js';
import {connect} from '../../steps/connect/index.js';
import {dnsStep} from '../../steps/dns/index.js';
import {probeUnit} from '../../source/dns/probe.js';
import {setDnsRecord, startServer, world, type Server} from '../world/index.js';

// The world's DNS keeps its records between runs: each run uses names of its own.
const unique = randomBytes(3).toString('hex');
const name = (label: string) => `${label}-${unique}.test`;

describe('dns on a fresh debian13 server', () => {
	let server: Server;
	let config: Record<string, unknown>;
	let stateFile: string;
	const home = process.env.HOME;

	async function run(
		values: Record<string, unknown>,
		interactive = false,
		mode: 'setup' | 'plan' = 'setup',
	): Promise<{summary: RunSummary; dns: StepOutcome; events: EngineEvent[]}> {
		const events: EngineEvent[] = [];
		const summary = await runSteps({
			steps: [connect, dnsStep],
			mode,
			config: resolvedConfig({...config, ...values}),
			stateFile,
			labDir: path.dirname(stateFile),
			interactive,
			state: emptyState,
			redactor: new Redactor(),
			signal: AbortSignal.timeout(120_000),
			prompt: async question => {
				throw new Error(`unexpected question ${question.key}`);
			},
			listeners: [event => events.push(event)],
			command: 'labbox',
		});
		for (const outcome of summary.outcomes.filter(outcome => outcome.result === 'failed')) {
			console.log(`${outcome.id}: ${outcome.detail}\n${outcome.hint ?? ''}\n${outcome.output?.join('\n') ?? ''}`);
		}
		return {summary, dns: summary.outcomes.find(outcome => outcome.id === 'dns')!, events};
	}

	beforeAll(async () => {
		const w = await world();
		server = await startServer('debian13');
		const folder = await mkdtemp(path.join(tmpdir(), 'labbox-e2e-dns-'));
		stateFile = path.join(folder, 'state.json');
		// A home of its own: the machine's known_hosts may hold an older server's key for this address.
		process.env.HOME = folder;
		const fingerprint = createHash('sha256')
			.update(Buffer.from(server.hostKey.split(' ')[1]!, 'base64'))
			.digest('base64');
		config = {
			'server.host': server.host,
			'server.user': 'root',
			'server.identityFile': w.ssh.keyPath,
			'server.hostKey': `SHA256:${fingerprint.replace(/=+$/, '')}`,
			'lab.root': '/srv/lab',
			'dns.resolvers': [w.dns!.server],
		};
	});

	afterAll(async () => {
		process.env.HOME = home;
		await server?.remove();
	});

	it('passes for a name that points to the server, proving port 80 with a token', async () => {
		await setDnsRecord(name('dns-ok'), server.host);
		const {dns} = await run({domain: name('dns-ok')});
		expect(dns.result).toBe('ok');
		expect(dns.detail).toContain(`${name('dns-ok')} → ${server.host}, and http://${name('dns-ok')}/ reaches the server`);
		// The temporary responder is gone: nothing is left on port 80.
		expect((await server.exec("ss -Hltn 'sport = :80'")).stdout.trim()).toBe('');
	});

	it('as a plan (labbox plan), checks the records and port 80 but starts no responder, not even briefly', async () => {
		await setDnsRecord(name('dns-plan'), server.host);
		const started = async () => Number((await server.exec(`journalctl -q -o cat -u ${probeUnit} | grep -c Started || true`)).stdout.trim());
		const before = await started();
		const {dns} = await run({domain: name('dns-plan')}, false, 'plan');
		expect(dns.result).toBe('ok');
		expect(dns.detail).toBe(
			`${name('dns-plan')} → ${server.host}; port 80 is free for the lab (the run proves http://${name('dns-plan')}/ reaches the server)`,
		);
		expect(await started()).toBe(before);
		// The same name in a run does start it (so the count above can move).
		await run({domain: name('dns-plan')});
		expect(await started()).toBeGreaterThan(before);
	});

	it('gives the exact record for a name that points elsewhere, then fails after the bounded wait', async () => {
		await setDnsRecord(name('dns-elsewhere'), '192.0.2.44');
		const started = Date.now();
		const {dns, events} = await run({domain: name('dns-elsewhere'), 'dns.waitSeconds': 4});
		expect(dns.result).toBe('failed');
		expect(Date.now() - started).toBeLessThan(30_000);
		expect(dns.detail).toContain(
			`${name('dns-elsewhere')} points to 192.0.2.44 (resolver ${config['dns.resolvers']}), not to ${server.host}`,
		);
		expect(dns.hint).toContain(`A  ${name('dns-elsewhere')}  ${server.host}  TTL 300`);
		// The countdown was shown while waiting.
		expect(events.some(event => event.type === 'detail' && /s left$/.test(event.text))).toBe(true);
	});

	it('picks up a record created during the wait', async () => {
		const lateName = name('dns-late');
		const late = sleep(3000).then(() => setDnsRecord(lateName, server.host));
		const {dns} = await run({domain: lateName, 'dns.waitSeconds': 60});
		await late;
		expect(dns.result).toBe('changed');
	});

	it('waits past dns.waitSeconds while someone watches (no --yes), counting down to the next look', async () => {
		const lateName = name('dns-watched');
		const late = sleep(7000).then(() => setDnsRecord(lateName, server.host));
		const {dns, events} = await run({domain: lateName, 'dns.waitSeconds': 2}, true);
		await late;
		expect(dns.result).toBe('changed');
		const details = events.flatMap(event => (event.type === 'detail' ? [event.text] : []));
		expect(details).toContainEqual(
			expect.stringMatching(
				new RegExp(
					`^waiting for ${lateName} → ${server.host.replaceAll('.', '\\.')}: checking again in [1-5] s \\(waiting [3-9] s so far; Ctrl-C stops\\)$`,
				),
			),
		);
	});

	const holdsPort80 = async () => {
		for (let attempt = 0; attempt < 50 && !(await server.exec("ss -Hltn 'sport = :80'")).stdout.trim(); attempt++) {
			await sleep(100);
		}
	};

	// Issue 9 item 8: a process is not a unit; the process and its pid are named, the unit only when there is one.
	it('is blocked when a service holds port 80, naming the process, its pid and its unit, and how to stop that unit', async () => {
		await setDnsRecord(name('dns-busy'), server.host);
		await server.exec('systemd-run --unit=other-web80 python3 -m http.server 80');
		try {
			await holdsPort80();
			const pid = (await server.exec('systemctl show -p MainPID --value other-web80')).stdout.trim();
			const {dns} = await run({domain: name('dns-busy')});
			expect(dns.result).toBe('failed');
			expect(dns.detail).toContain(`Port 80 on the server is used by python3 (pid ${pid}, unit other-web80.service)`);
			// A transient unit (systemd-run) cannot be disabled: it is stopped.
			expect(dns.hint).toBe('Stop it on the server (`sudo systemctl stop other-web80.service`), then run `labbox run dns`.');
		} finally {
			await server.exec('systemctl stop other-web80');
		}
	});

	it('is blocked when a process outside any unit holds port 80, naming it and its pid', async () => {
		await setDnsRecord(name('dns-busy'), server.host);
		// Started through `docker exec`, as by hand: in no systemd unit.
		const pid = (await server.exec('setsid python3 -m http.server 80 >/dev/null 2>&1 < /dev/null & echo $!')).stdout.trim();
		try {
			await holdsPort80();
			const {dns} = await run({domain: name('dns-busy')});
			expect(dns.result).toBe('failed');
			expect(dns.detail).toContain(`Port 80 on the server is used by python3 (pid ${pid});`);
			expect(dns.hint).toBe(`Stop it on the server (\`sudo kill ${pid}\`), then run \`labbox run dns\`.`);
		} finally {
			await server.exec(`kill ${pid}`);
		}
	});
});
