import {ensureBaseImage} from './base-image.js';
import {ensureImage} from './image-build.js';

/**
 * One image for the world's own services (Pebble, its DNS, the registry, the OIDC provider):
 * Debian 13 packages, so the versions are Debian's, and nothing comes from an image registry.
 */
export async function ensureServicesImage(): Promise<string> {
	return ensureImage({
		name: 'services',
		from: await ensureBaseImage('trixie'),
		dockerfile: `RUN apt-get update -q \\
	&& DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \\
		pebble docker-registry nodejs ca-certificates curl \\
	&& apt-get clean && rm -rf /var/lib/apt/lists/*
`,
	});
}
