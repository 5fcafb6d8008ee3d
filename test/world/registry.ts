import {mkdir, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {ports, worldDir} from './config.js';
import {docker} from './docker.js';
import type {LabImage} from './lab-images.js';
import {say} from './log.js';
import type {WorldNetwork} from './network.js';
import {httpsAnswers, httpsStatus} from './probe.js';
import {ensureServiceContainer, loopbackPort} from './service-container.js';
import {waitFor} from './wait.js';
import type {ServiceCert} from './world-ca.js';

export const manifestTypes = 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json';

const config = `version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: /var/lib/registry
  delete:
    enabled: true
http:
  addr: 0.0.0.0:${ports.registry}
  tls:
    certificate: /certs/tls.crt
    key: /certs/tls.key
`;

/**
 * Debian's docker-registry over TLS (the world CA) at a fixed address in the world network: the
 * servers' Docker pulls from it as from any registry. The test machine pushes through a loopback
 * port, which Docker accepts without installing the CA on the machine (127.0.0.0/8 is "insecure").
 */
export async function ensureRegistry(network: WorldNetwork, image: string, cert: ServiceCert, caFile: string) {
	const configDir = join(worldDir, 'registry');
	await mkdir(configDir, {recursive: true});
	await writeFile(join(configDir, 'config.yml'), config);
	const address = await ensureServiceContainer(network, {
		service: 'registry',
		image,
		command: ['docker-registry', 'serve', '/config/config.yml'],
		mounts: {[cert.dir]: '/certs', [configDir]: '/config'},
		loopbackPorts: [ports.registry],
		dataPath: '/var/lib/registry',
		config: {config, cert: cert.fingerprint},
	});
	const host = `${address}:${ports.registry}`;
	await waitFor('the registry', () => httpsAnswers(`https://${host}/v2/`, caFile), {timeoutMs: 30_000});
	return {host, pushHost: `127.0.0.1:${await loopbackPort('registry', ports.registry)}`};
}

async function hasTag(host: string, caFile: string, image: LabImage): Promise<boolean> {
	const url = `https://${host}/v2/${image.repository}/manifests/${image.tag}`;
	return (await httpsStatus(url, caFile, {Accept: manifestTypes})) === 200;
}

/** Pushes each image unless the registry already holds its tag; returns the names servers pull. */
export async function pushImages(
	registry: {host: string; pushHost: string},
	caFile: string,
	images: Record<string, LabImage>,
): Promise<Record<string, string>> {
	const names: Record<string, string> = {};
	for (const [key, image] of Object.entries(images)) {
		names[key] = `${registry.host}/${image.repository}:${image.tag}`;
		if (await hasTag(registry.host, caFile, image)) continue;
		const pushName = `${registry.pushHost}/${image.repository}:${image.tag}`;
		say(`pushing ${image.repository}:${image.tag}`);
		await docker(['tag', image.local, pushName]);
		await docker(['push', '--quiet', pushName]);
		// The loopback name is only a way in: keep just the world's own tag on the machine.
		await docker(['rmi', pushName]);
	}
	return names;
}
