/**
 * What the lab's templates need, taken from the resolved configuration and the server's facts: one typed,
 * JSON-safe object. The hub reads it as settings.json; secrets are kept apart (they go to .env only).
 */
import path from 'node:path/posix';
import {fieldByKey} from '../config/fields.js';

/** What decides the images: from lab.yaml's images.* keys. */
export interface ImageSettings {
	readonly singleuser: string;
	/** images.choices (issue 14 item 2): every environment's image is pulled; empty: only `singleuser`. */
	readonly choices?: ReadonlyArray<{readonly name: string; readonly image: string}>;
	/** The hub's base (hubBuild) or the hub image itself. */
	readonly hub: string;
	readonly hubBuild: boolean;
	readonly nginx: string;
}

/** Per-user limits of notebook servers. */
export interface Limits {
	/** Docker's size syntax: `512M`, `4G`. */
	readonly memory: string;
	readonly cpu: number;
	/** Docker's pids limit: processes and threads of one notebook container (issue 9 item 13). */
	readonly pids: number;
}

/** The login, as jupyterhub_config.py reads it. */
export interface AuthSettings {
	readonly type: 'local' | 'github' | 'gitlab' | 'oidc';
	readonly clientId: string;
	/** GitHub Enterprise Server's URL, when auth.githubUrl is set (github.com otherwise). */
	readonly githubUrl: string | null;
	readonly gitlabUrl: string | null;
	readonly issuer: string | null;
	readonly usernameClaim: string;
	readonly groupsClaim: string;
	/** How the client secret reaches the OIDC token endpoint. */
	readonly clientAuth: 'basic' | 'post';
	readonly allowedUsers: readonly string[];
	readonly allowedGroups: readonly string[];
	readonly allowAll: boolean;
	readonly admins: readonly string[];
	/** The login CA as the hub sees it (inside its container), when auth.caFile is set. */
	readonly caFile: string | null;
	/** Lab accounts (type local, issue 14): people may sign up (the admin approves), and the shortest password. */
	readonly signup?: boolean;
	readonly passwordMinLength?: number;
}

/** One environment of images.choices (issue 14 item 2): its own limits, when given, replace limits.*. */
export interface Environment {
	readonly name: string;
	readonly image: string;
	readonly memory?: string;
	readonly cpu?: number;
}

/** settings.json: everything from lab.yaml the hub's configuration uses. */
export interface LabSettings {
	readonly domain: string;
	readonly root: string;
	/** With `choices`, each user picks one on the spawn page; `singleuser` is then the first choice's image. */
	readonly images: {readonly singleuser: string; readonly choices?: readonly Environment[]};
	readonly limits: Limits;
	readonly culler: {readonly timeout: number};
	readonly auth: AuthSettings;
}

/** The secrets of the stack (only in .env, 0600). */
export interface LabSecrets {
	readonly clientSecret: string;
	/** The admin's lab account password (auth.type local only: absent otherwise, so .env stays as it was). */
	readonly adminPassword?: string;
}

/** The server facts the defaults come from (the connect step's `facts`). */
export interface SizeFacts {
	readonly cpus?: number;
	readonly memory?: number;
}

const gib = 1024 ** 3;

/** Defaults sized to the server: half its memory and half its CPUs per user, at least 1G and 1 CPU. */
export function defaultLimits(facts: SizeFacts | undefined): Omit<Limits, 'pids'> {
	const memory = facts?.memory === undefined ? 2 : Math.max(1, Math.floor(facts.memory / gib / 2));
	const cpu = facts?.cpus === undefined ? 1 : Math.max(1, Math.floor(facts.cpus / 2));
	return {memory: `${memory}G`, cpu};
}

/** Where the login CA lands inside the hub container (./jupyterhub is mounted at /etc/labbox). */
export const loginCaInHub = '/etc/labbox/login-ca.pem';

const text = (value: unknown) => (value === undefined || value === null ? null : String(value));
const list = (value: unknown) => (Array.isArray(value) ? value.map(String) : []);

/** The settings of the lab from the flat configuration (lab.yaml keys) and the server's facts. */
export function labSettings(config: Readonly<Record<string, unknown>>, facts?: SizeFacts): LabSettings {
	const defaults = defaultLimits(facts);
	const type = String(config['auth.type']) as AuthSettings['type'];
	const choices = environments(config);
	return {
		domain: String(config.domain),
		root: String(config['lab.root']),
		images: choices.length > 0 ? {singleuser: choices[0]!.image, choices} : {singleuser: String(config['images.singleuser'])},
		limits: {
			memory: text(config['limits.memory']) ?? defaults.memory,
			cpu: config['limits.cpu'] === undefined ? defaults.cpu : Number(config['limits.cpu']),
			pids: Number(config['limits.pids'] ?? fieldByKey.get('limits.pids')?.defaultValue),
		},
		culler: {timeout: Number(config['culler.timeout'] ?? 3600)},
		auth: {
			type,
			clientId: text(config['auth.clientId']) ?? '',
			githubUrl: type === 'github' ? text(config['auth.githubUrl']) : null,
			gitlabUrl: type === 'gitlab' ? text(config['auth.gitlabUrl']) : null,
			issuer: type === 'oidc' ? text(config['auth.issuer']) : null,
			usernameClaim: text(config['auth.usernameClaim']) ?? 'preferred_username',
			groupsClaim: text(config['auth.groupsClaim']) ?? 'groups',
			clientAuth: config['auth.clientAuth'] === 'post' ? 'post' : 'basic',
			allowedUsers: list(config['auth.allowedUsers']),
			allowedGroups: list(config['auth.allowedGroups']),
			// Lab accounts: whoever the admin approved may log in (NativeAuthenticator refuses the rest), issue 14.
			allowAll: type === 'local' || (type === 'oidc' && config['auth.allowAll'] === true),
			admins: list(config['auth.admins']),
			caFile: config['auth.caFile'] === undefined ? null : loginCaInHub,
			...(type === 'local'
				? {signup: config['auth.signup'] !== false, passwordMinLength: Number(config['auth.passwordMinLength'] ?? 10)}
				: {}),
		},
	};
}

/** images.choices as given (empty when absent): the environments users pick from. */
export function environments(config: Readonly<Record<string, unknown>>): Environment[] {
	return Array.isArray(config['images.choices']) ? (config['images.choices'] as Environment[]) : [];
}

/** A lab-relative path on the server. */
export function onServer(root: string, file: string): string {
	return path.join(root, file);
}

/** The images.* keys of lab.yaml, for the images and stack steps. */
export function imageSettings(config: Readonly<Record<string, unknown>>): ImageSettings {
	return {
		singleuser: String(config['images.singleuser']),
		choices: environments(config).map(choice => ({name: choice.name, image: choice.image})),
		hub: String(config['images.hub']),
		hubBuild: config['images.hubBuild'] !== false,
		nginx: String(config['images.nginx']),
	};
}
