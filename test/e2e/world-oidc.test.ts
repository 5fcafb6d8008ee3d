// Self-test of the world's OpenID Connect provider: its discovery document is served over TLS
// (world CA) to the test machine and to a server container.
import {readFile} from 'node:fs/promises';
import https from 'node:https';
import {beforeAll, describe, expect, it} from 'vitest';
import {freshServer, world, type World} from '../world/index.js';

function getJson(url: string, ca: Buffer): Promise<Record<string, unknown>> {
	return new Promise((resolve, reject) => {
		https
			.get(url, {ca, timeout: 10_000}, response => {
				let text = '';
				response.on('data', chunk => (text += chunk));
				response.on('end', () => resolve(JSON.parse(text) as Record<string, unknown>));
			})
			.on('error', reject);
	});
}

describe('world OIDC provider', () => {
	const server = freshServer();
	let oidc: NonNullable<World['oidc']>;
	beforeAll(async () => {
		oidc = (await world()).oidc!;
	});

	it('serves its discovery document to the test machine', async () => {
		const document = await getJson(`${oidc.issuer}/.well-known/openid-configuration`, await readFile(oidc.caFile));
		expect(document.issuer).toBe(oidc.issuer);
		expect(document.authorization_endpoint).toBe(`${oidc.issuer}/auth`);
		expect(document.scopes_supported).toEqual(expect.arrayContaining(['openid', 'email', 'profile']));
	});

	it('serves it to a server container, which trusts the world CA', async () => {
		const result = await server().exec(`curl -fsS --max-time 10 ${oidc.issuer}/.well-known/openid-configuration`);
		expect(result.stderr).toBe('');
		expect(JSON.parse(result.stdout).token_endpoint).toBe(`${oidc.issuer}/token`);
	});

	it('has one user to allow and one to refuse, with different passwords', () => {
		expect(oidc.users.allowed.username).not.toBe(oidc.users.denied.username);
		expect(oidc.users.allowed.password).not.toBe(oidc.users.denied.password);
	});
});
