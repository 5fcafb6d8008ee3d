// The world's OpenID Connect provider (oidc-provider 9). Runs INSIDE the world's `oidc` container
// (Debian's node, this repository mounted read-only), served over HTTPS with the world CA.
// Usage: oidc-server.ts CONFIG.json
import {generateKeyPairSync, randomBytes} from 'node:crypto';
import {readFileSync} from 'node:fs';
import type {IncomingMessage, ServerResponse} from 'node:http';
import {createServer} from 'node:https';
import Provider, {type KoaContextWithOIDC} from 'oidc-provider';

export interface OidcConfig {
	issuer: string;
	port: number;
	certFile: string;
	keyFile: string;
	client: {clientId: string; clientSecret: string; redirectUris: string[]};
	users: {username: string; password: string; email: string}[];
}

const config = JSON.parse(readFileSync(process.argv[2], 'utf8')) as OidcConfig;
const users = new Map(config.users.map(user => [user.username, user]));
const signingKey = generateKeyPairSync('rsa', {modulusLength: 2048}).privateKey.export({format: 'jwk'});

const provider = new Provider(config.issuer, {
	clients: [
		{
			client_id: config.client.clientId,
			client_secret: config.client.clientSecret,
			redirect_uris: config.client.redirectUris,
			grant_types: ['authorization_code', 'refresh_token'],
			response_types: ['code'],
			token_endpoint_auth_method: 'client_secret_post',
		},
	],
	jwks: {keys: [{...signingKey, use: 'sig', alg: 'RS256', kid: 'world'}]},
	cookies: {keys: [randomBytes(16).toString('hex')]},
	claims: {openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'preferred_username']},
	scopes: ['openid', 'email', 'profile', 'offline_access'],
	pkce: {required: () => false},
	features: {devInteractions: {enabled: false}},
	interactions: {url: (_ctx: unknown, interaction: {uid: string}) => `/interaction/${interaction.uid}`},
	async findAccount(_ctx: unknown, id: string) {
		const user = users.get(id);
		if (!user) return undefined;
		return {
			accountId: id,
			claims: async () => ({sub: id, email: user.email, email_verified: true, name: id, preferred_username: id}),
		};
	},
	// Consent is implied for the one first-party client: the login form is the only page a user sees.
	async loadExistingGrant(ctx: KoaContextWithOIDC) {
		const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId);
		if (grantId) return ctx.oidc.provider.Grant.find(grantId);
		const grant = new ctx.oidc.provider.Grant({clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId});
		grant.addOIDCScope('openid email profile');
		grant.addOIDCClaims(['email', 'email_verified', 'name', 'preferred_username']);
		await grant.save();
		return grant;
	},
});

// Any lab name may be used by a test: accept any https redirect to a hub's OAuth callback.
provider.Client.prototype.redirectUriAllowed = (uri: string) => /^https:\/\/[^/]+\/hub\/oauth_callback$/.test(uri);

const loginPage = (uid: string, error = '') => `<!doctype html>
<html><head><title>World login</title></head><body>
<h1>Sign in to the test world</h1>
${error ? `<p id="error">${error}</p>` : ''}
<form method="post" action="/interaction/${uid}/login">
<label>User <input name="login" id="login" autocomplete="off" autofocus></label>
<label>Password <input name="password" id="password" type="password"></label>
<button type="submit" id="submit">Sign in</button>
</form></body></html>`;

async function body(request: IncomingMessage): Promise<URLSearchParams> {
	let text = '';
	for await (const chunk of request) text += chunk;
	return new URLSearchParams(text);
}

async function interaction(request: IncomingMessage, response: ServerResponse, uid: string, action?: string) {
	await provider.interactionDetails(request, response);
	if (action !== 'login') {
		response.writeHead(200, {'content-type': 'text/html; charset=utf-8'}).end(loginPage(uid));
		return;
	}
	const form = await body(request);
	const user = users.get(form.get('login') ?? '');
	if (!user || user.password !== form.get('password')) {
		response.writeHead(200, {'content-type': 'text/html; charset=utf-8'}).end(loginPage(uid, 'Wrong user or password'));
		return;
	}
	await provider.interactionFinished(request, response, {login: {accountId: user.username}}, {mergeWithLastSubmission: false});
}

const handle = provider.callback();
createServer({cert: readFileSync(config.certFile), key: readFileSync(config.keyFile)}, (request, response) => {
	const match = /^\/interaction\/([\w-]+)(?:\/(login))?$/.exec(request.url?.split('?')[0] ?? '');
	if (!match) {
		handle(request, response);
		return;
	}
	interaction(request, response, match[1], match[2]).catch((error: unknown) => {
		response.writeHead(400, {'content-type': 'text/plain'}).end(String(error));
	});
}).listen(config.port, '0.0.0.0', () => {
	process.stdout.write(`oidc provider ${config.issuer} listening\n`);
});
