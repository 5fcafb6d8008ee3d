import {createHash} from 'node:crypto';
import {readFileSync} from 'node:fs';
import {createServer} from 'node:https';
import type {AddressInfo} from 'node:net';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {makeSelfSigned} from '../../../source/acme/self-signed.js';
import {toShell} from '../../../source/remote/command.js';
import {changedFiles, fileStateCommands, parseFileStates, placeFiles} from '../../../source/templates/sync.js';
import {composeLogs, composePs, composeUp, containerStates, failingServices, makeFolders, parseContainerStates, parseServices, serviceProblems} from '../../../steps/stack/commands.js';
import {leafFingerprint, probeHealth} from '../../../steps/stack/health.js';
import {root} from '../../helpers/labbox-process.js';

const fixture = (file: string) => readFileSync(path.join(root, 'test/fixtures/steps/stack', file), 'utf8');
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

describe('stack commands', () => {
	it('builds the compose commands on the lab file', () => {
		expect(toShell(composeUp('/srv/lab'))).toBe('docker compose --file /srv/lab/compose.yaml up --detach --remove-orphans');
		expect(toShell(composePs('/srv/lab'))).toBe('docker compose --file /srv/lab/compose.yaml ps --all --format json');
		expect(toShell(composeLogs('/srv/lab', 'hub'))).toBe('docker compose --file /srv/lab/compose.yaml logs --no-color --tail 40 hub');
		expect(toShell(makeFolders('/srv/my lab'))).toBe("mkdir -p '/srv/my lab/jupyterhub' '/srv/my lab/nginx' '/srv/my lab/acme-webroot'");
	});

	it('reads restarts and status of the containers, and tells a crash loop from a start', () => {
		expect(toShell(containerStates('/srv/lab'))).toBe(
			`docker compose --file /srv/lab/compose.yaml ps --all --quiet | xargs --no-run-if-empty docker inspect --format '{{index .Config.Labels "com.docker.compose.service"}} {{.RestartCount}} {{.State.Status}}'`,
		);
		const before = parseContainerStates('nginx 0 running\nhub 0 running\n');
		expect(failingServices(before, parseContainerStates('nginx 0 running\nhub 0 running'))).toEqual([]);
		expect(failingServices(before, parseContainerStates('nginx 0 running\nhub 2 running'))).toEqual(['hub stopped and was restarted 2 time(s)']);
		expect(failingServices(before, parseContainerStates('nginx 0 running\nhub 0 restarting'))).toEqual(['hub is restarting']);
		expect(failingServices(before, parseContainerStates('hub 0 running'))).toEqual(['nginx has no container']);
	});

	it('reads ps output of Compose 2.21+ (lines) and older 2.x (an array)', () => {
		expect(serviceProblems(parseServices(fixture('ps-running.jsonl')))).toEqual([]);
		expect(serviceProblems(parseServices(fixture('ps-hub-restarting.json')))).toEqual(['hub is restarting (Restarting (1) 2 seconds ago)']);
		expect(serviceProblems(parseServices(''))).toEqual(['nginx is not running yet (no container)', 'hub is not running yet (no container)']);
	});
});

describe('file sync', () => {
	const files = placeFiles('/srv/lab', [
		{path: 'compose.yaml', content: 'services: {}\n', mode: '0644'},
		{path: '.env', content: 'LABBOX_SECRETS=e30=\n', mode: '0600'},
		{path: 'nginx/lab.conf', content: 'server {}\n', mode: '0644'},
	]);

	it('reads hashes and stats of every target in one go', () => {
		const commands = fileStateCommands(files.map(file => file.target));
		expect(toShell(commands.hashes)).toBe('sha256sum /srv/lab/compose.yaml /srv/lab/.env /srv/lab/nginx/lab.conf 2>/dev/null');
		expect(toShell(commands.stats)).toBe("stat -c '%n|%a|%u:%g' /srv/lab/compose.yaml /srv/lab/.env /srv/lab/nginx/lab.conf 2>/dev/null");
	});

	it('uploads only missing, changed or loosened files', () => {
		const hashes = [`${sha('services: {}\n')}  /srv/lab/compose.yaml`, `${sha('LABBOX_SECRETS=e30=\n')}  /srv/lab/.env`, `${sha('old')}  /srv/lab/nginx/lab.conf`].join('\n');
		const stats = ['/srv/lab/compose.yaml|644|0:0', '/srv/lab/.env|644|0:0', '/srv/lab/nginx/lab.conf|644|0:0'].join('\n');
		expect(changedFiles(files, parseFileStates(hashes, stats)).map(file => file.path)).toEqual(['.env', 'nginx/lab.conf']);
		const same = stats.replace('.env|644', '.env|600');
		const current = hashes.replace(sha('old'), sha('server {}\n'));
		expect(changedFiles(files, parseFileStates(current, same))).toEqual([]);
		expect(changedFiles(files, parseFileStates('', '')).map(file => file.path)).toEqual(['compose.yaml', '.env', 'nginx/lab.conf']);
	});
});

describe('health from the laptop', () => {
	async function server(certificate: {certificate: string; privateKey: string}, status = 200) {
		const https = createServer({cert: certificate.certificate, key: certificate.privateKey}, (request, response) => {
			response.writeHead(request.url === '/hub/health' ? status : 404).end();
		});
		await new Promise<void>(resolve => https.listen(0, '127.0.0.1', resolve));
		return {port: (https.address() as AddressInfo).port, close: () => https.close()};
	}

	it('accepts the certificate of certs/fullchain.pem for the name, and no other', async () => {
		const lab = await makeSelfSigned(['lab.test']);
		const other = await makeSelfSigned(['lab.test']);
		const https = await server(lab);
		try {
			expect(await probeHealth('127.0.0.1', 'lab.test', leafFingerprint(lab.certificate), {port: https.port})).toEqual({ok: true});
			const refused = await probeHealth('127.0.0.1', 'lab.test', leafFingerprint(other.certificate), {port: https.port});
			expect(refused).toEqual({ok: false, reason: "the server presented a certificate other than lab.test's in certs/fullchain.pem"});
			const wrongName = await probeHealth('127.0.0.1', 'other.test', leafFingerprint(lab.certificate), {port: https.port});
			expect(wrongName.ok).toBe(false);
		} finally {
			https.close();
		}
	});

	it('reports a status other than 200', async () => {
		const lab = await makeSelfSigned(['lab.test']);
		const https = await server(lab, 502);
		try {
			expect(await probeHealth('127.0.0.1', 'lab.test', leafFingerprint(lab.certificate), {port: https.port})).toEqual({ok: false, reason: 'https://lab.test/hub/health answered 502'});
		} finally {
			https.close();
		}
	});
});
