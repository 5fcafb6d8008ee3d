import {createServer} from 'node:https';
import type {AddressInfo} from 'node:net';
import {describe, expect, it} from 'vitest';
import {makeSelfSigned} from '../../../source/acme/self-signed.js';
import {loginPageProblem, loginPath} from '../../../source/daytwo/login-page.js';
import {leafFingerprint, probePage} from '../../../steps/stack/health.js';

// What JupyterHub's login page holds: the provider's button (OAuth) or a password form (lab accounts).
const oauthPage = `<div class="service-login"><a role="button" class="btn btn-jupyter" href="/hub/oauth_login?next=">Sign in with OpenID Connect</a></div>`;
const passwordPage = `<form action="/hub/login?next=" method="post"><input id="username_input" name="username"><input type="password" name="password" id="password_input"></form>`;

describe('labbox upgrade checks the login page after the move (issue 13)', () => {
	it('a login page is 200 with the provider button or a password form; anything else is named', () => {
		expect(loginPageProblem('lab.test', 200, oauthPage)).toBeUndefined();
		expect(loginPageProblem('lab.test', 200, passwordPage)).toBeUndefined();
		expect(loginPageProblem('lab.test', 500, '<h1>500 : Internal Server Error</h1>')).toBe('https://lab.test/hub/login answered 500');
		expect(loginPageProblem('lab.test', 200, '<p>Welcome to nginx!</p>')).toBe(
			'https://lab.test/hub/login answered, but with no login button or password form in it',
		);
	});

	it('asks /hub/login over https with the certificate pinned, and judges the body it gets', async () => {
		const lab = await makeSelfSigned(['lab.test']);
		const pages: Record<string, [number, string]> = {[loginPath]: [200, oauthPage]};
		const https = createServer({cert: lab.certificate, key: lab.privateKey}, (request, response) => {
			const [status, body] = pages[request.url ?? ''] ?? [404, 'not found'];
			response.writeHead(status, {'content-type': 'text/html'}).end(body);
		});
		await new Promise<void>(resolve => https.listen(0, '127.0.0.1', resolve));
		const port = (https.address() as AddressInfo).port;
		const judge = (status: number, body: string) => loginPageProblem('lab.test', status, body);
		try {
			expect(await probePage('127.0.0.1', 'lab.test', leafFingerprint(lab.certificate), loginPath, judge, {port})).toEqual({ok: true});
			pages[loginPath] = [500, 'oauth_login failed'];
			expect(await probePage('127.0.0.1', 'lab.test', leafFingerprint(lab.certificate), loginPath, judge, {port})).toEqual({
				ok: false,
				reason: 'https://lab.test/hub/login answered 500',
			});
		} finally {
			https.close();
		}
	});
});
