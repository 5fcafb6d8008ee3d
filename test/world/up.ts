import {ensureAcme, type AcmeWorld} from './acme.js';
import {ensureBrowser} from './browser.js';
import {PREFIX, serviceHosts, type Service} from './config.js';
import {replaceARecord, resolveInWorld} from './dns.js';
import {containerRunning, docker, dockerExec, dockerMaybe} from './docker.js';
import {ensureChoiceImages} from './choice-images.js';
import {ensureLabImages} from './lab-images.js';
import {ensureOidc} from './oidc.js';
import {ensureRegistry, pushImages} from './registry.js';
import {ensureDockerEngine} from './docker-engine.js';
import {say, timed} from './log.js';
import {ensureNetwork, serviceAddress} from './network.js';
import {ensureServicesImage} from './services-image.js';
import {ensureSshKey} from './secrets.js';
import {ensureServerImage, variants} from './server-image.js';
import {pruneOrphanServers, serverIdentity, startServer, worldIdentity, type ServerEntry} from './server.js';
import {sshBanner} from './ssh-banner.js';
import {withUpLock} from './up-lock.js';
import {waitFor} from './wait.js';
import {ensureServiceCert, ensureWorldCa} from './world-ca.js';
import {readWorldIfAny, writeWorld, type World} from './world-file.js';

const defaultServerName = 'server-debian13';
const services = Object.keys(serviceHosts) as Service[];

/** Keeps the default server when it still runs the current image and answers; else starts it anew. */
async function ensureDefaultServer(previous: ServerEntry | undefined): Promise<ServerEntry> {
	const containerName = `${PREFIX}${defaultServerName}`;
	const image = await ensureServerImage('debian13');
	if (previous?.containerName === containerName && (await containerRunning(containerName))) {
		const runningImage = await docker(['container', 'inspect', '--format', '{{.Config.Image}}', containerName]);
		const answers = await sshBanner(previous.host, previous.port).then(
			() => true,
			() => false,
		);
		const ours = (await serverIdentity(containerName)) === (await worldIdentity());
		if (runningImage === image && answers && ours) return previous;
	}
	await dockerMaybe(['rm', '--force', '--volumes', containerName]);
	return startServer('debian13', {name: defaultServerName, keep: true});
}

/** The DNS answers with what was just set in it (bounded: a few tries). */
async function checkDns(dns: AcmeWorld['dns'], address: string): Promise<void> {
	const name = 'ready.world.test';
	await replaceARecord(dns.managementUrl, name, address);
	await waitFor('the world DNS to answer', async () => (await resolveInWorld(name, dns.server)).includes(address), {
		timeoutMs: 15_000,
		intervalMs: 500,
	});
}

/** A server reaches the registry over TLS, trusting the world CA from its own store. */
async function checkRegistryFromServer(server: ServerEntry, host: string): Promise<void> {
	await waitFor(
		'the registry from inside a server',
		async () => {
			const result = await dockerExec(server.containerName, `curl -fsS --max-time 5 https://${host}/v2/`);
			if (result.exitCode !== 0) throw new Error(String(result.stderr));
			return true;
		},
		{timeoutMs: 20_000, intervalMs: 500},
	);
}

/** Starts whatever part of the world is missing (idempotent) and writes .world/world.json. */
export function up(): Promise<World> {
	return withUpLock(upLocked);
}

async function upLocked(): Promise<World> {
	const started = Date.now();
	const previous = await readWorldIfAny();
	await timed('docker engine', ensureDockerEngine);
	const [network, key, caFile] = await Promise.all([ensureNetwork(), ensureSshKey(), ensureWorldCa()]);
	// The lab images take longest and nothing before the registry needs them: build them meanwhile
	// (image builds mostly wait on downloads, so two at a time pay off even on 2 cores).
	const labImagesBuilt = timed('lab images (hub, singleuser, nginx, renewer)', ensureLabImages);
	labImagesBuilt.catch(() => undefined); // awaited below; this only keeps an early failure from being "unhandled"
	// Build every variant now, so a test's startServer() never pays for an image build.
	await timed('server images', () => Promise.all(variants.map(ensureServerImage)));
	const pruned = await pruneOrphanServers();
	if (pruned > 0) say(`removed ${pruned} servers left by test runs that ended`);
	const server = await timed('default server (debian13)', () => ensureDefaultServer(previous?.server));
	const image = await timed('services image', ensureServicesImage);
	const cert = await ensureServiceCert(
		services.map(service => serviceAddress(network, service)),
		services.map(service => `${service}.world.test`),
	);
	const acme = await timed('pebble + DNS', async () => {
		const made = await ensureAcme(network, image, cert, caFile);
		await checkDns(made.dns, server.host);
		return made;
	});
	const built = await labImagesBuilt;
	// Issue 14: two more images on top of hub and singleuser (their own recipes; the others' tags stay).
	const labImages = {
		...built,
		...(await timed('choice images (hub-local, singleuser-second)', () => ensureChoiceImages(built.hub, built.singleuser))),
	};
	const registry = await timed('registry + push', async () => {
		const made = await ensureRegistry(network, image, cert, caFile);
		const names = await pushImages(made, caFile, labImages);
		await checkRegistryFromServer(server, made.host);
		return {host: made.host, caFile, images: names as NonNullable<World['registry']>['images']};
	});
	const oidc = await timed('OIDC provider', () => ensureOidc(network, image, cert, caFile));
	const browser = await timed('chromium', ensureBrowser);
	const world: World = {
		network,
		ssh: {keyPath: key.keyPath, publicKeyPath: `${key.keyPath}.pub`},
		caFile,
		servicesCertFile: cert.certFile,
		server,
		...acme,
		registry,
		oidc,
		browser,
	};
	await writeWorld(world);
	say(`world is up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	return world;
}
