import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {hubConfig} from './hub-config.js';
import {configs} from './labs.js';

describe('jupyterhub_config.py', () => {
	// A provider on loopback that serves only its discovery document.
	const provider = createServer((request, response) => {
		const base = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
		if (request.url !== '/realms/lab/.well-known/openid-configuration') {
			response.writeHead(404).end();
			return;
		}
		response.writeHead(200, {'content-type': 'application/json'}).end(
			JSON.stringify({
				issuer: `${base}/realms/lab`,
				authorization_endpoint: `${base}/auth`,
				token_endpoint: `${base}/token`,
				userinfo_endpoint: `${base}/userinfo`,
			}),
		);
	});
	let issuer: string;
	beforeAll(async () => {
		await new Promise<void>(resolve => provider.listen(0, '127.0.0.1', resolve));
		issuer = `http://127.0.0.1:${(provider.address() as AddressInfo).port}/realms/lab`;
	});
	afterAll(() => {
		provider.close();
	});

	it('configures OIDC from the discovery document: endpoints, claims, client auth, groups; never allow_all unless asked', async () => {
		const result = await hubConfig({...configs.oidc!, 'auth.issuer': issuer});
		expect(result.JupyterHub!.authenticator_class).toBe('oauthenticator.generic.GenericOAuthenticator');
		expect(result.GenericOAuthenticator).toEqual({
			login_service: 'OpenID Connect',
			authorize_url: `${issuer.replace('/realms/lab', '')}/auth`,
			token_url: `${issuer.replace('/realms/lab', '')}/token`,
			userdata_url: `${issuer.replace('/realms/lab', '')}/userinfo`,
			scope: ['openid', 'profile', 'email'],
			username_claim: 'preferred_username',
			basic_auth: false,
			manage_groups: true,
			auth_state_groups_key: 'oauth_user.groups',
			allowed_groups: ['lab-members'],
			allow_all: false,
		});
		expect(result.OAuthenticator!.oauth_callback_url).toBe('https://lab.example.org/hub/oauth_callback');
		expect(result.Authenticator).toEqual({allowed_users: ['ada', 'grace'], allow_existing_users: false, admin_users: ['ada']});
	});

	it('lets anyone in only with auth.allowAll, and sends the secret in a basic header by default', async () => {
		const result = await hubConfig({
			...configs.oidc!,
			'auth.issuer': issuer,
			'auth.allowAll': true,
			'auth.allowedUsers': [],
			'auth.allowedGroups': [],
			'auth.clientAuth': undefined,
		});
		expect(result.GenericOAuthenticator).toMatchObject({allow_all: true, basic_auth: true});
		expect(result.GenericOAuthenticator!.manage_groups).toBeUndefined();
	});

	it('spawns with the lab folders, limits and culler from settings', async () => {
		const result = await hubConfig(configs.github!);
		expect(result.DockerSpawner).toMatchObject({
			image: 'quay.io/jupyter/scipy-notebook:2025-12-31',
			network_name: 'labbox-notebooks',
			mem_limit: '8G',
			cpu_limit: 2,
			remove: true,
		});
		expect(result.JupyterHub).toMatchObject({
			cleanup_servers: false,
			db_url: 'sqlite:////srv/jupyterhub/data/jupyterhub.sqlite',
			authenticator_class: 'oauthenticator.github.GitHubOAuthenticator',
		});
		expect(result.JupyterHub!.services).toEqual([
			{name: 'labbox', api_token: expect.stringMatching(/^[0-9a-f]{64}$/)},
			{name: 'idle-culler', command: [expect.stringMatching(/python/), '-m', 'jupyterhub_idle_culler', '--timeout=3600']},
		]);
		expect(result.GitHubOAuthenticator).toEqual({allowed_organizations: ['my-lab-org'], scope: ['read:org']});
	});

	it('lab accounts: NativeAuthenticator with sign-up, password rules and a lock after failed logins; the admin approves (issue 14)', async () => {
		const result = await hubConfig(configs.local!);
		expect(result.JupyterHub!.authenticator_class).toMatch(/LabAuthenticator/);
		expect(result.Authenticator).toMatchObject({allow_all: true, allow_existing_users: false, admin_users: ['ada']});
		expect(result.NativeAuthenticator).toEqual({
			enable_signup: true,
			open_signup: false,
			minimum_password_length: 10,
			check_common_password: true,
			allowed_failed_logins: 5,
			seconds_before_next_try: 600,
		});
		expect((await hubConfig({...configs.local!, 'auth.signup': false})).NativeAuthenticator!.enable_signup).toBe(false);
	});

	it('lab accounts: only the labbox service may use the accounts door; a name in allowedUsers is not pre-approved (issue 14)', async () => {
		const result = await hubConfig({...configs.local!, 'auth.allowedUsers': ['grace']});
		expect(result.JupyterHub!.custom_scopes).toEqual({
			'custom:labbox:accounts': {description: "List, approve, make and remove the lab's accounts (labbox)"},
		});
		expect(result.JupyterHub!.load_roles).toContainEqual({
			name: 'labbox',
			scopes: ['list:users', 'read:users:activity', 'read:servers', 'delete:servers', 'delete:users', 'custom:labbox:accounts'],
			services: ['labbox'],
		});
		// NativeAuthenticator approves at sign-up whoever allowed_users names: the first stranger to take the name.
		expect(result.Authenticator!.allowed_users).toEqual([]);
		const github = await hubConfig(configs.github!);
		expect(github.JupyterHub!.custom_scopes).toBeUndefined();
		expect((github.JupyterHub!.load_roles as Array<{scopes: string[]}>)[0]!.scopes).not.toContain('custom:labbox:accounts');
	});

	it('offers images.choices on the spawn page by name, the first as the default image (issue 14 item 2)', async () => {
		const result = await hubConfig(configs.local!);
		expect(result.DockerSpawner).toMatchObject({
			image: 'quay.io/jupyter/scipy-notebook:2025-12-31',
			allowed_images: {SciPy: 'quay.io/jupyter/scipy-notebook:2025-12-31', 'R (large)': 'quay.io/jupyter/r-notebook:2025-12-31'},
		});
		expect((await hubConfig(configs.github!)).DockerSpawner!.allowed_images).toBeUndefined();
	});

	it('points GitHub at a GitHub Enterprise Server with auth.githubUrl, and at github.com without it (issue 15)', async () => {
		const enterprise = await hubConfig({
			...configs.github!,
			'auth.githubUrl': 'https://github.example.org/',
			'auth.caFile': './github-ca.pem',
		});
		expect(enterprise.GitHubOAuthenticator).toEqual({
			github_url: 'https://github.example.org',
			allowed_organizations: ['my-lab-org'],
			scope: ['read:org'],
		});
		expect(enterprise.OAuthenticator!.http_request_kwargs).toEqual({ca_certs: '/etc/labbox/login-ca.pem'});
		expect((await hubConfig(configs.github!)).GitHubOAuthenticator!.github_url).toBeUndefined();
	});

	it('asks GitLab for read_user only, and read_api too when groups are allowed, never its default api scope (issue 15)', async () => {
		expect((await hubConfig(configs.gitlab!)).GitLabOAuthenticator).toEqual({
			gitlab_url: 'https://gitlab.example.org',
			scope: ['read_user'],
		});
		const groups = await hubConfig({...configs.gitlab!, 'auth.allowedGroups': ['turing-lab']});
		expect(groups.GitLabOAuthenticator).toEqual({
			gitlab_url: 'https://gitlab.example.org',
			allowed_gitlab_groups: ['turing-lab'],
			scope: ['read_user', 'read_api'],
		});
	});

	it("marks the hub's _xsrf cookie Secure (its login cookies follow the scheme nginx passes)", async () => {
		expect((await hubConfig(configs.github!)).JupyterHub!.tornado_settings).toEqual({xsrf_cookie_kwargs: {secure: true}});
	});

	it('caps the processes of each notebook server at limits.pids (2048 unless set)', async () => {
		expect((await hubConfig(configs.github!)).DockerSpawner!.extra_host_config).toEqual({pids_limit: 2048});
		expect((await hubConfig({...configs.github!, 'limits.pids': 300})).DockerSpawner!.extra_host_config).toEqual({pids_limit: 300});
	});

	it("gives labbox's API client a token of its own and only the scopes removing and listing users take (issue 9 item 4, issue 13 item 1)", async () => {
		const result = await hubConfig({...configs.github!, 'culler.timeout': 0});
		expect(result.JupyterHub!.services).toEqual([{name: 'labbox', api_token: expect.stringMatching(/^[0-9a-f]{64}$/)}]);
		expect(result.JupyterHub!.load_roles).toEqual([
			{
				name: 'labbox',
				scopes: ['list:users', 'read:users:activity', 'read:servers', 'delete:servers', 'delete:users'],
				services: ['labbox'],
			},
		]);
	});
});
