/** Example labs for the template tests: one per login type, as resolved configurations. */
import {labSettings, type SizeFacts} from '../../../source/templates/settings.js';
import type {LabInputs} from '../../../source/templates/lab-files.js';

const common = {
	domain: 'lab.example.org',
	'lab.root': '/srv/lab',
	'images.singleuser': 'quay.io/jupyter/scipy-notebook:2025-12-31',
	'images.hub': 'quay.io/jupyterhub/jupyterhub:5.4.6',
	'images.hubBuild': true,
	'images.nginx': 'nginx:1.28.0-alpine',
	'culler.timeout': 3600,
	'auth.clientId': 'client-id-123',
	'auth.allowedUsers': ['ada', 'grace'],
	'auth.allowedGroups': [],
	'auth.admins': ['ada'],
};

/** The resolved configurations, by login type. */
export const configs: Readonly<Record<string, Record<string, unknown>>> = {
	github: {...common, 'auth.type': 'github', 'auth.allowedGroups': ['my-lab-org']},
	gitlab: {...common, 'auth.type': 'gitlab', 'auth.gitlabUrl': 'https://gitlab.example.org', 'auth.caFile': './gitlab-ca.pem'},
	oidc: {
		...common,
		'auth.type': 'oidc',
		'auth.issuer': 'https://login.example.org/realms/lab',
		'auth.usernameClaim': 'preferred_username',
		'auth.groupsClaim': 'groups',
		'auth.clientAuth': 'post',
		'auth.allowedGroups': ['lab-members'],
		'auth.allowAll': false,
		'images.hubBuild': false,
		'images.hub': 'registry.example.org:5000/lab/hub:5.4.6',
		'limits.memory': '4G',
		'limits.cpu': 2,
	},
	// Issue 14: lab accounts, and two environments to pick from (the second with its own limits).
	local: {
		...common,
		'auth.type': 'local',
		'auth.clientId': undefined,
		'auth.allowedUsers': undefined,
		'auth.allowedGroups': undefined,
		'auth.signup': true,
		'auth.passwordMinLength': 10,
		'images.choices': [
			{name: 'SciPy', image: 'quay.io/jupyter/scipy-notebook:2025-12-31'},
			{name: 'R (large)', image: 'quay.io/jupyter/r-notebook:2025-12-31', memory: '12G', cpu: 3},
		],
	},
};

/** A 4-CPU, 16 GiB server. */
export const facts: SizeFacts = {cpus: 4, memory: 16 * 1024 ** 3};

/** The inputs of the lab files for one configuration. */
export function inputsFor(config: Record<string, unknown>): LabInputs {
	return {
		settings: labSettings(config, facts),
		secrets: {clientSecret: 'shh-very-secret', ...(config['auth.type'] === 'local' ? {adminPassword: 'admin-password-42'} : {})},
		images: {
			singleuser: String(config['images.singleuser']),
			choices: (config['images.choices'] as Array<{name: string; image: string}> | undefined)?.map(({name, image}) => ({name, image})),
			hub: String(config['images.hub']),
			hubBuild: config['images.hubBuild'] === true,
			nginx: String(config['images.nginx']),
		},
		loginCa: config['auth.caFile'] === undefined ? undefined : '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
	};
}
