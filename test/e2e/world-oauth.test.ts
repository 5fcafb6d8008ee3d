// Self-test of the world's GitHub and GitLab stand-ins (issue 15), from the test machine over HTTPS (world CA): the
// web flow with PKCE, the token endpoints' answers to a wrong secret, and the API calls oauthenticator 17.3 makes,
// with their status codes (GitHub's private membership needs read:org; GitLab's default scope and read_api).
import {createHash, randomBytes} from 'node:crypto';
import {readFile} from 'node:fs/promises';
import {request} from 'node:https';
import {beforeAll, describe, expect, it} from 'vitest';
import {ensureOAuthStandIns, registerOAuthApp, type OAuthStandIns} from '../world/index.js';

interface Answer {
	status: number;
	location?: string;
	text: string;
	// biome-ignore lint/suspicious/noExplicitAny: the stand-ins' JSON bodies, read field by field in the tests
	json: () => any;
}

let ca: Buffer;

/** One request, no redirect followed. */
function call(url: string, options: {method?: string; form?: Record<string, string>; token?: string} = {}): Promise<Answer> {
	const body = options.form ? new URLSearchParams(options.form).toString() : undefined;
	const headers: Record<string, string> = {
		accept: 'application/json',
		...(body ? {'content-type': 'application/x-www-form-urlencoded'} : {}),
		...(options.token ? {authorization: `Bearer ${options.token}`} : {}),
	};
	return new Promise((resolve, reject) => {
		const sent = request(url, {method: options.method ?? (body ? 'POST' : 'GET'), ca, headers, timeout: 10_000}, response => {
			let text = '';
			response.on('data', chunk => (text += chunk));
			response.on('end', () =>
				resolve({status: response.statusCode ?? 0, location: response.headers.location, text, json: () => JSON.parse(text)}),
			);
		});
		sent.on('timeout', () => sent.destroy(new Error(`${url}: no answer in 10 s`)));
		sent.on('error', reject);
		sent.end(body);
	});
}

const callback = 'https://lab.world.test/hub/oauth_callback';

/** The browser's part: authorize, sign in; the code sent back to the callback (or the authorize answer when refused). */
async function authorize(
	base: string,
	authorizePath: string,
	clientId: string,
	user: {username: string; password: string},
	scope: string,
	verifier: string,
) {
	const query = new URLSearchParams({client_id: clientId, redirect_uri: callback, response_type: 'code', state: 'st4te', scope});
	query.set('code_challenge', createHash('sha256').update(verifier).digest('base64url'));
	query.set('code_challenge_method', 'S256');
	const page = await call(`${base}${authorizePath}?${query}`);
	if (page.status !== 200) return {page};
	const action = /action="([^"]+)"/.exec(page.text)![1]!;
	const signedIn = await call(`${base}${action}`, {form: {authorize: `?${query}`, login: user.username, password: user.password}});
	const back = new URL(signedIn.location!);
	expect(`${back.origin}${back.pathname}`).toBe(callback);
	expect(back.searchParams.get('state')).toBe('st4te');
	return {page, code: back.searchParams.get('code')!};
}

describe('world OAuth stand-ins', () => {
	let standIns: OAuthStandIns;
	beforeAll(async () => {
		standIns = await ensureOAuthStandIns();
		ca = await readFile(standIns.caFile);
	});

	describe('GitHub', () => {
		const token = async (app: {clientId: string; clientSecret: string}, user: {username: string; password: string}, scope: string) => {
			const verifier = randomBytes(32).toString('base64url');
			const {code} = await authorize(standIns.github.url, '/login/oauth/authorize', app.clientId, user, scope, verifier);
			const form = {
				client_id: app.clientId,
				client_secret: app.clientSecret,
				code: code!,
				redirect_uri: callback,
				grant_type: 'authorization_code',
				code_verifier: verifier,
			};
			return (await call(`${standIns.github.url}/login/oauth/access_token`, {form})).json();
		};

		it('answers a wrong client secret, a reused code and a wrong PKCE verifier with HTTP 200 and an error, as GitHub does', async () => {
			const app = await registerOAuthApp(standIns.github.url, {homepage: 'https://lab.world.test', callback});
			const verifier = randomBytes(32).toString('base64url');
			const {code} = await authorize(
				standIns.github.url,
				'/login/oauth/authorize',
				app.clientId,
				standIns.github.users.allowed,
				'',
				verifier,
			);
			const form = {client_id: app.clientId, client_secret: 'wrong', code: code!, redirect_uri: callback, code_verifier: verifier};
			const wrong = await call(`${standIns.github.url}/login/oauth/access_token`, {form});
			expect([wrong.status, wrong.json().error]).toEqual([200, 'incorrect_client_credentials']);
			const badVerifier = await call(`${standIns.github.url}/login/oauth/access_token`, {
				form: {...form, client_secret: app.clientSecret, code_verifier: 'x'},
			});
			expect(badVerifier.json().error).toBe('bad_verification_code');
			// The code was spent by the try with the wrong verifier.
			const reused = await call(`${standIns.github.url}/login/oauth/access_token`, {form: {...form, client_secret: app.clientSecret}});
			expect(reused.json().error).toBe('bad_verification_code');
		});

		it('serves /api/v3/user, and a private membership only to a token with read:org (else 302 to public_members, 404)', async () => {
			const app = await registerOAuthApp(standIns.github.url, {homepage: 'https://lab.world.test', callback});
			const {member, refused} = standIns.github.users;
			const api = `${standIns.github.url}/api/v3`;
			const withOrg = await token(app, member, 'read:org');
			expect(withOrg).toMatchObject({token_type: 'bearer', scope: 'read:org'});
			expect((await call(`${api}/user`, {token: withOrg.access_token})).json()).toMatchObject({
				login: member.username,
				id: 102,
				email: null,
				type: 'User',
			});
			expect((await call(`${api}/orgs/${standIns.github.group}/members/${member.username}`, {token: withOrg.access_token})).status).toBe(
				204,
			);
			expect((await call(`${api}/orgs/${standIns.github.group}/members/${refused.username}`, {token: withOrg.access_token})).status).toBe(
				404,
			);
			const without = await token(app, member, '');
			const redirected = await call(`${api}/orgs/${standIns.github.group}/members/${member.username}`, {token: without.access_token});
			expect([redirected.status, redirected.location]).toEqual([
				302,
				`${api}/orgs/${standIns.github.group}/public_members/${member.username}`,
			]);
			expect((await call(redirected.location!, {token: without.access_token})).status).toBe(404);
			expect((await call(`${api}/user`)).status).toBe(401);
		});
	});

	describe('GitLab', () => {
		it('refuses a request without scope when the application lacks api (its default), and a wrong secret with 401 invalid_client', async () => {
			const app = await registerOAuthApp(standIns.gitlab.url, {homepage: 'https://lab.world.test', callback, scopes: ['read_user']});
			const {page} = await authorize(standIns.gitlab.url, '/oauth/authorize', app.clientId, standIns.gitlab.users.allowed, '', 'v');
			expect(page.status).toBe(302);
			expect(new URL(page.location!).searchParams.get('error')).toBe('invalid_scope');
			const verifier = randomBytes(32).toString('base64url');
			const {code} = await authorize(
				standIns.gitlab.url,
				'/oauth/authorize',
				app.clientId,
				standIns.gitlab.users.allowed,
				'read_user',
				verifier,
			);
			const form = {
				client_id: app.clientId,
				client_secret: 'wrong',
				code: code!,
				redirect_uri: callback,
				grant_type: 'authorization_code',
				code_verifier: verifier,
			};
			const wrong = await call(`${standIns.gitlab.url}/oauth/token`, {form});
			expect([wrong.status, wrong.json().error]).toEqual([401, 'invalid_client']);
			const granted = (await call(`${standIns.gitlab.url}/oauth/token`, {form: {...form, client_secret: app.clientSecret}})).json();
			expect(granted).toMatchObject({token_type: 'Bearer', scope: 'read_user'});
			const api = `${standIns.gitlab.url}/api/v4`;
			expect((await call(`${api}/user`, {token: granted.access_token})).json()).toMatchObject({
				id: 201,
				username: standIns.gitlab.users.allowed.username,
			});
			// read_user does not reach /version or the group members API (GitLab answers 403 insufficient_scope).
			const version = await call(`${api}/version`, {token: granted.access_token});
			expect([version.status, version.json().error]).toEqual([403, 'insufficient_scope']);
		});

		it('answers group membership with read_api: 200 with the access level for a member, 404 otherwise', async () => {
			const app = await registerOAuthApp(standIns.gitlab.url, {
				homepage: 'https://lab.world.test',
				callback,
				scopes: ['read_user', 'read_api'],
			});
			const verifier = randomBytes(32).toString('base64url');
			const {member, refused} = standIns.gitlab.users;
			const {code} = await authorize(standIns.gitlab.url, '/oauth/authorize', app.clientId, member, 'read_user read_api', verifier);
			const form = {
				client_id: app.clientId,
				client_secret: app.clientSecret,
				code: code!,
				redirect_uri: callback,
				grant_type: 'authorization_code',
				code_verifier: verifier,
			};
			const {access_token: token} = (await call(`${standIns.gitlab.url}/oauth/token`, {form})).json();
			const api = `${standIns.gitlab.url}/api/v4`;
			expect((await call(`${api}/version`, {token})).json().version).toMatch(/^\d+\.\d+\.\d+/);
			const yes = await call(`${api}/groups/${standIns.gitlab.group}/members/all/${member.id}`, {token});
			expect([yes.status, yes.json().access_level]).toEqual([200, 30]);
			expect((await call(`${api}/groups/${standIns.gitlab.group}/members/all/${refused.id}`, {token})).status).toBe(404);
			expect((await call(`${api}/groups/no-such-group/members/all/${member.id}`, {token})).json().message).toBe('404 Group Not Found');
		});
	});
});
