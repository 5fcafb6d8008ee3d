// What the world's GitHub and GitLab stand-ins share (issue 15): registered OAuth apps, the sign-in form, one-use
// authorization codes with PKCE, access tokens with their scopes, and small HTTP helpers. Runs INSIDE the
// stand-ins' container (Debian's node); node built-ins only.
import {createHash, randomBytes} from 'node:crypto';
import type {IncomingMessage, ServerResponse} from 'node:http';

/** A user of a stand-in. `groups`: organisation/group name -> whether the membership is public. */
export interface StandInUser {
	username: string;
	password: string;
	id: number;
	name: string;
	email: string | null;
	groups: Record<string, 'public' | 'private'>;
}

/** An OAuth app as a person registers it at the provider (homepage, callback URL, the scopes it may get). */
export interface App {
	clientId: string;
	clientSecret: string;
	homepage: string;
	callback: string;
	scopes: string[];
}

interface Grant {
	app: App;
	user: StandInUser;
	redirectUri: string;
	scopes: string[];
	challenge?: string;
	expires: number;
}

export interface Token {
	user: StandInUser;
	scopes: string[];
}

/** The in-memory state of one provider: apps, codes and tokens (a restart forgets them, as a test wants). */
export class Provider {
	readonly apps = new Map<string, App>();
	readonly codes = new Map<string, Grant>();
	readonly tokens = new Map<string, Token>();
	constructor(readonly users: StandInUser[]) {}

	register(app: Omit<App, 'clientId' | 'clientSecret'>, clientId: string): App {
		const made = {...app, clientId, clientSecret: randomBytes(20).toString('hex')};
		this.apps.set(clientId, made);
		return made;
	}

	/** Login names compare without case, as at GitHub and GitLab. */
	user(login: string): StandInUser | undefined {
		return this.users.find(user => user.username.toLowerCase() === login.toLowerCase());
	}

	issueCode(grant: Omit<Grant, 'expires'>): string {
		const code = randomBytes(10).toString('hex');
		this.codes.set(code, {...grant, expires: Date.now() + 600_000});
		return code;
	}

	/** Redeems a code once: undefined when it is unknown, expired, another app's, for another redirect, or fails PKCE. */
	redeem(code: string, app: App, redirectUri: string | null, verifier: string | null): Grant | undefined {
		const grant = this.codes.get(code);
		this.codes.delete(code);
		if (!grant || grant.expires < Date.now() || grant.app !== app) return undefined;
		if (redirectUri !== null && redirectUri !== grant.redirectUri) return undefined;
		if (grant.challenge !== undefined) {
			const computed = createHash('sha256')
				.update(verifier ?? '')
				.digest('base64url');
			if (computed !== grant.challenge) return undefined;
		}
		return grant;
	}

	issueToken(grant: Grant, prefix: string): string {
		const token = `${prefix}${randomBytes(18).toString('hex')}`;
		this.tokens.set(token, {user: grant.user, scopes: grant.scopes});
		return token;
	}

	/** The token of an `Authorization: Bearer|token X` header. */
	bearer(request: IncomingMessage): Token | undefined {
		const match = /^(?:bearer|token) (\S+)$/i.exec(request.headers.authorization ?? '');
		return match ? this.tokens.get(match[1]) : undefined;
	}
}

/** Client credentials from the form body or a Basic header (both are allowed at both providers). */
export function clientCredentials(request: IncomingMessage, form: URLSearchParams): {id: string; secret: string} {
	const basic = /^basic (\S+)$/i.exec(request.headers.authorization ?? '');
	if (basic) {
		const [id, ...rest] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
		return {id: decodeURIComponent(id), secret: decodeURIComponent(rest.join(':'))};
	}
	return {id: form.get('client_id') ?? '', secret: form.get('client_secret') ?? ''};
}

export async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
	let text = '';
	for await (const chunk of request) text += chunk;
	return new URLSearchParams(text);
}

export async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
	let text = '';
	for await (const chunk of request) text += chunk;
	return JSON.parse(text || '{}') as Record<string, unknown>;
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	response.writeHead(status, {'content-type': 'application/json; charset=utf-8', ...headers}).end(JSON.stringify(body));
}

const htmlEscape = (text: string) => text.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`);

export function sendPage(response: ServerResponse, status: number, title: string, body: string): void {
	response
		.writeHead(status, {'content-type': 'text/html; charset=utf-8'})
		.end(
			`<!doctype html>\n<html><head><title>${htmlEscape(title)}</title></head><body>\n<h1>${htmlEscape(title)}</h1>\n${body}\n</body></html>`,
		);
}

/** The sign-in form (the same ids as the world's OIDC provider: #login, #password, #submit); `query` is the authorize request. */
export function signInPage(response: ServerResponse, provider: string, action: string, query: string, error = ''): void {
	sendPage(
		response,
		200,
		`Sign in to ${provider} (test world stand-in)`,
		`${error ? `<p id="error">${htmlEscape(error)}</p>` : ''}
<form method="post" action="${htmlEscape(action)}">
<input type="hidden" name="authorize" value="${htmlEscape(query)}">
<label>Username <input name="login" id="login" autocomplete="off" autofocus></label>
<label>Password <input name="password" id="password" type="password"></label>
<button type="submit" id="submit">Sign in</button>
</form>`,
	);
}

/** How a provider's sign-in form reads: its name, where the form posts, its wrong-password text, the scopes of a request without any. */
export interface SignIn {
	provider: string;
	action: string;
	wrong: string;
	defaultScopes: string[];
}

/** The sign-in form's POST: a code for the authorize request it carries, sent back to the app's redirect URI. */
export async function signIn(provider: Provider, form: SignIn, request: IncomingMessage, response: ServerResponse): Promise<void> {
	const fields = await readForm(request);
	const query = new URLSearchParams(fields.get('authorize') ?? '');
	const app = provider.apps.get(query.get('client_id') ?? '');
	if (!app) return sendPage(response, 400, 'Bad request', '<p>No authorize request.</p>');
	const user = provider.user(fields.get('login') ?? '');
	if (!user || user.password !== fields.get('password')) return signInPage(response, form.provider, form.action, `?${query}`, form.wrong);
	const requested = scopeList(query.get('scope'));
	const redirectUri = query.get('redirect_uri') ?? app.callback;
	const challenge = query.get('code_challenge_method') === 'S256' ? (query.get('code_challenge') ?? undefined) : undefined;
	const code = provider.issueCode({app, user, redirectUri, scopes: requested.length > 0 ? requested : form.defaultScopes, challenge});
	redirectBack(response, redirectUri, {code, state: query.get('state')});
}

/** Redirects the browser back to the app with these parameters added to its callback URL. */
export function redirectBack(response: ServerResponse, redirectUri: string, parameters: Record<string, string | null>): void {
	const target = new URL(redirectUri);
	for (const [name, value] of Object.entries(parameters)) if (value !== null) target.searchParams.set(name, value);
	response.writeHead(302, {location: target.toString()}).end();
}

/** Space- or comma-separated scopes as a list. */
export const scopeList = (text: string | null): string[] => (text ?? '').split(/[ ,]+/).filter(Boolean);

export const escapeHtml = htmlEscape;
