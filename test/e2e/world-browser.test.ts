// Self-test of the world's browser: headless Chromium loads a page served by a server container
// (by a name set in the world's DNS), and signs in at the world's OIDC provider.
import type {Browser} from 'playwright-core';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import * as labWorld from '../world/index.js';

const name = 'page.lab.test';
const callback = 'https://lab.test/hub/oauth_callback';

describe('world browser', () => {
	let browser: Browser;
	let oidc: NonNullable<labWorld.World['oidc']>;
	const server = labWorld.freshServer('debian13', async started => {
		await labWorld.setDnsRecord(name, started.host);
		// Chromium cannot be pointed at a DNS server: map the name to what the world's DNS answers.
		const [address] = await labWorld.resolveInWorld(name);
		browser = await labWorld.launchBrowser({hosts: {[name]: address}});
	});
	beforeAll(async () => {
		oidc = (await labWorld.world()).oidc!;
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('loads a page served by a server container', async () => {
		await labWorld.writeServerFile(server(), '/srv/www/index.html', '<title>world page</title><p id="from">served by the world</p>');
		await labWorld.serveFolder(server(), '/srv/www', 8080);
		const page = await browser.newPage();
		await page.goto(`http://${name}:8080/`, {timeout: 20_000});
		expect(await page.title()).toBe('world page');
		expect(await page.textContent('#from')).toBe('served by the world');
		await page.close();
	});

	/** Starts a code flow and submits the login form; resolves with the URL the provider redirects to. */
	async function signIn(username: string, password: string): Promise<{redirected?: string; error?: string}> {
		const context = await browser.newContext();
		const page = await context.newPage();
		let redirected: string | undefined;
		// The lab is not running here: catch the redirect to its callback instead of loading it.
		const atCallback = (url: URL) => url.href.startsWith(`${callback}?`);
		await page.route(atCallback, async route => {
			redirected = route.request().url();
			await route.fulfill({status: 200, body: 'callback reached'});
		});
		const query = new URLSearchParams({
			client_id: oidc.clientId,
			response_type: 'code',
			scope: 'openid email profile',
			redirect_uri: callback,
			state: 'world-state',
		});
		await page.goto(`${oidc.issuer}/auth?${query}`, {timeout: 20_000});
		await page.fill('#login', username);
		await page.fill('#password', password);
		await page.click('#submit');
		// Either the provider sends the browser back to the lab, or it shows the form again with an error.
		await Promise.race([page.waitForURL(atCallback, {timeout: 20_000}), page.locator('#error').waitFor({timeout: 20_000})]);
		const error = redirected ? undefined : await page.textContent('#error');
		await context.close();
		return {redirected, error: error ?? undefined};
	}

	it('signs in at the OIDC provider and comes back to the lab with a code', async () => {
		const {redirected} = await signIn(oidc.users.allowed.username, oidc.users.allowed.password);
		expect(redirected).toBeDefined();
		const url = new URL(redirected!);
		expect(url.searchParams.get('state')).toBe('world-state');
		expect(url.searchParams.get('code')).toMatch(/\S{10,}/);
	});

	it('refuses a wrong password', async () => {
		const result = await signIn(oidc.users.denied.username, `${oidc.users.denied.password}-wrong`);
		expect(result.redirected).toBeUndefined();
		expect(result.error).toBe('Wrong user or password');
	});
});
