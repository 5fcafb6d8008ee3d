// A GitHub-compatible OAuth server for the test world (issue 15), at a GitHub Enterprise Server's URLs: the web flow
// (`/login/oauth/authorize`, `/login/oauth/access_token`) and, under `/api/v3`, the REST calls oauthenticator 17.4's
// GitHubOAuthenticator makes: `GET /user` and `GET /orgs/ORG/members/USER` (allowed_organizations). Written from
// GitHub's documentation: the token endpoint answers errors with HTTP 200 and an `error` field; membership is 204
// (member) or 404 (not) when the requester may see the organisation's members, else a 302 to `public_members`,
// which shows public memberships only. A token sees private memberships only with the `read:org` scope.
import type {IncomingMessage, ServerResponse} from 'node:http';
import {randomBytes} from 'node:crypto';
import {
	clientCredentials,
	escapeHtml,
	readForm,
	sendJson,
	sendPage,
	signIn,
	signInPage,
	type Provider,
	type SignIn,
	type StandInUser,
} from './oauth-standin-common.js';

const docs = 'https://docs.github.com/rest';
const tokenErrors = {
	incorrect_client_credentials: 'The client_id and/or client_secret passed are incorrect.',
	bad_verification_code: 'The code passed is incorrect or expired.',
	redirect_uri_mismatch: 'The redirect_uri MUST match the registered callback URL for this application.',
} as const;

/** A client id in the shape GitHub gives OAuth apps. */
export const githubClientId = () => `Ov23li${randomBytes(7).toString('hex')}`;

/** GitHub's `/user` body for a user (the fields oauthenticator and most clients read, with their real types). */
function userBody(user: StandInUser, api: string) {
	return {
		login: user.username,
		id: user.id,
		node_id: `U_${user.id}`,
		avatar_url: '',
		gravatar_id: '',
		url: `${api}/users/${user.username}`,
		html_url: `${api.replace(/\/api\/v3$/, '')}/${user.username}`,
		type: 'User',
		site_admin: false,
		name: user.name,
		company: null,
		blog: '',
		location: null,
		email: user.email,
		hireable: null,
		bio: null,
		public_repos: 0,
		followers: 0,
		following: 0,
		created_at: '2020-01-01T00:00:00Z',
		updated_at: '2020-01-01T00:00:00Z',
	};
}

function authorize(provider: Provider, url: URL, response: ServerResponse): void {
	const app = provider.apps.get(url.searchParams.get('client_id') ?? '');
	if (!app) return sendPage(response, 404, 'Not Found', '<p>No OAuth app has this client_id.</p>');
	const redirectUri = url.searchParams.get('redirect_uri') ?? app.callback;
	if (redirectUri !== app.callback) {
		return sendPage(
			response,
			400,
			'Redirect URI mismatch',
			`<p>The redirect_uri is not associated with this application: ${escapeHtml(redirectUri)}</p>`,
		);
	}
	signInPage(response, form.provider, form.action, url.search);
}

const form: SignIn = {provider: 'GitHub', action: '/session', wrong: 'Incorrect username or password.', defaultScopes: []};

async function accessToken(provider: Provider, request: IncomingMessage, response: ServerResponse): Promise<void> {
	const form = await readForm(request);
	const credentials = clientCredentials(request, form);
	const app = provider.apps.get(credentials.id);
	const fail = (error: keyof typeof tokenErrors) =>
		sendJson(response, 200, {error, error_description: tokenErrors[error], error_uri: `${docs}#${error}`});
	if (!app || app.clientSecret !== credentials.secret) return fail('incorrect_client_credentials');
	const redirectUri = form.get('redirect_uri');
	if (redirectUri !== null && redirectUri !== app.callback) return fail('redirect_uri_mismatch');
	const grant = provider.redeem(form.get('code') ?? '', app, redirectUri, form.get('code_verifier'));
	if (!grant) return fail('bad_verification_code');
	// GitHub lists the granted scopes comma-separated.
	sendJson(response, 200, {access_token: provider.issueToken(grant, 'gho_'), token_type: 'bearer', scope: grant.scopes.join(',')});
}

/** The REST API under /api/v3 (a GitHub Enterprise Server's path). */
function api(provider: Provider, request: IncomingMessage, path: string, response: ServerResponse, base: string): void {
	const token = provider.bearer(request);
	if (!token) return sendJson(response, 401, {message: 'Bad credentials', documentation_url: docs, status: '401'});
	if (path === '/user') return sendJson(response, 200, userBody(token.user, base));
	const membership = /^\/orgs\/([^/]+)\/(members|public_members)\/([^/]+)$/.exec(path);
	if (membership) {
		const [, org, kind, login] = membership.map(decodeURIComponent);
		const member = provider.user(login)?.groups[org.toLowerCase()];
		const requesterSeesMembers =
			kind === 'members' && token.user.groups[org.toLowerCase()] !== undefined && token.scopes.includes('read:org');
		if (kind === 'members' && !requesterSeesMembers) {
			response.writeHead(302, {location: `${base}/orgs/${org}/public_members/${login}`}).end();
			return;
		}
		const visible = kind === 'members' ? member !== undefined : member === 'public';
		if (visible) return void response.writeHead(204).end();
		return sendJson(response, 404, {
			message: 'User does not exist or is not a member of the organization',
			documentation_url: docs,
			status: '404',
		});
	}
	sendJson(response, 404, {message: 'Not Found', documentation_url: docs, status: '404'});
}

/** Handles one request to the GitHub stand-in at `origin` (https://ADDRESS:PORT). */
export async function github(provider: Provider, origin: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
	const url = new URL(request.url ?? '/', origin);
	if (request.method === 'GET' && url.pathname === '/login/oauth/authorize') return authorize(provider, url, response);
	if (request.method === 'POST' && url.pathname === '/session') return signIn(provider, form, request, response);
	if (request.method === 'POST' && url.pathname === '/login/oauth/access_token') return accessToken(provider, request, response);
	if (request.method === 'GET' && url.pathname.startsWith('/api/v3/'))
		return api(provider, request, url.pathname.slice('/api/v3'.length), response, `${origin}/api/v3`);
	sendPage(response, 404, 'Not Found', '');
}
