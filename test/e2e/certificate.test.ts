import {resolvedConfig} from '../../source/config/resolve.js';
// The certificate step on a fresh world server with Docker, through the real runner: letsencrypt against
// Pebble (renewer on the server, key 0600, second run contacts no CA, a new domain gets a new certificate),
// renewal by the renewer's own unit without the wizard, failures named within seconds, then self-signed and
// existing (mismatched key and expired certificate refused).
import {createHash, randomBytes, X509Certificate} from 'node:crypto';
import {mkdtemp, readFile, stat, writeFile} from 'node:fs/promises';
import {setTimeout as sleep} from 'node:timers/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {makeSelfSigned} from '../../source/acme/self-signed.js';
import {Redactor} from '../../source/engine/redact.js';
import {runSteps} from '../../source/engine/runner.js';
import {emptyState} from '../../source/engine/state.js';
import type {EngineEvent, Step, StepOutcome} from '../../source/engine/types.js';
import {certificateStep} from '../../steps/certificate/index.js';
import {connect} from '../../steps/connect/index.js';
import {dnsStep} from '../../steps/dns/index.js';
import {setDnsRecord, startServer, world, type Server, type World} from '../world/index.js';
import {labConfig, labYaml, runLabbox, stepLines} from './lab-world.js';

// The world's DNS keeps its records between runs: each run uses names of its own.
const unique = randomBytes(3).toString('hex');
const name = (label: string) => `${label}-${unique}.test`;

async function exec(server: Server, command: string): Promise<string> {
	const result = await server.exec(command);
	if (result.exitCode !== 0) throw new Error(`${command}: ${result.stderr}`);
	return result.stdout.trim();
}

describe('certificate on a fresh debian13 server', () => {
	let server: Server;
	let w: World;
	let lab: string;
	let config: Record<string, unknown>;
	const home = process.env.HOME;

	async function run(
		values: Record<string, unknown>,
		steps: readonly Step[] = [connect, certificateStep],
		events: EngineEvent[] = [],
	): Promise<StepOutcome> {
		const summary = await runSteps({
			steps,
			mode: 'setup',
			config: resolvedConfig({...config, ...values}),
			stateFile: path.join(lab, '.labbox/state.json'),
			labDir: lab,
			state: emptyState,
			redactor: new Redactor(),
			signal: AbortSignal.timeout(300_000),
			prompt: async question => {
				throw new Error(`unexpected question ${question.key}`);
			},
			listeners: [event => events.push(event)],
			command: 'labbox',
		});
		for (const outcome of summary.outcomes.filter(outcome => outcome.result === 'failed')) {
			console.log(`${outcome.id}: ${outcome.detail}\n${outcome.hint ?? ''}\n${outcome.output?.join('\n') ?? ''}`);
		}
		return summary.outcomes.at(-1)!;
	}

	const serverCertificate = async () => new X509Certificate(await exec(server, 'cat /srv/lab/certs/fullchain.pem'));

	beforeAll(async () => {
		w = await world();
		server = await startServer('debian13');
		lab = await mkdtemp(path.join(tmpdir(), 'labbox-e2e-certificate-'));
		// The ACME account key lands in the lab folder (labDir); a HOME of its own for known_hosts.
		process.env.HOME = lab;
		// Docker as the docker step leaves it (that step is proven by its own tests and the lab's).
		await exec(
			server,
			'apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends docker.io docker-cli docker-compose',
		);
		const fingerprint = createHash('sha256')
			.update(Buffer.from(server.hostKey.split(' ')[1]!, 'base64'))
			.digest('base64');
		config = {
			'server.host': server.host,
			'server.user': 'root',
			'server.identityFile': w.ssh.keyPath,
			'server.hostKey': `SHA256:${fingerprint.replace(/=+$/, '')}`,
			'lab.root': '/srv/lab',
			domain: name('first'),
			'certificate.mode': 'letsencrypt',
			'certificate.email': 'admin@example.org',
			'certificate.directoryUrl': w.acme!.directoryUrl,
			'certificate.caFile': w.acme!.caFile,
			'certificate.renewerImage': w.registry!.images.renewer,
			'dns.resolvers': [w.dns!.server],
		};
		for (const label of ['first', 'second', 'third', 'untrusted']) {
			await setDnsRecord(name(label), server.host);
		}
		// Nothing answers port 80 at the world's DNS server: Pebble's validation of this name fails.
		await setDnsRecord(name('refused'), w.dns!.host);
	}, 900_000);

	afterAll(async () => {
		process.env.HOME = home;
		await server?.remove();
	});

	// Issue 9 item 7: the step checks what the CA's validation depends on before asking it, and enables no timer.
	it('with port 80 held by another program, fails before asking the CA, naming it, and enables no renewal timer', async () => {
		await exec(server, 'systemd-run --unit=other-web80 python3 -m http.server 80');
		try {
			for (let attempt = 0; attempt < 50 && !(await server.exec("ss -Hltn 'sport = :80'")).stdout.trim(); attempt++) {
				await sleep(100);
			}
			const pid = await exec(server, 'systemctl show -p MainPID --value other-web80');
			const outcome = await run({});
			expect(outcome.result).toBe('failed');
			expect(outcome.detail).toBe(
				`The CA could not validate ${name('first')}, so none was asked: Port 80 on the server is used by python3 (pid ${pid}, unit other-web80.service); the lab needs it (HTTP → HTTPS and certificate checks)`,
			);
			expect(outcome.hint).toBe('Stop it on the server (`sudo systemctl stop other-web80.service`), then run `labbox run certificate`.');
			expect((await server.exec('systemctl is-enabled labbox-renewer.timer')).stdout.trim()).not.toBe('enabled');
			// The renewer never ran: it writes renewal.json whenever it asks the CA.
			expect((await server.exec('test -e /srv/lab/certs/renewal.json')).exitCode).not.toBe(0);
		} finally {
			await exec(server, 'systemctl stop other-web80');
		}
	});

	it('gets a certificate from Pebble for the name, key 0600, with the renewer in place', async () => {
		const outcome = await run({});
		expect(outcome.result).toBe('changed');
		const certificate = await serverCertificate();
		expect(certificate.subjectAltName).toBe(`DNS:${name('first')}`);
		expect(certificate.issuer).toMatch(/Pebble Intermediate CA/);
		expect(await exec(server, 'stat -c %a:%U /srv/lab/certs/privkey.pem /srv/lab/certs/acme/account.key')).toBe('600:root\n600:root');
		expect(await exec(server, 'systemctl is-enabled labbox-renewer.timer')).toBe('enabled');
		// The account key is kept in the lab folder (0600) and is the one on the server.
		const local = await readFile(path.join(lab, 'acme-account.key'), 'utf8');
		expect((await stat(path.join(lab, 'acme-account.key'))).mode & 0o777).toBe(0o600);
		expect((await exec(server, 'sha256sum /srv/lab/certs/acme/account.key')).split(' ')[0]).toBe(
			createHash('sha256').update(local).digest('hex'),
		);
	});

	it('is ok on a second run, without asking the CA', async () => {
		const before = {serial: (await serverCertificate()).serialNumber, status: await exec(server, 'cat /srv/lab/certs/renewal.json')};
		const outcome = await run({});
		expect(outcome.result).toBe('ok');
		expect(outcome.detail).toContain(`${name('first')} until`);
		expect({serial: (await serverCertificate()).serialNumber, status: await exec(server, 'cat /srv/lab/certs/renewal.json')}).toEqual(
			before,
		);
	});

	it('issues a new certificate when the domain changes', async () => {
		const outcome = await run({domain: name('second')});
		expect(outcome.result).toBe('changed');
		expect((await serverCertificate()).subjectAltName).toBe(`DNS:${name('second')}`);
		config.domain = name('second');
	});

	it('renews on the server, by the renewer unit as its timer starts it, with the wizard not running', async () => {
		const before = (await serverCertificate()).serialNumber;
		// A margin larger than the certificate's life: the renewer must renew now.
		await exec(server, `sed -i 's/"renewDays": [0-9]*/"renewDays": 5000/' /srv/lab/renewer/config.json`);
		await exec(server, 'systemctl start labbox-renewer.service');
		const after = await serverCertificate();
		expect(after.serialNumber).not.toBe(before);
		expect(after.subjectAltName).toBe(`DNS:${name('second')}`);
		const status = JSON.parse(await exec(server, 'cat /srv/lab/certs/renewal.json'));
		expect(status).toMatchObject({lastError: null, serial: after.serialNumber, expiry: new Date(after.validTo).toISOString()});
		expect(await exec(server, 'test -f /srv/lab/certs/fullchain.pem.previous && echo kept')).toBe('kept');
	});

	it.each([
		[
			'the CA is unreachable',
			(world_: World) => ({'certificate.directoryUrl': world_.acme!.directoryUrl.replace(':14000', ':14999')}),
			'refused the connection (nothing listens there)',
		],
		[
			"the CA's TLS is not trusted",
			() => ({domain: name('untrusted'), 'certificate.caFile': undefined}),
			'is not trusted (UNABLE_TO_VERIFY_LEAF_SIGNATURE)',
		],
	])('names the real cause within seconds when %s, keeping the previous certificate', async (_case, values, cause) => {
		const before = (await serverCertificate()).serialNumber;
		const started = Date.now();
		const outcome = await run(values(w));
		expect(outcome.result).toBe('failed');
		expect(outcome.detail).toContain(`The certificate was not issued: `);
		expect(outcome.detail).toContain(cause);
		expect(Date.now() - started).toBeLessThan(20_000);
		expect((await serverCertificate()).serialNumber).toBe(before);
	});

	it('does not ask the CA for a name that points elsewhere, keeping the previous certificate', async () => {
		const before = (await serverCertificate()).serialNumber;
		const status = await exec(server, 'cat /srv/lab/certs/renewal.json');
		const outcome = await run({domain: name('refused')});
		expect(outcome.result).toBe('failed');
		expect(outcome.detail).toBe(
			`The CA could not validate ${name('refused')}, so none was asked: ${name('refused')} points to ${w.dns!.host} (resolver ${w.dns!.server}), not to ${server.host}`,
		);
		expect(outcome.hint).toContain(`A  ${name('refused')}  ${server.host}  TTL 300`);
		expect((await serverCertificate()).serialNumber).toBe(before);
		expect(await exec(server, 'cat /srv/lab/certs/renewal.json')).toBe(status);
	});

	// Issue 9 item 5: a renewer left running by a killed labbox is the lab's own: the next run waits for it.
	it('resumes after a kill -9 during the ACME order, waiting for the renewer the killed run left on port 80', async () => {
		// A new name: the certificate in place does not do, so the run orders one.
		await writeFile(path.join(lab, 'lab.yaml'), labYaml({...labConfig(w, server, name('third')), ...config, domain: name('third')}));
		const labbox = (args: readonly string[]) =>
			runLabbox(args, {lab, home: lab, env: {LABBOX_AUTH_CLIENT_SECRET: w.oidc!.clientSecret}, timeout: 300_000});
		// The order is quick against Pebble: the renewer is frozen once it holds port 80, as a slow CA would hold it there.
		const frozen = server.exec(
			`timeout 120 sh -c 'until ss -Hltnp "sport = :80" | grep -q node; do sleep 0.02; done; docker pause $(docker ps -q)'`,
		);
		const first = labbox(['run', 'dns', 'certificate', '--yes']);
		const winner = await Promise.race([frozen.then(result => ({frozen: result})), first.then(result => ({ended: result}))]);
		if ('ended' in winner) {
			throw new Error(`labbox ended before the renewer held port 80:\n${String(winner.ended.all)}`);
		}
		expect(winner.frozen.exitCode, winner.frozen.stderr).toBe(0);
		first.kill('SIGKILL');
		expect((await first).signal).toBe('SIGKILL');
		// The order goes on (as it would at a slow CA) some seconds after the resume has started.
		const resumed = labbox(['--resume']);
		await sleep(15_000);
		await exec(server, 'docker unpause $(docker ps -q --filter status=paused)');
		const result = await resumed;
		console.log(String(result.all));
		expect(String(result.all)).not.toContain('used by node');
		expect(String(result.all)).toMatch(
			/dns: waiting \(at most 300 s\) for the lab's certificate renewer, node \(pid \d+, container [\da-f]{12}\), to end: an earlier run's order still holds port 80/,
		);
		expect(result.exitCode, String(result.all)).toBe(0);
		const ends = stepLines(String(result.all)).map(line => line.split(' ').slice(0, 2).join(' '));
		expect(ends.filter(end => /^(dns|certificate) /.test(end))).toEqual(['dns changed', 'certificate changed']);
		expect((await serverCertificate()).subjectAltName).toBe(`DNS:${name('third')}`);
		expect(await exec(server, 'docker ps -q')).toBe('');
	});

	it('self-signed: for the name and *.name, key 0600, the renewer timer disabled', async () => {
		const outcome = await run({'certificate.mode': 'self-signed'});
		expect(outcome.result).toBe('changed');
		const certificate = await serverCertificate();
		expect(certificate.subjectAltName).toBe(`DNS:${name('second')}, DNS:*.${name('second')}`);
		expect(certificate.verify(certificate.publicKey)).toBe(true);
		expect(outcome.detail).toContain(`self-signed, SHA-256 ${certificate.fingerprint256}`);
		expect(await exec(server, 'stat -c %a /srv/lab/certs/privkey.pem')).toBe('600');
		expect((await server.exec('systemctl is-enabled labbox-renewer.timer')).stdout.trim()).toBe('disabled');
	});

	it('existing: uploads your files, and refuses a mismatched key or an expired certificate', async () => {
		const yours = await makeSelfSigned([name('second')]);
		const other = await makeSelfSigned([name('second')]);
		const expired = await makeSelfSigned([name('second')], {now: new Date(Date.now() - 10 * 86_400_000), days: 5});
		await writeFile(path.join(lab, 'fullchain.pem'), yours.certificate);
		await writeFile(path.join(lab, 'privkey.pem'), yours.privateKey, {mode: 0o600});
		await writeFile(path.join(lab, 'other.key'), other.privateKey, {mode: 0o600});
		await writeFile(path.join(lab, 'expired.pem'), expired.certificate);
		await writeFile(path.join(lab, 'expired.key'), expired.privateKey, {mode: 0o600});
		const existing = {'certificate.mode': 'existing', 'certificate.certFile': './fullchain.pem', 'certificate.keyFile': './privkey.pem'};
		const mismatched = await run({...existing, 'certificate.keyFile': './other.key'});
		expect(mismatched.result).toBe('failed');
		expect(mismatched.detail).toContain('certificate.keyFile is not the key of certificate.certFile');
		const old = await run({...existing, 'certificate.certFile': './expired.pem', 'certificate.keyFile': './expired.key'});
		expect(old.result).toBe('failed');
		expect(old.detail).toMatch(/certificate\.certFile expired on \d{4}-\d{2}-\d{2}/);
		const outcome = await run(existing);
		expect(outcome.result).toBe('changed');
		expect((await serverCertificate()).fingerprint256).toBe(new X509Certificate(yours.certificate).fingerprint256);
		expect((await run(existing)).result).toBe('ok');
	});

	it("with the lab's nginx on port 80: dns proves the path and the renewer answers HTTP-01 through its webroot, then reloads it", async () => {
		// The stack's nginx as far as these steps care: port 80 published, the ACME webroot served over HTTP.
		await exec(
			server,
			`cat > /srv/lab/nginx-test.conf <<'EOF'
server {
	listen 80;
	location /.well-known/acme-challenge/ { root /var/www/acme; }
	location / { return 301 https://$host$request_uri; }
}
EOF`,
		);
		await exec(
			server,
			`cat > /srv/lab/compose.yaml <<'EOF'
name: labbox
services:
  nginx:
    image: ${w.registry!.images.nginx}
    ports: ['80:80']
    volumes: ['./acme-webroot:/var/www/acme:ro', './nginx-test.conf:/etc/nginx/conf.d/lab.conf:ro']
EOF`,
		);
		await exec(server, 'docker compose -f /srv/lab/compose.yaml up -d --quiet-pull');
		const events: EngineEvent[] = [];
		const outcome = await run({}, [connect, dnsStep, certificateStep], events);
		const lines = events.flatMap(event => (event.type === 'line' ? [event.text] : []));
		const ends = events.flatMap(event => (event.type === 'step-end' ? [`${event.id} ${event.result}`] : []));
		expect(ends).toEqual(['connect ok', 'dns ok', 'certificate changed']);
		expect(outcome.detail).toContain(`${name('second')} until`);
		expect(lines).toContain("port 80 is in use: answering http-01 through the lab's nginx webroot");
		expect(lines).toContain('nginx reloaded with the new certificate');
		// No challenge token is left; the dns proof's own token stays, made once (issue 9 item 18).
		expect(await exec(server, 'find /srv/lab/acme-webroot -type f')).toBe('/srv/lab/acme-webroot/.well-known/acme-challenge/labbox-probe');
	});

	// Issue 9 item 18: with the lab's nginx on port 80, a no-op run proves the path without writing on the server.
	it("with the lab's nginx on port 80, a second dns and certificate run writes nothing in the lab root", async () => {
		const listing = () => exec(server, "find /srv/lab -xdev -printf '%M %u:%g %T@ %p\\n' | sort -k4");
		const before = await listing();
		const events: EngineEvent[] = [];
		await run({}, [connect, dnsStep, certificateStep], events);
		expect(events.flatMap(event => (event.type === 'step-end' ? [`${event.id} ${event.result}`] : []))).toEqual([
			'connect ok',
			'dns ok',
			'certificate ok',
		]);
		expect(await listing()).toBe(before);
	});
});
