/**
 * The files that land in `${lab.root}`, rendered locally (kamal ERB → StringIO): compose.yaml, the hub's
 * configuration, settings and Dockerfile, nginx's site, and .env with the secrets. Pure: templates and
 * values in, file contents out; the stack step compares and uploads them.
 */
import {createHash} from 'node:crypto';
import path from 'node:path/posix';
import type {DesiredFile} from '../remote/file-sync.js';
import {dotenvJson} from './escape.js';
import {notebookNetwork} from './notebook-network.js';
import {renderTemplate} from './render.js';
import type {ImageSettings, LabSecrets, LabSettings} from './settings.js';
import {readTemplate} from './template-files.js';

/** One file of the lab, relative to `${lab.root}`. */
export interface LabFile {
	readonly path: string;
	readonly content: string;
	/** Octal: `0600` for anything holding a secret. */
	readonly mode: string;
}

/** The owner of every file of the lab. */
export const fileOwner = '0:0';

/** The lab's files placed under `root` on the server, root's own, each with its mode. */
export function placeFiles(root: string, files: readonly LabFile[]): DesiredFile[] {
	return files.map(file => ({path: path.join(root, file.path), content: file.content, mode: file.mode, owner: fileOwner}));
}

/** Everything the lab's files are made from. */
export interface LabInputs {
	readonly settings: LabSettings;
	readonly secrets: LabSecrets;
	readonly images: ImageSettings;
	/** The login CA's PEM (auth.caFile's content), if any. */
	readonly loginCa?: string;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The hub's Dockerfile, FROM the configured base. */
export function hubDockerfile(images: ImageSettings): string {
	return renderTemplate('jupyterhub/Dockerfile', readTemplate('jupyterhub/Dockerfile'), {hubBase: images.hub});
}

/** The hub image the stack runs: built here and tagged by its Dockerfile's hash, or the configured one as is. */
export function hubImage(images: ImageSettings): string {
	return images.hubBuild ? `labbox-hub:${sha256(hubDockerfile(images)).slice(0, 12)}` : images.hub;
}

/** Renders every file of the lab. */
export function labFiles(inputs: LabInputs): LabFile[] {
	const {settings, secrets, images, loginCa} = inputs;
	const hub: LabFile[] = [
		{path: 'jupyterhub/jupyterhub_config.py', content: readTemplate('jupyterhub/jupyterhub_config.py'), mode: '0644'},
		{path: 'jupyterhub/settings.json', content: `${JSON.stringify(settings, null, '\t')}\n`, mode: '0644'},
		// labbox's client of the hub's API (issue 9 item 4): run by the stack step, never read by the hub itself.
		{path: 'jupyterhub/hub_users.py', content: readTemplate('jupyterhub/hub_users.py'), mode: '0644'},
		...(images.hubBuild ? [{path: 'jupyterhub/Dockerfile', content: hubDockerfile(images), mode: '0644'}] : []),
		...(loginCa === undefined ? [] : [{path: 'jupyterhub/login-ca.pem', content: loginCa, mode: '0644'}]),
	];
	const nginx: LabFile = {
		path: 'nginx/lab.conf',
		content: renderTemplate('nginx/lab.conf', readTemplate('nginx/lab.conf'), {domain: settings.domain}),
		mode: '0644',
	};
	const compose = renderTemplate('compose.yaml', readTemplate('compose.yaml'), {
		nginxImage: images.nginx,
		hubImage: hubImage(images),
		homesVolume: `./homes:${settings.root}/homes`,
		// Left out: the hub's Dockerfile (a new one means a new image tag, which already recreates the hub) and
		// hub_users.py (the hub never reads it).
		hubConfigHash: sha256(
			hub
				.filter(file => !file.path.endsWith('Dockerfile') && !file.path.endsWith('hub_users.py'))
				.map(file => file.content)
				.join('\0'),
		).slice(0, 16),
		nginxConfigHash: sha256(nginx.content).slice(0, 16),
		hubAddress: notebookNetwork.hub,
		notebooksName: notebookNetwork.name,
		notebooksBridge: notebookNetwork.bridge,
		notebooksSubnet: notebookNetwork.subnet,
		notebooksRange: notebookNetwork.range,
	});
	return [
		{path: 'compose.yaml', content: compose, mode: '0644'},
		{
			path: '.env',
			content: `# Secrets of the lab's hub (base64 JSON), written by labbox.\n${dotenvJson('LABBOX_SECRETS', secrets)}\n`,
			mode: '0600',
		},
		...hub,
		nginx,
	];
}

/** The folders the files go into, relative to `${lab.root}`. */
export function labFolders(): string[] {
	return ['jupyterhub', 'nginx', 'acme-webroot'];
}
