// Self-test of the world's DNS and ACME CA: a name set in the DNS resolves to a server, and
// Pebble issues a certificate for it after an HTTP-01 challenge answered on that server's port 80.
import {X509Certificate} from 'node:crypto';
import {readFile} from 'node:fs/promises';
import https from 'node:https';
import acme from 'acme-client';
import {describe, expect, it} from 'vitest';
import * as labWorld from '../world/index.js';

const {clearDnsTxt, resolveInWorld, setDnsRecord, setDnsTxt} = labWorld;

const name = 'lab.test';
const webRoot = '/srv/acme-responder';

describe('world DNS and ACME', () => {
	const fresh = labWorld.freshServer('debian13', server => setDnsRecord(name, server.host));

	it('resolves a name set in the DNS to the server', async () => {
		const server = fresh();
		expect(await resolveInWorld(name)).toEqual([server.host]);
	});

	it('replaces the address of a name set again', async () => {
		const server = fresh();
		await setDnsRecord('moved.lab.test', '192.0.2.1');
		await setDnsRecord('moved.lab.test', server.host);
		expect(await resolveInWorld('moved.lab.test')).toEqual([server.host]);
	});

	it('serves the ACME directory to a server container, which trusts the world CA', async () => {
		const {acme: ca} = await labWorld.world();
		const result = await fresh().exec(`curl -fsS --max-time 10 ${ca!.directoryUrl}`);
		expect(JSON.parse(result.stdout).newOrder).toMatch(/^https:\/\//);
	});

	it('does not resolve a name nobody set', async () => {
		await expect(resolveInWorld('nobody-set-this.lab.test')).rejects.toThrow();
	});

	/** An acme-client Client for the world's Pebble, trusting its TLS certificate through the world CA. */
	async function pebbleClient(): Promise<acme.Client> {
		const {acme: ca} = await labWorld.world();
		expect(ca).toBeDefined();
		acme.axios.defaults.httpsAgent = new https.Agent({ca: await readFile(ca!.caFile)});
		// Fail fast with the real cause instead of minutes of retries (FIELD-NOTES, node-acme-client#101).
		(acme.axios.defaults as unknown as {acmeSettings: {retryMaxAttempts: number}}).acmeSettings.retryMaxAttempts = 1;
		return new acme.Client({directoryUrl: ca!.directoryUrl, accountKey: await acme.crypto.createPrivateEcdsaKey()});
	}

	function chain(pem: string): X509Certificate[] {
		return pem
			.split(/(?<=-----END CERTIFICATE-----)\s*/)
			.filter(Boolean)
			.map(part => new X509Certificate(part));
	}

	it('issues a certificate for the name via HTTP-01 on the server', async () => {
		const server = fresh();
		await labWorld.serveFolder(server, webRoot, 80);
		const client = await pebbleClient();
		const [, csr] = await acme.crypto.createCsr({commonName: name, altNames: [name]});
		const pem = await client.auto({
			csr,
			termsOfServiceAgreed: true,
			challengePriority: ['http-01'],
			// Its own pre-check would ask the machine's resolver, which does not know the world's names.
			skipChallengeVerification: true,
			challengeCreateFn: async (_authz, challenge, keyAuthorization) => {
				await labWorld.writeServerFile(server, `${webRoot}/.well-known/acme-challenge/${challenge.token}`, keyAuthorization);
			},
			challengeRemoveFn: async () => {},
		});
		const [leaf, intermediate] = chain(pem);
		expect(leaf.subjectAltName).toContain(`DNS:${name}`);
		expect(leaf.verify(intermediate.publicKey)).toBe(true);
		// Pebble answered the challenge by fetching the token from the server itself.
		const log = await server.exec('journalctl -u world-http-80 --no-pager -o cat');
		expect(log.stdout).toMatch(/GET \/\.well-known\/acme-challenge\/\S+ HTTP\/1\.1" 200/);
	});

	it('issues a wildcard certificate via DNS-01 with a TXT record in the DNS', async () => {
		const client = await pebbleClient();
		const wildcard = `*.${name}`;
		const [, csr] = await acme.crypto.createCsr({commonName: wildcard, altNames: [wildcard]});
		const pem = await client.auto({
			csr,
			termsOfServiceAgreed: true,
			challengePriority: ['dns-01'],
			skipChallengeVerification: true,
			challengeCreateFn: async (authz, _challenge, keyAuthorization) => {
				await setDnsTxt(`_acme-challenge.${authz.identifier.value}`, keyAuthorization);
			},
			challengeRemoveFn: async authz => {
				await clearDnsTxt(`_acme-challenge.${authz.identifier.value}`);
			},
		});
		const [leaf] = chain(pem);
		expect(leaf.subjectAltName).toBe(`DNS:${wildcard}`);
	});
});
