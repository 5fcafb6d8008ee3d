// Self-test of the world's registry: a server pulls the lab's image manifests over TLS, trusting
// the world CA from its own store (as its Docker will), with no flag that skips verification.
import {beforeAll, describe, expect, it} from 'vitest';
import {freshServer, world, type World} from '../world/index.js';

const accept = 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json';

describe('world registry', () => {
	const server = freshServer();
	let registry: NonNullable<World['registry']>;
	beforeAll(async () => {
		registry = (await world()).registry!;
	});

	it('has the CA where Docker looks for it before Docker is installed', async () => {
		const result = await server().exec(`test -s /etc/docker/certs.d/${registry.host}/ca.crt && ! command -v docker`);
		expect(result.exitCode).toBe(0);
	});

	it.each(['hubBase', 'hub', 'singleuser', 'nginx', 'renewer'] as const)('serves the %s manifest', async key => {
		const [, path, tag] = /^[^/]+\/(.+):([^:]+)$/.exec(registry.images[key])!;
		const url = `https://${registry.host}/v2/${path}/manifests/${tag}`;
		const result = await server().exec(`curl -fsS --max-time 10 -H 'Accept: ${accept}' '${url}'`);
		expect(result.stderr).toBe('');
		const manifest = JSON.parse(result.stdout) as {schemaVersion: number; layers: unknown[]};
		expect(manifest.schemaVersion).toBe(2);
		expect(manifest.layers.length).toBeGreaterThan(0);
	});

	it('answers 404 for a tag it does not hold', async () => {
		const url = `https://${registry.host}/v2/labbox/hub/manifests/no-such-tag`;
		const result = await server().exec(`curl -sS -o /dev/null -w '%{http_code}' --max-time 10 '${url}'`);
		expect(result.stdout).toBe('404');
	});

	// Last: it installs Docker on the server, as the wizard's docker step will.
	it("lets the server's own Docker pull an image over TLS, on overlay2", async () => {
		const install = await server().exec(
			'apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q docker.io >/dev/null && docker info --format "{{.Driver}}"',
		);
		expect(install.stdout).toBe('overlay2');
		const pulled = await server().exec(`docker pull -q ${registry.images.nginx} && docker run --rm ${registry.images.nginx} nginx -v`);
		expect(pulled.stderr).toMatch(/^nginx version: nginx\//);
	});
});
