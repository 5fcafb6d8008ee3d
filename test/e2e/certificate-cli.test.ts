// dns and certificate through the real CLI (`labbox run dns certificate --yes`, in-process with the lab's
// connect step), from a lab folder with a lab.yaml: schema defaults apply, the plain output shows the
// self-signed fingerprint and the exact DNS record, and the exit codes say what happened.
import {createHash, randomBytes} from 'node:crypto';
import {mkdtemp, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {PassThrough} from 'node:stream';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {main} from '../../source/cli/main.js';
import {certificateStep} from '../../steps/certificate/index.js';
import {connect} from '../../steps/connect/index.js';
import {dnsStep} from '../../steps/dns/index.js';
import {setDnsRecord, startServer, world, type Server} from '../world/index.js';

const unique = randomBytes(3).toString('hex');
const name = (label: string) => `${label}-${unique}.test`;

describe('labbox run dns certificate --yes', () => {
	let server: Server;
	let lab: string;
	let yaml: string;
	const home = process.env.HOME;
	const cwd = process.cwd();

	/** Runs the CLI in the lab folder; returns its exit code and everything it printed. */
	async function labbox(...argv: string[]): Promise<{code: number; output: string}> {
		const out = new PassThrough();
		let output = '';
		out.on('data', chunk => (output += String(chunk)));
		const stream = out as unknown as NodeJS.WriteStream;
		const code = await main(argv, {stdout: stream, stderr: stream, cwd: lab, env: {HOME: lab}, steps: [connect, dnsStep, certificateStep]});
		return {code, output};
	}

	beforeAll(async () => {
		const w = await world();
		server = await startServer('debian13');
		lab = await mkdtemp(path.join(tmpdir(), 'labbox-e2e-cli-'));
		process.chdir(lab);
		process.env.HOME = lab;
		const fingerprint = createHash('sha256')
			.update(Buffer.from(server.hostKey.split(' ')[1]!, 'base64'))
			.digest('base64');
		yaml = [
			'server:',
			`  host: ${server.host}`,
			'  user: root',
			`  identityFile: ${w.ssh.keyPath}`,
			`  hostKey: SHA256:${fingerprint.replace(/=+$/, '')}`,
			'dns:',
			`  resolvers: [${w.dns!.server}]`,
			'  waitSeconds: 3',
			'certificate:',
			'  mode: self-signed',
			'auth:',
			'  type: github',
			'  clientId: e2e-client',
			'  allowedUsers: [ada]',
			'backup:',
			'  repository: none',
		].join('\n');
		await writeFile(path.join(lab, 'secrets.env'), 'LABBOX_AUTH_CLIENT_SECRET=e2e-secret\n', {mode: 0o600});
		await setDnsRecord(name('cli'), server.host);
	});

	afterAll(async () => {
		process.chdir(cwd);
		process.env.HOME = home;
		await server?.remove();
	});

	it('proves the name and installs a self-signed certificate, showing its fingerprint; a second run changes nothing', async () => {
		await writeFile(path.join(lab, 'lab.yaml'), `${yaml}\ndomain: ${name('cli')}\n`);
		const first = await labbox('run', 'dns', 'certificate', '--yes');
		expect(first.output).toMatch(/SHA-256 fingerprint ([0-9A-F]{2}:){31}[0-9A-F]{2}/);
		expect(first.code).toBe(0);
		const fingerprint = /SHA-256 fingerprint (\S+)/.exec(first.output)![1];
		expect((await server.exec('cat /srv/lab/certs/fullchain.pem')).stdout).toContain('BEGIN CERTIFICATE');
		// The whole setup run (not `run`, which applies named steps again by design): everything already so.
		const second = await labbox('--yes');
		expect(second.code).toBe(0);
		expect(second.output).toContain(fingerprint);
		expect(second.output).not.toContain('SHA-256 fingerprint');
		expect(second.output).toContain('0 changed, 3 already done');
	});

	it('fails after dns.waitSeconds with the record to create when the name points elsewhere', async () => {
		await setDnsRecord(name('away'), '192.0.2.9');
		await writeFile(path.join(lab, 'lab.yaml'), `${yaml}\ndomain: ${name('away')}\n`);
		const run = await labbox('run', 'dns', '--yes');
		expect(run.code).toBe(1);
		expect(run.output).toContain(`A  ${name('away')}  ${server.host}  TTL 300`);
		expect(run.output).toContain('(after waiting 3 s)');
	});
});
