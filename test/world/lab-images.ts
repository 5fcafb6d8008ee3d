import {mkdir, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {execa} from 'execa';
import {existsSync} from 'node:fs';
import {worldDir} from './config.js';
import {ensureBaseImage} from './base-image.js';
import {ensureImage} from './image-build.js';
import {recipeHash} from './recipe-hash.js';
import {ensureWheels} from './wheels.js';

// The versions of the world's default images (world.json): the product's pins before issue 13. They stay, as
// every worktree's tests and `labbox upgrade`'s e2e (a lab set up with them) use them; a changed recipe here would
// rebuild and retag the images everybody uses.
export const versions = {
	jupyterhub: '5.4.6',
	jupyterlab: '4.5.0',
	dockerspawner: '14.0.0',
	oauthenticator: '17.3.0',
	idleCuller: '1.4.0',
	acmeClient: '5.4.0',
} as const;

// The versions the product pins now (issue 13, "Current versions": templates/jupyterhub/Dockerfile, images.*),
// built beside the defaults under tags of their own (current-images.ts). JupyterHub stays 5.4.6: NativeAuthenticator
// 1.3.0 (lab accounts) fails on JupyterHub 6 (source/config/fields.ts, images.hub).
export const currentVersions = {
	...versions,
	jupyterlab: '4.6.6',
	oauthenticator: '17.4.0',
	idleCuller: '2.0.0',
} as const;

// A JupyterHub 6 hub with the current extras: only the base of hub-broken (a newer hub that upgrades the database).
export const nextHubVersions = {...currentVersions, jupyterhub: '6.1.1'} as const;

export type LabVersions = typeof versions | typeof currentVersions | typeof nextHubVersions;

export interface LabImage {
	/** Repository in the world registry, e.g. `labbox/hub`. */
	repository: string;
	/** The local image tag built here. */
	local: string;
	/** Tag in the registry: the version plus the recipe hash, so a new recipe is a new tag. */
	tag: string;
}

const apt = (packages: string) => `RUN apt-get update -q \\
	&& DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends ${packages} \\
	&& apt-get clean && rm -rf /var/lib/apt/lists/*
`;

// A venv on Debian's Python 3.13, filled only from the wheels in the build context (no index).
const venvFromWheels = (requirements: string[]) => `${apt('python3 python3-venv ca-certificates')}COPY wheels /tmp/wheels
RUN python3 -m venv /opt/venv \\
	&& /opt/venv/bin/pip install --no-cache-dir --no-index --find-links /tmp/wheels ${requirements.join(' ')} \\
	&& rm -rf /tmp/wheels
ENV PATH=/opt/venv/bin:$PATH
`;

export function tagOf(local: string, version: string): string {
	return `${version}-${local.split(':').pop()}`;
}

/** The renewer's node_modules: acme-client as npm installs it (the same version the product uses). */
async function renewerModules(): Promise<{dir: string; key: string}> {
	const key = recipeHash('renewer-modules', versions.acmeClient);
	const dir = join(worldDir, 'npm', key);
	if (!existsSync(join(dir, 'node_modules', 'acme-client'))) {
		await mkdir(dir, {recursive: true});
		const manifest = {name: 'labbox-renewer', private: true, dependencies: {'acme-client': versions.acmeClient}};
		await writeFile(join(dir, 'package.json'), JSON.stringify(manifest));
		await execa('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', '--ignore-scripts'], {cwd: dir});
	}
	return {dir: join(dir, 'node_modules'), key};
}

const hubRequirements = (v: LabVersions) => [`jupyterhub==${v.jupyterhub}`];
const hubExtras = (v: LabVersions) => [
	`dockerspawner==${v.dockerspawner}`,
	`oauthenticator==${v.oauthenticator}`,
	`jupyterhub-idle-culler==${v.idleCuller}`,
];
const singleuserRequirements = (v: LabVersions) => [`jupyterhub==${v.jupyterhub}`, `jupyterlab==${v.jupyterlab}`];

const wheelsFolder = (wheels: {dir: string; key: string}) => ({src: async () => wheels.dir, dest: 'wheels', key: wheels.key});

/** hub-base and hub at these versions (the recipe text depends on nothing else, so the defaults keep their tags). */
export async function hubImages(base: string, v: LabVersions = versions): Promise<[string, string]> {
	const [hubWheels, hubExtraWheels] = await Promise.all([
		ensureWheels(hubRequirements(v)),
		ensureWheels([...hubRequirements(v), ...hubExtras(v)]),
	]);
	const hubBase = await ensureImage({
		name: 'hub-base',
		from: base,
		dockerfile: `${apt('node-configurable-http-proxy')}${venvFromWheels(hubRequirements(v))}WORKDIR /srv/jupyterhub
EXPOSE 8000
CMD ["jupyterhub"]
`,
		folder: wheelsFolder(hubWheels),
	});
	const hub = await ensureImage({
		name: 'hub',
		from: hubBase,
		dockerfile: `COPY wheels /tmp/wheels
RUN pip install --no-cache-dir --no-index --find-links /tmp/wheels ${hubExtras(v).join(' ')} && rm -rf /tmp/wheels
`,
		folder: wheelsFolder(hubExtraWheels),
	});
	return [hubBase, hub];
}

/** singleuser (JupyterLab + jupyterhub-singleuser) at these versions. */
export async function singleuserImage(base: string, v: LabVersions = versions): Promise<string> {
	return ensureImage({
		name: 'singleuser',
		from: base,
		dockerfile: `${venvFromWheels(singleuserRequirements(v))}RUN useradd --create-home --uid 1000 --gid 100 jovyan
USER 1000
WORKDIR /home/jovyan
EXPOSE 8888
CMD ["jupyterhub-singleuser"]
`,
		folder: wheelsFolder(await ensureWheels(singleuserRequirements(v))),
	});
}

function nginxImage(base: string): Promise<string> {
	return ensureImage({
		name: 'nginx',
		from: base,
		// Like the official image: configuration from conf.d only, logs to the container's output.
		dockerfile: `${apt('nginx ca-certificates')}RUN rm -f /etc/nginx/sites-enabled/default \\
	&& ln -sf /dev/stdout /var/log/nginx/access.log && ln -sf /dev/stderr /var/log/nginx/error.log
EXPOSE 80 443
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
`,
	});
}

async function renewerImage(base: string): Promise<string> {
	const modules = await renewerModules();
	return ensureImage({
		name: 'renewer',
		from: base,
		dockerfile: `${apt('nodejs ca-certificates')}COPY node_modules /opt/renewer/node_modules
ENV NODE_PATH=/opt/renewer/node_modules
WORKDIR /opt/renewer
CMD ["node", "--version"]
`,
		folder: {src: async () => modules.dir, dest: 'node_modules', key: modules.key},
	});
}

/**
 * The images the lab's stack needs, from the Debian base plus Debian packages and PyPI wheels:
 * hub-base (JupyterHub + configurable-http-proxy, for a hub the wizard builds on top), hub (with
 * dockerspawner, oauthenticator and the idle culler), singleuser (JupyterLab +
 * jupyterhub-singleuser), nginx, and the certificate renewer (node + acme-client).
 */
export async function ensureLabImages(): Promise<Record<'hubBase' | 'hub' | 'singleuser' | 'nginx' | 'renewer', LabImage>> {
	const base = await ensureBaseImage('trixie');
	// Independent builds, side by side: they mostly wait on downloads and file copies.
	const [[hubBase, hub], singleuser, nginx, renewer] = await Promise.all([
		hubImages(base),
		singleuserImage(base),
		nginxImage(base),
		renewerImage(base),
	]);
	const image = (repository: string, local: string, version: string): LabImage => ({
		repository,
		local,
		tag: tagOf(local, version),
	});
	return {
		hubBase: image('labbox/hub-base', hubBase, versions.jupyterhub),
		hub: image('labbox/hub', hub, versions.jupyterhub),
		singleuser: image('labbox/singleuser', singleuser, versions.jupyterlab),
		nginx: image('labbox/nginx', nginx, 'debian13'),
		renewer: image('labbox/renewer', renewer, versions.acmeClient),
	};
}
