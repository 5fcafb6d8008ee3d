// What the lab e2e tests do in Chromium: log in at the lab through the world's OIDC provider, wait for JupyterLab,
// and write a file in it as the page itself would.
import type {Page, Response} from 'playwright-core';

/** Logs in at the lab through the world's provider; returns the response of the hub's OAuth callback. */
export async function logIn(page: Page, domain: string, account: {username: string; password: string}): Promise<Response> {
	await page.goto(`https://${domain}/hub/login`);
	await page.click('a[href*="oauth_login"]');
	await page.waitForSelector('#login', {timeout: 30_000});
	await page.fill('#login', account.username);
	await page.fill('#password', account.password);
	const callback = page.waitForResponse(response => response.url().includes('/hub/oauth_callback'), {timeout: 60_000});
	await page.click('#submit');
	return callback;
}

/** Waits until the spawn page has handed over to the user's JupyterLab and its main panel shows. */
export async function waitForJupyterLab(page: Page, user: string): Promise<void> {
	await page.waitForURL(new RegExp(`/user/${user}/lab`), {timeout: 180_000});
	await page.waitForSelector('#jp-main-dock-panel', {timeout: 180_000}).catch(async (error: Error) => {
		throw new Error(`${error.message}\nat ${page.url()}:\n${(await page.content()).slice(0, 3000)}`);
	});
}

/**
 * A request from inside the page: its cookies, Chromium's name resolution, and the _xsrf cookie as the header
 * Jupyter's cookie-authenticated APIs want (also on GET). Follows redirects: the status and the final path.
 */
export function fetchInPage(
	page: Page,
	urlPath: string,
	init: {method?: string; body?: string} = {},
): Promise<{status: number; path: string}> {
	return page.evaluate(
		async ({urlPath, method, body}) => {
			const xsrf = document.cookie.match(/_xsrf=([^;]+)/)?.[1] ?? '';
			const response = await fetch(urlPath, {
				method,
				body,
				headers: {'Content-Type': 'application/json', 'X-XSRFToken': decodeURIComponent(xsrf)},
			});
			return {status: response.status, path: new URL(response.url).pathname};
		},
		{urlPath, method: init.method ?? 'GET', body: init.body},
	);
}

/** Writes a text file in the user's home through the contents API, with the page's cookies; returns the status. */
export async function putFile(page: Page, user: string, file: string, content: string): Promise<number> {
	const body = JSON.stringify({type: 'file', format: 'text', content});
	return (await fetchInPage(page, `/user/${user}/api/contents/${file}`, {method: 'PUT', body})).status;
}

/** Signs up on a lab with lab accounts (NativeAuthenticator's /hub/signup, issue 14); returns the page's message. */
/**
 * Runs `action` again (5 tries, 2 s apart) when Chromium saw the machine's network change: Docker adds and removes
 * interfaces as other tests start containers, and Chromium then aborts the page's requests with
 * net::ERR_NETWORK_CHANGED, often a few times in a row.
 */
export async function againOnNetworkChange<T>(action: () => Promise<T>): Promise<T> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await action();
		} catch (error) {
			if (attempt >= 5 || !String(error).includes('ERR_NETWORK_CHANGED')) throw error;
			await new Promise(resolve => setTimeout(resolve, 2000));
		}
	}
}

// Signing up and changing a password are sent once: after an aborted POST the hub may have done it already, and a
// second one would say so (name taken, old password wrong). Only loading their page goes again.
export async function signUp(page: Page, domain: string, account: {username: string; password: string}): Promise<string> {
	await againOnNetworkChange(() => page.goto(`https://${domain}/hub/signup`));
	await page.fill('#username_input', account.username);
	await page.fill('#password_input', account.password);
	await page.fill('#password_confirmation_input', account.password);
	await Promise.all([page.waitForNavigation({timeout: 30_000}), page.click('#signup_submit')]);
	return (await page.locator('.alert').first().innerText()).trim();
}

/**
 * Logs in with a lab account's name and password (NativeAuthenticator's login form); returns the path the hub
 * sent the browser to and the login error shown, if any.
 */
export async function logInWithPassword(
	page: Page,
	domain: string,
	account: {username: string; password: string},
): Promise<{path: string; error?: string}> {
	return againOnNetworkChange(() => logInOnce(page, domain, account));
}

async function logInOnce(
	page: Page,
	domain: string,
	account: {username: string; password: string},
): Promise<{path: string; error?: string}> {
	await page.goto(`https://${domain}/hub/login`);
	await page.fill('#username_input', account.username);
	await page.fill('#password_input', account.password);
	await Promise.all([page.waitForNavigation({timeout: 60_000}), page.click('#login_submit')]);
	const error = page.locator('.login_error');
	return {path: new URL(page.url()).pathname, ...((await error.count()) > 0 ? {error: (await error.innerText()).trim()} : {})};
}

/** Changes the logged-in lab account's own password (NativeAuthenticator's /hub/change-password); returns its message. */
export async function changePassword(page: Page, domain: string, from: string, to: string): Promise<string> {
	await againOnNetworkChange(() => page.goto(`https://${domain}/hub/change-password`));
	await page.fill('#old_password_input', from);
	await page.fill('#new_password_input', to);
	await page.fill('#new_password_confirmation_input', to);
	await Promise.all([page.waitForNavigation({timeout: 30_000}), page.click('#signup_submit')]);
	return (await page.locator('.alert').first().innerText()).trim();
}
