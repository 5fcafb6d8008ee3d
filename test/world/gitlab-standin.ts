// A GitLab-compatible OAuth server for the test world (issue 15), at a self-hosted GitLab's URLs: `/oauth/authorize`,
// `/oauth/token`, and the REST calls oauthenticator 17.4's GitLabOAuthenticator makes: `GET /api/v4/user`, then for
// allowed_gitlab_groups `GET /api/v4/version` and `GET /api/v4/groups/GROUP/members/all/USER_ID`. Written from
// GitLab's documentation and its Doorkeeper behaviour: a request without `scope` asks for the default scope `api`,
// and a scope the application was not registered with is refused (`invalid_scope`); `/user` needs `read_user` (or
// `read_api`/`api`), `/version` and group members need `read_api` or `api` (403 `insufficient_scope` otherwise); a
// wrong client secret is HTTP 401 `invalid_client` at the token endpoint.
import type {IncomingMessage, ServerResponse} from 'node:http';
import {randomBytes} from 'node:crypto';
import {
	clientCredentials,
	escapeHtml,
	readForm,
	redirectBack,
	scopeList,
	sendJson,
	sendPage,
	signIn,
	signInPage,
	type Provider,
	type SignIn,
	type StandInUser,
	type Token,
} from './oauth-standin-common.js';

/** An application id in the shape GitLab gives (64 hex digits). */
export const gitlabClientId = () => randomBytes(32).toString('hex');

const invalidClient =
	'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.';
const invalidGrant =
	'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.';

function userBody(user: StandInUser, origin: string) {
	return {
		id: user.id,
		username: user.username,
		name: user.name,
		state: 'active',
		locked: false,
		avatar_url: '',
		web_url: `${origin}/${user.username}`,
		created_at: '2020-01-01T00:00:00.000Z',
		bio: '',
		location: '',
		public_email: user.email,
		email: user.email ?? `${user.username}@lab.test`,
		two_factor_enabled: false,
		external: false,
		private_profile: false,
		is_admin: false,
	};
}

function authorize(provider: Provider, url: URL, response: ServerResponse): void {
	const app = provider.apps.get(url.searchParams.get('client_id') ?? '');
	if (!app) return sendPage(response, 401, 'An error has occurred', `<p>${invalidClient}</p>`);
	const redirectUri = url.searchParams.get('redirect_uri') ?? '';
	if (redirectUri !== app.callback) {
		return sendPage(response, 400, 'An error has occurred', `<p>The redirect uri included is not valid: ${escapeHtml(redirectUri)}</p>`);
	}
	const requested = scopeList(url.searchParams.get('scope'));
	const scopes = requested.length > 0 ? requested : ['api'];
	if (scopes.some(scope => !app.scopes.includes(scope))) {
		return redirectBack(response, redirectUri, {
			error: 'invalid_scope',
			error_description: 'The requested scope is invalid, unknown, or malformed.',
			state: url.searchParams.get('state'),
		});
	}
	signInPage(response, form.provider, form.action, url.search);
}

const form: SignIn = {provider: 'GitLab', action: '/users/sign_in', wrong: 'Invalid login or password.', defaultScopes: ['api']};

async function token(provider: Provider, request: IncomingMessage, response: ServerResponse): Promise<void> {
	const form = await readForm(request);
	const credentials = clientCredentials(request, form);
	const app = provider.apps.get(credentials.id);
	if (!app || app.clientSecret !== credentials.secret)
		return sendJson(response, 401, {error: 'invalid_client', error_description: invalidClient});
	const grant =
		form.get('grant_type') === 'authorization_code'
			? provider.redeem(form.get('code') ?? '', app, form.get('redirect_uri'), form.get('code_verifier'))
			: undefined;
	if (!grant) return sendJson(response, 400, {error: 'invalid_grant', error_description: invalidGrant});
	sendJson(response, 200, {
		access_token: provider.issueToken(grant, 'glpat-'),
		token_type: 'Bearer',
		expires_in: 7200,
		refresh_token: randomBytes(32).toString('hex'),
		scope: grant.scopes.join(' '),
		created_at: Math.floor(Date.now() / 1000),
	});
}

/** 403 unless the token has one of the scopes. */
function needs(response: ServerResponse, token: Token, scopes: string[]): boolean {
	if (scopes.some(scope => token.scopes.includes(scope))) return true;
	sendJson(response, 403, {
		error: 'insufficient_scope',
		error_description: 'The request requires higher privileges than provided by the access token.',
		scope: scopes.join(' '),
	});
	return false;
}

function api(provider: Provider, request: IncomingMessage, path: string, response: ServerResponse, origin: string): void {
	const token = provider.bearer(request);
	if (!token) return sendJson(response, 401, {message: '401 Unauthorized'});
	if (path === '/user') {
		if (needs(response, token, ['read_user', 'read_api', 'api'])) sendJson(response, 200, userBody(token.user, origin));
		return;
	}
	if (path === '/version') {
		if (needs(response, token, ['read_api', 'api']))
			sendJson(response, 200, {version: '17.5.1-ee', revision: 'c0ffee00', enterprise: true});
		return;
	}
	// `members/all/ID` (GitLab 12.4+, inherited memberships too) and `members/ID`.
	const members = /^\/groups\/([^/]+)\/members\/(?:all\/)?(\d+)$/.exec(path);
	if (members) {
		if (!needs(response, token, ['read_api', 'api'])) return;
		const group = decodeURIComponent(members[1]).toLowerCase();
		if (!provider.users.some(user => user.groups[group] !== undefined)) return sendJson(response, 404, {message: '404 Group Not Found'});
		const member = provider.users.find(user => user.id === Number(members[2]) && user.groups[group] !== undefined);
		if (!member) return sendJson(response, 404, {message: '404 Not found'});
		const {id, username, name, state, avatar_url, web_url} = userBody(member, origin);
		return sendJson(response, 200, {
			id,
			username,
			name,
			state,
			avatar_url,
			web_url,
			access_level: 30,
			created_at: '2020-01-01T00:00:00.000Z',
			expires_at: null,
		});
	}
	sendJson(response, 404, {error: '404 Not Found'});
}

/** Handles one request to the GitLab stand-in at `origin` (https://ADDRESS:PORT). */
export async function gitlab(provider: Provider, origin: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
	const url = new URL(request.url ?? '/', origin);
	if (request.method === 'GET' && url.pathname === '/oauth/authorize') return authorize(provider, url, response);
	if (request.method === 'POST' && url.pathname === '/users/sign_in') return signIn(provider, form, request, response);
	if (request.method === 'POST' && url.pathname === '/oauth/token') return token(provider, request, response);
	if (request.method === 'GET' && url.pathname.startsWith('/api/v4/'))
		return api(provider, request, url.pathname.slice('/api/v4'.length), response, origin);
	sendPage(response, 404, 'Not Found', '');
}
