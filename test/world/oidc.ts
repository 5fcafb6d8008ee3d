import {realpathSync} from 'node:fs';
import {mkdir, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {ports, repoRoot, worldDir} from './config.js';
import type {WorldNetwork} from './network.js';
import {httpsAnswers} from './probe.js';
import {secrets} from './secrets.js';
import {ensureServiceContainer} from './service-container.js';
import type {OidcConfig} from './oidc-server.js';
import {serviceAddress} from './network.js';
import {waitFor} from './wait.js';
import type {ServiceCert} from './world-ca.js';
import type {World} from './world-file.js';

/**
 * The OpenID Connect provider, in the `oidc` container at a fixed address, over HTTPS with the
 * world CA (the lab's hub must trust that CA: the product's login CA setting). Two users: `alice`
 * (to be allowed in the lab) and `bob` (to be refused), one confidential client.
 */
export async function ensureOidc(
	network: WorldNetwork,
	image: string,
	cert: ServiceCert,
	caFile: string,
): Promise<NonNullable<World['oidc']>> {
	const secret = await secrets();
	const issuer = `https://${serviceAddress(network, 'oidc')}:${ports.oidc}`;
	const users = {
		allowed: {username: 'alice', password: secret.oidcPasswords.alice, email: 'alice@lab.test'},
		denied: {username: 'bob', password: secret.oidcPasswords.bob, email: 'bob@lab.test'},
	};
	const config: OidcConfig = {
		issuer,
		port: ports.oidc,
		certFile: '/certs/tls.crt',
		keyFile: '/certs/tls.key',
		client: {clientId: 'labbox', clientSecret: secret.oidcClientSecret, redirectUris: ['https://lab.test/hub/oauth_callback']},
		users: [users.allowed, users.denied],
	};
	const configDir = join(worldDir, 'oidc');
	await mkdir(configDir, {recursive: true, mode: 0o700});
	await writeFile(join(configDir, 'oidc.json'), JSON.stringify(config, null, '\t'), {mode: 0o600});
	await ensureServiceContainer(network, {
		service: 'oidc',
		image,
		// tsx from the repository's node_modules runs the TypeScript server on Debian's node. The real folder, at
		// /node_modules (where node looks last): in a git worktree node_modules is a link the container cannot follow.
		command: ['node', '/node_modules/tsx/dist/cli.mjs', '/repo/test/world/oidc-server.ts', '/config/oidc.json'],
		mounts: {
			[repoRoot]: '/repo',
			[realpathSync(join(repoRoot, 'node_modules'))]: '/node_modules',
			[cert.dir]: '/certs',
			[configDir]: '/config',
		},
		env: {NODE_ENV: 'production', TSX_DISABLE_CACHE: '1'},
		config: {config, cert: cert.fingerprint},
	});
	await waitFor('the OIDC discovery document', () => httpsAnswers(`${issuer}/.well-known/openid-configuration`, caFile), {
		timeoutMs: 45_000,
		intervalMs: 500,
	});
	return {issuer, clientId: config.client.clientId, clientSecret: config.client.clientSecret, clientAuth: 'post', caFile, users};
}
