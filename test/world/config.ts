import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';

// Every Docker object the world creates carries this prefix (containers, network, volumes)
// or this label (images), so `down` removes exactly what the world made and nothing else.
// LABBOX_WORLD_INSTANCE=NAME runs a second, separate world beside the default one (its own
// network, containers, images and folder), e.g. to measure a cold `up` without disturbing tests.
const instance = process.env.LABBOX_WORLD_INSTANCE ?? '';
if (!/^[a-z0-9]*$/.test(instance)) throw new Error('LABBOX_WORLD_INSTANCE: lower-case letters and digits only');

export const PREFIX = instance ? `labbox-world-${instance}-` : 'labbox-world-';
export const LABEL = 'labbox-world';
export const NETWORK = `${PREFIX}net`;
export const IMAGE_REPO = instance ? `labbox-world-${instance}` : 'labbox-world';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const worldDir = instance ? join(repoRoot, '.world', 'instances', instance) : join(repoRoot, '.world');
export const worldFile = join(worldDir, 'world.json');

// Fixed host numbers of the world's services inside the world network (see network.ts); `web` is
// kept free (and in the services' certificate) for a test's own HTTPS service.
export const serviceHosts = {pebble: 10, dns: 11, registry: 12, oidc: 13, web: 14} as const;
// Services a test starts on demand (not by `up`, not in the services' certificate): the GitHub and GitLab stand-ins
// (issue 15) have a certificate of their own, so adding them changed nothing `up` runs.
export const standInHosts = {oauth: 20} as const;
export type Service = keyof typeof serviceHosts | keyof typeof standInHosts;

export const ports = {
	acme: 14000,
	acmeManagement: 15000,
	dns: 8053,
	dnsManagement: 8055,
	registry: 5000,
	oidc: 9443,
	githubStandIn: 9444,
	gitlabStandIn: 9445,
} as const;
