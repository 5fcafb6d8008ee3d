import {mkdir, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {ports, worldDir} from './config.js';
import type {WorldNetwork} from './network.js';
import {ensureServiceContainer} from './service-container.js';
import {httpsAnswers, httpAnswers} from './probe.js';
import {waitFor} from './wait.js';
import type {ServiceCert} from './world-ca.js';

export interface AcmeWorld {
	dns: {server: string; host: string; port: number; managementUrl: string};
	acme: {directoryUrl: string; caFile: string; managementUrl: string};
}

/**
 * pebble-challtestsrv as the world's DNS (its own challenge responders off: the servers answer
 * HTTP-01 themselves), and Pebble as the ACME CA, resolving names through that DNS.
 */
export async function ensureAcme(network: WorldNetwork, image: string, cert: ServiceCert, caFile: string): Promise<AcmeWorld> {
	const dnsHost = await ensureServiceContainer(network, {
		service: 'dns',
		image,
		command: [
			'pebble-challtestsrv',
			'-management',
			`:${ports.dnsManagement}`,
			'-dns01',
			`:${ports.dns}`,
			'-http01',
			'',
			'-https01',
			'',
			'-tlsalpn01',
			'',
			// Names nobody set do not resolve to loopback (the default), so a missing record is visible.
			'-defaultIPv4',
			'',
			'-defaultIPv6',
			'',
		],
	});
	const configDir = join(worldDir, 'pebble');
	const config = {
		pebble: {
			listenAddress: `0.0.0.0:${ports.acme}`,
			managementListenAddress: `0.0.0.0:${ports.acmeManagement}`,
			certificate: '/certs/tls.crt',
			privateKey: '/certs/tls.key',
			httpPort: 80,
			tlsPort: 443,
			ocspResponderURL: '',
			externalAccountBindingRequired: false,
		},
	};
	await mkdir(configDir, {recursive: true});
	await writeFile(join(configDir, 'pebble-config.json'), JSON.stringify(config, null, '\t'));
	const pebbleHost = await ensureServiceContainer(network, {
		service: 'pebble',
		image,
		command: ['pebble', '-config', '/config/pebble-config.json', '-dnsserver', `${dnsHost}:${ports.dns}`],
		// No sleeping before validation, and no random nonce rejections: fast, deterministic tests.
		env: {PEBBLE_VA_NOSLEEP: '1', PEBBLE_WFE_NONCEREJECT: '0'},
		mounts: {[cert.dir]: '/certs', [configDir]: '/config'},
		config: {config, cert: cert.fingerprint},
	});
	const world: AcmeWorld = {
		dns: {
			server: `${dnsHost}:${ports.dns}`,
			host: dnsHost,
			port: ports.dns,
			managementUrl: `http://${dnsHost}:${ports.dnsManagement}`,
		},
		acme: {
			directoryUrl: `https://${pebbleHost}:${ports.acme}/dir`,
			caFile,
			managementUrl: `https://${pebbleHost}:${ports.acmeManagement}`,
		},
	};
	await waitFor('Pebble directory', () => httpsAnswers(world.acme.directoryUrl, caFile), {timeoutMs: 30_000});
	await waitFor('challtestsrv management', () => httpAnswers(`${world.dns.managementUrl}/`), {timeoutMs: 30_000});
	return world;
}
