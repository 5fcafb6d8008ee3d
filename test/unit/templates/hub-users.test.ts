// templates/jupyterhub/hub_users.py, the real script under python3, against a stand-in for the hub's REST API on
// loopback (issue 9 item 4): what it asks with which token, in which order, and what it prints.
import {execFile} from 'node:child_process';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {parseHubUsers} from '../../../steps/stack/leavers.js';

const script = path.join(import.meta.dirname, '../../../templates/jupyterhub/hub_users.py');
const token = 'labbox-service-token-0123456789';

/** The hub's users: whether a server runs, and how many more polls a stopping one takes. */
let users: Map<string, {server: boolean; stopping: number}>;
let requests: string[];
/** The lab accounts (auth.type local) behind the hub's /hub/labbox/accounts, and the request bodies it got. */
let accounts: Map<string, {authorized: boolean; password?: string}>;
let bodies: string[];
/** The hub runs a configuration from before account removal (its route is unknown: 404). */
let olderHub = false;

/** The accounts handler of jupyterhub_config.py, as the hub answers it (issue 14). */
function accountsAnswer(method: string, pathname: string, body: string, json: (status: number, body?: unknown) => void) {
	if (method === 'GET' && pathname === '/hub/labbox/accounts') {
		return json(
			200,
			[...accounts].map(([name, {authorized}]) => ({name, authorized})),
		);
	}
	const [, name, action] =
		(olderHub
			? /^\/hub\/labbox\/accounts\/([^/]+)\/(approve|create)$/
			: /^\/hub\/labbox\/accounts\/([^/]+)\/(approve|create|remove)$/
		).exec(pathname) ?? [];
	const account = accounts.get(decodeURIComponent(name ?? ''));
	if (method !== 'POST' || !name) return json(404, {status: 404, message: 'Not Found'});
	if (action === 'remove') {
		accounts.delete(decodeURIComponent(name));
		return json(200, {name, had: account !== undefined});
	}
	if (action === 'approve') {
		if (!account) return json(404, {status: 404, message: `${name} has not signed up`});
		const already = account.authorized;
		account.authorized = true;
		return json(200, {name, already});
	}
	if (account) return json(409, {status: 409, message: `${name} already has an account`});
	accounts.set(name, {authorized: true, password: (JSON.parse(body) as {password: string}).password});
	return json(201, {name});
}

const hub = createServer(async (request, response) => {
	const url = new URL(request.url!, 'http://hub');
	requests.push(`${request.method} ${url.pathname}${url.search}`);
	let body = '';
	for await (const chunk of request) body += String(chunk);
	if (body) bodies.push(body);
	const json = (status: number, body?: unknown) =>
		response.writeHead(status, {'content-type': 'application/json'}).end(body === undefined ? '' : JSON.stringify(body));
	if (request.headers.authorization !== `token ${token}`) return json(403, {status: 403, message: 'Missing or invalid credentials.'});
	if (url.pathname.startsWith('/hub/labbox/')) return accountsAnswer(request.method!, url.pathname, body, json);
	const name = decodeURIComponent(/^\/hub\/api\/users\/([^/]+)/.exec(url.pathname)?.[1] ?? '');
	const user = users.get(name);
	if (request.method === 'GET' && url.pathname === '/hub/api/users') {
		// Two per page, so that the script must follow `next`.
		const offset = Number(url.searchParams.get('offset'));
		const all = [...users].map(([name, {server}]) => ({
			name,
			servers: server ? {'': {ready: true}} : {},
			last_activity: name === 'alice' ? '2026-11-27T10:00:00.000000Z' : null,
		}));
		return json(200, {
			items: all.slice(offset, offset + 2),
			_pagination: {offset, limit: 2, total: all.length, next: offset + 2 < all.length ? {offset: offset + 2, limit: 2} : null},
		});
	}
	if (!user) return json(404, {status: 404, message: 'Not Found'});
	if (request.method === 'GET') {
		if (user.stopping > 0 && --user.stopping === 0) user.server = false;
		return json(200, {name, servers: user.server ? {'': {}} : {}});
	}
	if (request.method === 'DELETE' && url.pathname.endsWith('/server')) {
		user.stopping = 2;
		return json(202);
	}
	if (request.method === 'DELETE') {
		users.delete(name);
		return json(204);
	}
	return json(405);
});

let tokenFile: string;
function runWith(stdin: string, ...args: string[]): Promise<{code: number; stdout: string; stderr: string}> {
	const api = `http://127.0.0.1:${(hub.address() as AddressInfo).port}/hub/api`;
	return new Promise(resolve => {
		const child = execFile(
			'python3',
			[script, ...args],
			{env: {...process.env, LABBOX_HUB_API: api, LABBOX_API_TOKEN_FILE: tokenFile}, timeout: 30_000},
			(error, stdout, stderr) => {
				resolve({code: error ? Number(error.code) : 0, stdout, stderr});
			},
		);
		child.stdin!.end(stdin);
	});
}
const run = (...args: string[]) => runWith('', ...args);

describe('hub_users.py', () => {
	beforeAll(async () => {
		await new Promise<void>(resolve => hub.listen(0, '127.0.0.1', resolve));
	});
	afterAll(() => {
		hub.close();
	});
	beforeEach(() => {
		users = new Map([
			['alice', {server: true, stopping: 0}],
			['bob', {server: true, stopping: 0}],
			['grace', {server: false, stopping: 0}],
		]);
		requests = [];
		accounts = new Map([
			['ada', {authorized: true}],
			['carol', {authorized: false}],
		]);
		bodies = [];
		olderHub = false;
		tokenFile = path.join(mkdtempSync(path.join(tmpdir(), 'labbox-hub-users-')), 'labbox-api-token');
		writeFileSync(tokenFile, `${token}\n`, {mode: 0o600});
	});

	it('lists every user, page by page, with whether their server runs and their last activity (issue 13 item 1)', async () => {
		const listed = await run('list');
		expect(listed.code).toBe(0);
		expect(parseHubUsers(listed.stdout)).toStrictEqual([
			{name: 'alice', server: true, lastActivity: '2026-11-27T10:00:00.000000Z'},
			{name: 'bob', server: true},
			{name: 'grace', server: false},
		]);
		expect(requests).toEqual(['GET /hub/api/users?offset=0&limit=200', 'GET /hub/api/users?offset=2&limit=200']);
	});

	it('stops a server and waits for it before deleting the user; a user without a server or already gone is fine', async () => {
		const removed = await run('remove', 'alice', 'grace', 'nobody');
		expect(removed.stderr).toBe('');
		expect(removed.code).toBe(0);
		expect(removed.stdout.trim().split('\n')).toEqual([
			"stopped alice's server",
			'removed alice from the hub: sessions ended, tokens revoked',
			'removed grace from the hub: sessions ended, tokens revoked',
			'nobody is not in the hub (already removed)',
		]);
		expect(requests).toEqual([
			'GET /hub/api/users/alice',
			'DELETE /hub/api/users/alice/server',
			'GET /hub/api/users/alice',
			'GET /hub/api/users/alice',
			'DELETE /hub/api/users/alice',
			'GET /hub/api/users/grace',
			'DELETE /hub/api/users/grace',
			'GET /hub/api/users/nobody',
		]);
		expect([...users.keys()]).toEqual(['bob']);
	});

	it('names the refused request and exits 1, never printing the token', async () => {
		writeFileSync(tokenFile, 'a-token-the-hub-does-not-know');
		const refused = await run('list');
		expect(refused.code).toBe(1);
		expect(refused.stderr.trim()).toBe('labbox: the hub API: GET /users?offset=0&limit=200: HTTP 403 Missing or invalid credentials.');
		expect(`${refused.stdout}${refused.stderr}`).not.toContain('a-token-the-hub-does-not-know');
	});

	it('exits 3 when the hub has not made its token yet (it runs an older configuration)', async () => {
		tokenFile = path.join(path.dirname(tokenFile), 'missing');
		const early = await run('list');
		expect(early.code).toBe(3);
		expect(early.stderr).toMatch(/missing does not exist yet: the hub makes it when it starts with labbox's configuration/);
		expect(requests).toEqual([]);
	});

	it('lists the lab accounts and approves signed-up ones through the hub (issue 14 item 1)', async () => {
		const listed = await run('accounts');
		expect(listed.code).toBe(0);
		expect(listed.stdout).toBe('{"name": "ada", "authorized": true}\n{"name": "carol", "authorized": false}\n');
		const approved = await run('approve', 'carol', 'ada');
		expect(approved.stderr).toBe('');
		expect(approved.stdout).toBe('carol is approved: they can log in now\nada was already approved\n');
		expect(accounts.get('carol')).toEqual({authorized: true});
		expect(requests.slice(1)).toEqual(['POST /hub/labbox/accounts/carol/approve', 'POST /hub/labbox/accounts/ada/approve']);
	});

	it('a name that has not signed up: exit 4, said in one line', async () => {
		const refused = await run('approve', 'nobody');
		expect(refused.code).toBe(4);
		expect(refused.stderr).toBe('labbox: nobody has no lab account: they have not signed up\n');
	});

	it('makes an approved account with the password read from stdin, never printed (issue 14 item 2)', async () => {
		const password = 'Xq7pLm2vRt9sWz4kYb8n';
		const made = await runWith(`${password}\n`, 'create', 'dave');
		expect(made.stderr).toBe('');
		expect(made.code).toBe(0);
		expect(made.stdout).toBe('made the lab account dave, approved\n');
		expect(accounts.get('dave')).toEqual({authorized: true, password});
		expect(bodies.map(body => JSON.parse(body))).toEqual([{password}]);
		const again = await runWith(`${password}\n`, 'create', 'dave');
		expect(again.code).toBe(1);
		expect(again.stderr).toBe('labbox: the hub API: POST /labbox/accounts/dave/create: HTTP 409 dave already has an account\n');
		expect(`${again.stdout}${again.stderr}`).not.toContain(password);
	});

	it('removes a lab account, then its user from the hub; one that only signed up has no hub user (polish item 5)', async () => {
		accounts.set('alice', {authorized: true});
		const removed = await run('remove-account', 'alice', 'carol');
		expect(removed.stderr).toBe('');
		expect(removed.code).toBe(0);
		expect(removed.stdout.trim().split('\n')).toEqual([
			"removed alice's lab account: they can no longer log in",
			"stopped alice's server",
			'removed alice from the hub: sessions ended, tokens revoked',
			"removed carol's lab account: they can no longer log in",
			'carol is not in the hub (already removed)',
		]);
		// The account before the hub's user: no new login in between.
		expect(requests.slice(0, 2)).toEqual(['POST /hub/labbox/accounts/alice/remove', 'GET /hub/api/users/alice']);
		expect([...accounts.keys()]).toEqual(['ada']);
		expect([...users.keys()]).toEqual(['bob', 'grace']);
	});

	it('a hub on an older configuration (no removal route): exit 5 naming `labbox run stack`, nothing removed', async () => {
		olderHub = true;
		const refused = await run('remove-account', 'carol');
		expect(refused.code).toBe(5);
		expect(refused.stderr).toBe('labbox: the hub runs a configuration that cannot remove lab accounts yet: run labbox run stack first\n');
		expect([...accounts.keys()]).toEqual(['ada', 'carol']);
		expect(requests).toEqual(['POST /hub/labbox/accounts/carol/remove']);
	});
});
