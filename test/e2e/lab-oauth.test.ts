// GitHub and GitLab logins end to end (issue 15): one fresh debian13 server, one lab made by `labbox --yes` with a
// GitHub login pointed at the world's GitHub stand-in the way a GitHub Enterprise Server is (auth.githubUrl,
// auth.caFile), then re-configured to the GitLab stand-in as a self-hosted GitLab (auth.gitlabUrl) with
// `labbox run stack`. The real GitHubOAuthenticator and GitLabOAuthenticator (oauthenticator 17.4) log in, in
// Chromium: the allowed user gets JupyterLab, the organisation/group member (private membership) logs in, the admin
// sees the admin page, the refused user gets the refusal page and no home folder, the Mixed-Case-Dashed login gets
// a server and a home named as JupyterHub names the user, and a wrong client secret in secrets.env fails the login
// with the reason in the hub's log. Each OAuth app is registered from the wizard's own instructions.
import {chmod, mkdtemp, readFile, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import type {Browser, Page} from 'playwright-core';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {fieldByKey} from '../../source/config/fields.js';
import {questionFor} from '../../source/config/questions.js';
import {
	clearDnsRecord,
	ensureOAuthStandIns,
	launchBrowser,
	registerOAuthApp,
	setDnsRecord,
	startServer,
	world,
	type OAuthStandIns,
	type Server,
	type StandIn,
	type World,
} from '../world/index.js';
import {currentImages} from '../world/current-images.js';
import {againOnNetworkChange, logIn, waitForJupyterLab} from './lab-browser.js';
import {labConfig, labYaml, runLabbox, stepLines} from './lab-world.js';

const domain = 'lab-oauth.test';

/** The help the wizard shows with its client id question, for this login. */
function wizardHelp(config: Record<string, unknown>): string {
	return questionFor(fieldByKey.get('auth.clientId')!, {domain, ...config}).help ?? '';
}

/** The line `Label: URL` of the help. */
function helpUrl(help: string, label: string): string {
	const match = new RegExp(`${label}: (\\S+)`).exec(help);
	if (!match) throw new Error(`the wizard's help has no "${label}:" line:\n${help}`);
	return match[1]!;
}

describe('GitHub and GitLab logins against the world stand-ins, on a fresh debian13 server', () => {
	let w: World;
	let standIns: OAuthStandIns;
	let server: Server;
	let lab: string;
	let home: string;
	let browser: Browser;
	let config: Record<string, unknown>;

	const labbox = (args: readonly string[]) => runLabbox(args, {lab, home, timeout: 1_200_000});

	/** lab.yaml with these login keys, and the client secret in secrets.env (0600), as a user keeps it. */
	async function configure(login: Record<string, unknown>, clientSecret: string): Promise<void> {
		config = {...config, ...login};
		for (const [key, value] of Object.entries(config)) if (value === undefined) delete config[key];
		await writeFile(path.join(lab, 'lab.yaml'), labYaml(config));
		await writeFile(path.join(lab, 'secrets.env'), `LABBOX_AUTH_CLIENT_SECRET=${clientSecret}\n`, {mode: 0o600});
		await chmod(path.join(lab, 'secrets.env'), 0o600);
	}

	async function runStack(): Promise<void> {
		const result = await labbox(['run', 'stack', '--yes']);
		expect(result.exitCode, String(result.all)).toBe(0);
		expect(stepLines(String(result.all)).some(line => line.startsWith('stack changed '))).toBe(true);
	}

	const visit = (page: Page, url: string) => againOnNetworkChange(() => page.goto(url));

	const exists = async (file: string) => (await server.exec(`test -e '${file}'; echo $?`)).stdout.trim() === '0';

	beforeAll(async () => {
		let current: Awaited<ReturnType<typeof currentImages>>;
		[w, standIns, server, current] = await Promise.all([world(), ensureOAuthStandIns(), startServer('debian13'), currentImages()]);
		await clearDnsRecord(domain);
		await setDnsRecord(domain, server.host);
		lab = await mkdtemp(path.join(tmpdir(), 'labbox-e2e-oauth-'));
		home = await mkdtemp(path.join(tmpdir(), 'labbox-e2e-home-'));
		config = labConfig(w, server, domain);
		for (const key of ['auth.issuer', 'auth.clientAuth', 'auth.clientId', 'auth.clientSecret']) delete config[key];
		// The hub at the product's own pins (oauthenticator 17.4, templates/jupyterhub/Dockerfile), not the world's older default.
		config['images.hub'] = current.hub;
		config['images.singleuser'] = current.singleuser;
	});

	afterAll(async () => {
		await browser?.close();
		await clearDnsRecord(domain);
		await server?.remove();
	});

	/** The same proofs for both providers: `who` names the stand-in's users, `users` what the hub calls them. */
	function provesLogins(provider: () => StandIn) {
		const users = () => provider().users;

		it('the allowed user logs in and JupyterLab loads, with a home folder', async () => {
			const page = await browser.newPage();
			const callback = await logIn(page, domain, users().allowed);
			expect(callback.status()).toBe(302);
			await waitForJupyterLab(page, users().allowed.username);
			expect(await exists(`/srv/lab/homes/${users().allowed.username}`)).toBe(true);
			await page.close();
		});

		it('a member of the allowed organisation/group, whose membership is private, logs in', async () => {
			const page = await browser.newPage();
			const callback = await logIn(page, domain, users().member);
			expect(callback.status()).toBe(302);
			const hubHome = await visit(page, `https://${domain}/hub/home`);
			expect(hubHome?.status()).toBe(200);
			expect(await page.content()).toContain(users().member.username);
			await page.close();
		});

		it('the admin sees the admin page; a user who is not an admin gets 403 there', async () => {
			const page = await browser.newPage();
			expect((await logIn(page, domain, users().admin)).status()).toBe(302);
			const admin = await visit(page, `https://${domain}/hub/admin`);
			expect(admin?.status()).toBe(200);
			await page.waitForSelector('#react-admin-hook', {timeout: 30_000});
			await page.close();
			const member = await browser.newPage();
			expect((await logIn(member, domain, users().member)).status()).toBe(302);
			expect((await visit(member, `https://${domain}/hub/admin`))?.status()).toBe(403);
			await member.close();
		});

		it('the refused user gets the refusal page and no home folder', async () => {
			const page = await browser.newPage();
			const callback = await logIn(page, domain, users().refused);
			expect(callback.status()).toBe(403);
			expect(await callback.text()).toMatch(/not currently authorized to use this hub/);
			expect(await exists(`/srv/lab/homes/${users().refused.username}`)).toBe(false);
			await page.close();
		});

		it('the Mixed-Case-Dashed login gets a server and a home folder named as JupyterHub names the user (lower case)', async () => {
			const login = users().mixedCase.username;
			const name = login.toLowerCase();
			expect(login).not.toBe(name);
			const page = await browser.newPage();
			expect((await logIn(page, domain, users().mixedCase)).status()).toBe(302);
			await waitForJupyterLab(page, name);
			expect((await server.exec(`stat -c '%u:%g %a' /srv/lab/homes/${name}`)).stdout.trim()).toBe('1000:100 700');
			expect(await exists(`/srv/lab/homes/${login}`)).toBe(false);
			await page.close();
		});
	}

	/** A wrong client secret: the login fails, and the hub's log says why. */
	async function wrongSecretFails(login: Record<string, unknown>, expectedStatus: number, logged: RegExp): Promise<void> {
		await configure(login, 'not-the-client-secret');
		await runStack();
		const page = await browser.newPage();
		const callback = await logIn(page, domain, users(login).allowed);
		expect(callback.status()).toBe(expectedStatus);
		await page.close();
		// What the user runs to see why: `labbox logs hub`, through labbox's redaction.
		const logs = await labbox(['logs', 'hub', '--since', '5m']);
		expect(logs.exitCode, String(logs.all)).toBe(0);
		const log = String(logs.all);
		expect(log).toMatch(logged);
		expect(log).not.toContain('not-the-client-secret');
	}
	const users = (login: Record<string, unknown>) => (login['auth.type'] === 'github' ? standIns.github : standIns.gitlab).users;

	describe('GitHub (a GitHub Enterprise Server at auth.githubUrl)', () => {
		let github: Record<string, unknown>;

		beforeAll(async () => {
			// The OAuth app, registered with exactly the URLs the wizard tells the user to paste.
			const help = wizardHelp({'auth.type': 'github', 'auth.githubUrl': standIns.github.url});
			expect(help).toContain(`Create an OAuth app at ${standIns.github.url} → Settings`);
			const homepage = helpUrl(help, 'Homepage URL');
			const callback = helpUrl(help, 'Authorization callback URL');
			expect([homepage, callback]).toEqual([`https://${domain}`, `https://${domain}/hub/oauth_callback`]);
			const app = await registerOAuthApp(standIns.github.url, {homepage, callback});
			const gh = standIns.github.users;
			github = {
				'auth.type': 'github',
				'auth.githubUrl': standIns.github.url,
				'auth.caFile': standIns.caFile,
				'auth.clientId': app.clientId,
				'auth.allowedUsers': [gh.allowed.username, gh.mixedCase.username],
				'auth.allowedGroups': [standIns.github.group],
				'auth.admins': [gh.admin.username],
			};
			await configure(github, app.clientSecret);
			const made = await labbox(['--yes']);
			console.log(
				stepLines(String(made.all))
					.map(line => `  ${line}`)
					.join('\n'),
			);
			expect(made.exitCode, String(made.all)).toBe(0);
			const leaf = (await server.exec('cat /srv/lab/certs/fullchain.pem')).stdout;
			browser = await launchBrowser({hosts: {[domain]: server.host}, trustCertificates: [leaf, await readFile(standIns.certFile)]});
		}, 1_500_000);

		provesLogins(() => standIns.github);

		it('a wrong client secret in secrets.env fails the login, and the hub log says the client secret is incorrect', async () => {
			await wrongSecretFails(github, 403, /An access token was not returned: The client_id and\/or client_secret passed are incorrect/);
		});
	});

	describe('GitLab (a self-hosted GitLab at auth.gitlabUrl), the same lab re-configured', () => {
		let gitlab: Record<string, unknown>;

		beforeAll(async () => {
			const help = wizardHelp({'auth.type': 'gitlab'});
			const redirect = helpUrl(help, 'Redirect URI');
			expect(redirect).toBe(`https://${domain}/hub/oauth_callback`);
			// The scopes the wizard names (groups are allowed here): GitLab refuses any other the hub would ask for.
			expect(help).toContain('scope "read_user" (and "read_api" if you allow GitLab groups)');
			const app = await registerOAuthApp(standIns.gitlab.url, {
				homepage: `https://${domain}`,
				callback: redirect,
				scopes: ['read_user', 'read_api'],
			});
			const gl = standIns.gitlab.users;
			gitlab = {
				'auth.type': 'gitlab',
				'auth.githubUrl': undefined,
				'auth.gitlabUrl': standIns.gitlab.url,
				'auth.caFile': standIns.caFile,
				'auth.clientId': app.clientId,
				'auth.allowedUsers': [gl.allowed.username, gl.mixedCase.username],
				'auth.allowedGroups': [standIns.gitlab.group],
				'auth.admins': [gl.admin.username],
			};
			await configure(gitlab, app.clientSecret);
			await runStack();
		}, 600_000);

		provesLogins(() => standIns.gitlab);

		it("a wrong client secret in secrets.env fails the login, and the hub log shows GitLab's invalid_client answer", async () => {
			await wrongSecretFails(gitlab, 500, /Error fetching 401 POST https:\/\/[\d.:]+\/oauth\/token:[\s\S]*invalid_client/);
		});
	});
});
