import {wantedNames} from '../../../source/config/names.js';
import {createSocket, type Socket} from 'node:dgram';
import {readdirSync, readFileSync} from 'node:fs';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {toShell} from '../../../source/remote/command.js';
import type {PortHolder} from '../../../source/remote/facts/port-holders.js';
import {
	describeHolder,
	describeVerdict,
	isPublicAddress,
	judge,
	lookupName,
	port80Blocked,
	port80Plan,
	recordInstructions,
	serverAddresses,
	stopAdvice,
	wantedAddress,
} from '../../../source/dns/decide.js';
import {describeFetch, fetchOnce, isToken, probeFile, probeFolders, startResponder, stopResponder} from '../../../source/dns/probe.js';
import {askAll, askResolver, firstAddress, resolversFor} from '../../../source/dns/resolve.js';
import {root} from '../../helpers/labbox-process.js';

const folder = path.join(root, 'test/fixtures/steps/dns');
const cases = readdirSync(folder).map(file => [file, JSON.parse(readFileSync(path.join(folder, file), 'utf8'))] as const);

describe('dns decisions', () => {
	it.each(cases)('%s: answers in, verdict out', (_file, fixture) => {
		expect(judge(fixture.answers, fixture.address)).toEqual(fixture.verdict);
	});

	it('checks the wildcard through a random name under it', () => {
		expect(wantedNames('lab.example.org', false)).toEqual(['lab.example.org']);
		expect(wantedNames('lab.example.org', true)).toEqual(['lab.example.org', '*.lab.example.org']);
		expect(lookupName('*.lab.example.org', 'ab12')).toBe('labbox-check-ab12.lab.example.org');
		expect(lookupName('lab.example.org', 'ab12')).toBe('lab.example.org');
	});

	it.each([
		['203.0.113.7', true],
		['10.1.2.3', false],
		['172.20.0.5', false],
		['192.168.1.1', false],
		['100.64.0.1', false],
		['127.0.0.1', false],
		['2001:db8::1', true],
		['fd00::1', false],
		['lab.example.org', false],
	])('%s is public: %s', (address, expected) => {
		expect(isPublicAddress(address)).toBe(expected);
	});

	it('takes the public address the laptop reaches', () => {
		expect(wantedAddress('203.0.113.7', ['203.0.113.7'])).toEqual({address: '203.0.113.7'});
	});

	it('says so when the server is behind NAT', () => {
		expect(wantedAddress('203.0.113.7', ['10.0.0.5'])).toEqual({
			address: '203.0.113.7',
			note: 'the server is behind NAT: it sees itself as 10.0.0.5, the laptop reaches it at 203.0.113.7; ports 80 and 443 of 203.0.113.7 must be forwarded to it',
		});
	});

	it("takes the server's own public address when the laptop reaches it privately", () => {
		expect(wantedAddress('10.8.0.2', ['10.8.0.2', '198.51.100.4']).address).toBe('198.51.100.4');
	});

	it('keeps a private address, warning, and lets dns.address win', () => {
		expect(wantedAddress('172.20.0.130', ['172.20.0.130']).note).toContain('172.20.0.130 is a private address');
		expect(wantedAddress('172.20.0.130', ['172.20.0.130'], '203.0.113.7')).toEqual({
			address: '203.0.113.7',
			note: 'dns.address 203.0.113.7 is used (labbox reaches the server at 172.20.0.130)',
		});
	});

	it('reads the server addresses without Docker bridges', () => {
		const output = [
			'2: eth0    inet 172.20.0.130/16 brd 172.20.255.255 scope global eth0\\       valid_lft forever preferred_lft forever',
			'3: docker0    inet 172.17.0.1/16 brd 172.17.255.255 scope global docker0\\       valid_lft forever preferred_lft forever',
			'4: br-1a2b3c    inet 172.18.0.1/16 scope global br-1a2b3c',
			'2: eth0    inet6 2001:db8::5/64 scope global \\       valid_lft forever preferred_lft forever',
		].join('\n');
		expect(serverAddresses(output)).toEqual(['172.20.0.130', '2001:db8::5']);
	});

	it('gives the exact records to create', () => {
		expect(recordInstructions(['lab.example.org', '*.lab.example.org'], '203.0.113.7')).toEqual([
			'Create at your DNS provider (or change, if a record for the name exists: never two):',
			'  A  lab.example.org  203.0.113.7  TTL 300   (if your zone is example.org, the name there is "lab")',
			'  A  *.lab.example.org  203.0.113.7  TTL 300   (if your zone is example.org, the name there is "*.lab")',
			'  The * record is a wildcard: every name under the lab (one per user) then resolves to the server.',
			'  A record that existed before may be cached for up to its old TTL; 300 s keeps later changes quick.',
		]);
		expect(recordInstructions(['example.org'], '2001:db8::5')[1]).toBe(
			'  AAAA  example.org  2001:db8::5  TTL 300   (if your zone is example.org, the name there is "@")',
		);
	});

	it('describes each verdict in one line', () => {
		expect(describeVerdict('lab.org', {status: 'wrong', found: ['198.51.100.9'], resolver: '1.1.1.1'}, '203.0.113.7')).toBe(
			'lab.org points to 198.51.100.9 (resolver 1.1.1.1), not to 203.0.113.7',
		);
		expect(describeVerdict('lab.org', {status: 'missing'}, '203.0.113.7')).toBe('lab.org has no A record yet (wanted: 203.0.113.7)');
	});

	const renewerId = 'a'.repeat(64);
	const proxy: PortHolder = {pid: 700, process: 'docker-proxy', unit: 'docker.service', unitState: 'enabled'};
	const apache: PortHolder = {pid: 812, process: 'apache2', unit: 'apache2.service', unitState: 'enabled'};
	const renewer: PortHolder = {pid: 4242, process: 'node', unit: `docker-${renewerId}.scope`, unitState: 'transient', container: renewerId};
	const responder: PortHolder = {pid: 90, process: 'systemd-socket-', unit: 'labbox-http-probe.service', unitState: 'transient'};
	it.each([
		['nobody', [], false, [], {via: 'responder'}],
		["the lab's nginx", [proxy], true, [], {via: 'nginx'}],
		['docker-proxy without the lab nginx', [proxy], false, [], {via: 'blocked', holders: [proxy]}],
		['apache2 beside the lab nginx', [apache], true, [], {via: 'blocked', holders: [apache]}],
		// Issue 9 item 5: what labbox started is its own, never blamed on the user.
		["the lab's renewer, left by a killed run", [renewer], false, [renewerId], {via: 'wait', renewers: [renewer]}],
		["the lab's renewer while the lab nginx runs", [proxy, renewer], true, [renewerId], {via: 'wait', renewers: [renewer]}],
		['a node in another container', [renewer], false, [], {via: 'blocked', holders: [renewer]}],
		['a responder an earlier run left (a plan does not stop it)', [responder], false, [], {via: 'responder'}],
		["apache2 and the lab's renewer: apache2 only is named", [apache, renewer], false, [renewerId], {via: 'blocked', holders: [apache]}],
	] as const)('port 80 held by %s', (_case, holders, labNginx, renewers, plan) => {
		expect(port80Plan(holders, {labNginx, renewers})).toEqual(plan);
	});

	// Issue 9 item 8: a process is not a unit; the unit is named only when there is one.
	it.each([
		[
			'a service that is enabled',
			{pid: 812, process: 'apache2', unit: 'apache2.service', unitState: 'enabled'},
			'apache2 (pid 812, unit apache2.service)',
			'`sudo systemctl disable --now apache2.service`',
		],
		[
			'a transient service (systemd-run)',
			{pid: 77, process: 'python3', unit: 'other-web80.service', unitState: 'transient'},
			'python3 (pid 77, unit other-web80.service)',
			'`sudo systemctl stop other-web80.service`',
		],
		[
			'a process started by hand, in a session scope',
			{pid: 1234, process: 'python3', unit: 'session-3.scope', unitState: 'transient'},
			'python3 (pid 1234)',
			'`sudo kill 1234`',
		],
		['a process outside any unit', {pid: 55, process: 'busybox'}, 'busybox (pid 55)', '`sudo kill 55`'],
		[
			"a user's own service",
			{pid: 66, process: 'caddy', unit: 'user@1000.service'},
			'caddy (pid 66, unit user@1000.service)',
			'`sudo kill 66`',
		],
		['a container', renewer, 'node (pid 4242, container aaaaaaaaaaaa)', '`sudo docker stop aaaaaaaaaaaa`'],
		[
			'a published port',
			proxy,
			'docker-proxy (pid 700, unit docker.service)',
			'`sudo docker ps --filter publish=80` names the container that publishes port 80: `sudo docker stop` it',
		],
		[
			'systemd for a socket unit',
			{pid: 1, process: 'systemd', unit: 'init.scope'},
			'systemd (pid 1)',
			'`systemctl list-sockets` names the .socket unit on port 80: `sudo systemctl disable --now` it',
		],
	] as const)('names %s and how to stop it', (_case, holder, described, advice) => {
		expect(describeHolder(holder)).toBe(described);
		expect(stopAdvice(holder)).toBe(advice);
	});

	it('says who holds port 80 and how to stop it, once per unit, naming the step to run again', () => {
		const worker: PortHolder = {...apache, pid: 813};
		expect(
			port80Blocked([apache, worker, {pid: 77, process: 'python3', unit: 'web.service', unitState: 'disabled'}], 'certificate'),
		).toEqual({
			reason:
				'Port 80 on the server is used by apache2 (pid 812, unit apache2.service), python3 (pid 77, unit web.service); the lab needs it (HTTP → HTTPS and certificate checks)',
			fix: 'Stop it on the server (`sudo systemctl disable --now apache2.service`; then `sudo systemctl stop web.service`), then run `labbox run certificate`.',
		});
	});
});

describe('dns commands', () => {
	it('stops a leftover responder, quietly', () => {
		expect(toShell(stopResponder())).toBe(
			'systemctl stop labbox-http-probe.service 2>/dev/null ; systemctl reset-failed labbox-http-probe.service 2>/dev/null ; true',
		);
	});

	it('starts a transient responder that stops by itself', () => {
		const rendered = toShell(startResponder('0123abcd'));
		expect(rendered).toMatch(
			/^systemd-run --unit=labbox-http-probe --collect --quiet --property=RuntimeMaxSec=120 systemd-socket-activate --listen=80 --accept --inetd sh -c '.+' 0123abcd$/s,
		);
		expect(rendered).toContain(`if [ "$target" = "/.well-known/acme-challenge/labbox-probe" ]`);
	});

	// Issue 9 item 18: made once, then only read, so a no-op run writes nothing on the server.
	it("keeps the lab's token in the nginx webroot, under folders nginx can read", () => {
		expect(probeFile('/srv/lab')).toBe('/srv/lab/acme-webroot/.well-known/acme-challenge/labbox-probe');
		expect(toShell(probeFolders('/srv/lab'))).toBe(
			'install -d -m 0755 /srv/lab/acme-webroot /srv/lab/acme-webroot/.well-known /srv/lab/acme-webroot/.well-known/acme-challenge',
		);
		expect(isToken('0123456789abcdef0123456789abcdef')).toBe(true);
		expect(isToken('')).toBe(false);
		expect(isToken('<html>')).toBe(false);
	});
});

/** A DNS server on loopback answering A queries from a table (unknown names: NXDOMAIN). */
function fakeDns(records: Readonly<Record<string, string[]>>): Promise<Socket> {
	const socket = createSocket('udp4');
	socket.on('message', (query, peer) => {
		let offset = 12;
		const labels: string[] = [];
		while (query[offset]! > 0) {
			labels.push(query.subarray(offset + 1, offset + 1 + query[offset]!).toString());
			offset += query[offset]! + 1;
		}
		const question = query.subarray(12, offset + 5);
		const addresses = records[labels.join('.')];
		const header = Buffer.from([query[0]!, query[1]!, 0x81, addresses ? 0x80 : 0x83, 0, 1, 0, addresses?.length ?? 0, 0, 0, 0, 0]);
		const answers = (addresses ?? []).map(address =>
			Buffer.from([0xc0, 12, 0, 1, 0, 1, 0, 0, 1, 44, 0, 4, ...address.split('.').map(Number)]),
		);
		socket.send(Buffer.concat([header, question, ...answers]), peer.port, peer.address);
	});
	return new Promise(resolve => socket.bind(0, '127.0.0.1', () => resolve(socket)));
}

describe('dns resolvers', () => {
	let server: Socket;
	let resolver: string;

	beforeAll(async () => {
		server = await fakeDns({'lab.example.org': ['203.0.113.7'], 'two.example.org': ['203.0.113.8', '198.51.100.1']});
		resolver = `127.0.0.1:${server.address().port}`;
	});
	afterAll(() => server.close());

	it('asks one resolver for the A records', async () => {
		expect(await askResolver(resolver, 'lab.example.org')).toEqual({resolver, addresses: ['203.0.113.7']});
		expect(await askResolver(resolver, 'two.example.org')).toEqual({resolver, addresses: ['198.51.100.1', '203.0.113.8']});
	});

	it('tells a missing record from a resolver that does not answer', async () => {
		expect(await askResolver(resolver, 'nothing.example.org')).toEqual({resolver, error: 'missing'});
		const silent = createSocket('udp4');
		await new Promise<void>(resolve => silent.bind(0, '127.0.0.1', resolve));
		const started = Date.now();
		const answer = await askResolver(`127.0.0.1:${silent.address().port}`, 'lab.example.org');
		silent.close();
		expect(answer).toMatchObject({error: 'unreachable', detail: 'ETIMEOUT'});
		expect(Date.now() - started).toBeLessThan(5000);
	});

	it('asks all, and finds the first address', async () => {
		expect((await askAll([resolver, resolver], 'lab.example.org')).length).toBe(2);
		expect(await firstAddress([resolver], 'lab.example.org')).toBe('203.0.113.7');
		expect(await firstAddress([resolver], 'nothing.example.org')).toBeUndefined();
	});

	it('uses the configured resolvers, else public ones and the system', () => {
		expect(resolversFor(['10.0.0.11:8053'])).toEqual(['10.0.0.11:8053']);
		expect(resolversFor(undefined).slice(0, 3)).toEqual(['1.1.1.1', '8.8.8.8', '9.9.9.9']);
	});
});

describe('dns path proof', () => {
	let server: Server;
	let port: number;

	beforeAll(async () => {
		server = createServer((request, response) => {
			response.writeHead(request.url === '/.well-known/labbox/tok' && request.headers.host === 'lab.example.org' ? 200 : 404).end('tok');
		});
		await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
		port = (server.address() as AddressInfo).port;
	});
	afterAll(() => server.close());

	it('fetches with the lab name as Host', async () => {
		expect(await fetchOnce('127.0.0.1', 'lab.example.org', '/.well-known/labbox/tok', 2000, undefined, port)).toEqual({
			status: 200,
			body: 'tok',
		});
		expect(await fetchOnce('127.0.0.1', 'other.example.org', '/.well-known/labbox/tok', 2000, undefined, port)).toEqual({
			status: 404,
			body: 'tok',
		});
	});

	it('names why the proof failed', async () => {
		const closed = await fetchOnce('127.0.0.1', 'lab.example.org', '/', 2000, undefined, 1);
		expect(describeFetch(closed, 'lab.example.org', '127.0.0.1')).toBe(
			'http://lab.example.org/ (127.0.0.1:80) is not reachable from this computer: ECONNREFUSED',
		);
		expect(describeFetch({status: 404, body: ''}, 'lab.example.org', '203.0.113.7')).toBe(
			'http://lab.example.org/ (203.0.113.7:80) answered HTTP 404 without the token: another web server answers there',
		);
	});
});
