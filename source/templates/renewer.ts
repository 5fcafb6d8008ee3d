/**
 * The renewer as it lands on the server: its files (from templates/renewer/, plus config.json made here),
 * where they go, and the commands that install and run it. Pure: the step uploads and runs them.
 */
import path from 'node:path/posix';
import {ifThen, pipe, quiet, shell, type Command} from '../remote/command.js';
import {makeLabFolder} from '../remote/commands/lab-folders.js';
import {readTemplate} from './template-files.js';

/** The systemd units of the renewer. */
export const renewerService = 'labbox-renewer.service';
export const renewerTimer = 'labbox-renewer.timer';
/**
 * The label run.sh gives the renewer's container: what labbox started on the server is recognised as its own,
 * never blamed on the user (issue 9 item 5).
 */
export const renewerLabel = 'labbox.role=renewer';
/** How long a run waits for a renewer an interrupted run left behind (its order is bounded by renew.mjs's timeouts). */
export const renewerWaitSeconds = 300;

/** The full ids of the renewer containers running now (none: nothing printed). */
export function runningRenewers(): Command {
	return quiet(['docker', 'ps', '--quiet', '--no-trunc', '--filter', `label=${renewerLabel}`]);
}

/** Waits until these renewer containers have ended, `renewerWaitSeconds` at most (then exit 124). */
export function waitForRenewers(ids: readonly string[]): Command {
	return ['timeout', String(renewerWaitSeconds), 'docker', 'wait', ...ids];
}

/** The image built on the server from templates/renewer/Dockerfile when certificate.renewerImage is not set. */
export const defaultRenewerImage = 'labbox-renewer:acme-client-5.4.0';

/** What the renewer needs to know; it reads it as /renewer/config.json inside its container. */
export interface RenewerSettings {
	readonly root: string;
	readonly domains: readonly string[];
	readonly email: string;
	readonly directoryUrl: string;
	readonly renewDays: number;
	/** The extra CA (PEM) to trust for the ACME server, if any. */
	readonly ca?: string;
	readonly image: string;
}

/** Where things live under the lab root. */
export function renewerPaths(root: string) {
	return {
		folder: path.join(root, 'renewer'),
		certs: path.join(root, 'certs'),
		fullchain: path.join(root, 'certs/fullchain.pem'),
		privkey: path.join(root, 'certs/privkey.pem'),
		status: path.join(root, 'certs/renewal.json'),
		accountKey: path.join(root, 'certs/acme/account.key'),
		webroot: path.join(root, 'acme-webroot'),
		runScript: path.join(root, 'renewer/run.sh'),
	};
}

// lab.root and image references are plain words (the config schema checks both); a unit file has no quoting.
function unitWord(value: string): string {
	if (!/^[A-Za-z0-9][A-Za-z0-9._:/@-]*$|^\/[A-Za-z0-9._/-]*$/.test(value)) {
		throw new Error(`${JSON.stringify(value)} cannot go into a systemd unit (plain words only)`);
	}
	return value;
}

/** The renewer's config.json (container paths: /certs, /webroot, /renewer). */
export function renewerConfig(settings: RenewerSettings): string {
	const config = {
		domains: settings.domains,
		email: settings.email,
		directoryUrl: settings.directoryUrl,
		renewDays: settings.renewDays,
		...(settings.ca ? {caFile: '/renewer/ca.pem'} : {}),
		certsDir: '/certs',
		webroot: '/webroot',
		accountKeyFile: '/certs/acme/account.key',
	};
	return `${JSON.stringify(config, null, '\t')}\n`;
}

/** Every file of the renewer: server path → content and mode. */
export function renewerFiles(settings: RenewerSettings): Array<{readonly path: string; readonly content: string; readonly mode: string}> {
	const folder = renewerPaths(settings.root).folder;
	const unit = readTemplate('renewer/labbox-renewer.service')
		.replaceAll('{{root}}', unitWord(settings.root))
		.replaceAll('{{image}}', unitWord(settings.image));
	return [
		{path: path.join(folder, 'renew.mjs'), content: readTemplate('renewer/renew.mjs'), mode: '0644'},
		{path: path.join(folder, 'run.sh'), content: readTemplate('renewer/run.sh'), mode: '0755'},
		{path: path.join(folder, 'Dockerfile'), content: readTemplate('renewer/Dockerfile'), mode: '0644'},
		{path: path.join(folder, 'config.json'), content: renewerConfig(settings), mode: '0644'},
		...(settings.ca ? [{path: path.join(folder, 'ca.pem'), content: settings.ca, mode: '0644'}] : []),
		{path: `/etc/systemd/system/${renewerService}`, content: unit, mode: '0644'},
		{path: `/etc/systemd/system/${renewerTimer}`, content: readTemplate('renewer/labbox-renewer.timer'), mode: '0644'},
	];
}

/**
 * The folders the certificate needs: certs (and its ACME part) private to root, the webroot readable by nginx.
 * The lab root first, recorded as labbox's own when this makes it (so homes may set its mode later: issue 9 item 2).
 */
export function certificateFolders(root: string): Command[] {
	const paths = renewerPaths(root);
	return [
		makeLabFolder(root, root),
		['install', '-d', '-m', '0755', paths.folder, paths.webroot],
		['install', '-d', '-m', '0700', paths.certs, path.dirname(paths.accountKey)],
	];
}

/** Runs the renewer now, as its timer would (with `force`: renew whatever the margin). */
export function runRenewer(root: string, image: string, force: boolean): Command {
	return ['sh', renewerPaths(root).runScript, root, image, ...(force ? ['--force'] : [])];
}

/** Gets the renewer image: pulled when configured, else built from the Dockerfile beside the renewer. */
export function getRenewerImage(root: string, image: string): Command {
	return image === defaultRenewerImage ? ['docker', 'build', '--tag', image, renewerPaths(root).folder] : ['docker', 'pull', image];
}

/** Reloads the lab's nginx when it runs, so it serves a new certificate (nothing before the stack exists). */
export function reloadNginxIfRunning(root: string): Command {
	const compose = ['docker', 'compose', '-f', path.join(root, 'compose.yaml')];
	const running = pipe(quiet([...compose, 'ps', '--status', 'running', '--services']), ['grep', '-qx', 'nginx']);
	return shell(ifThen(running, [...compose, 'exec', '-T', 'nginx', 'nginx', '-s', 'reload']));
}
