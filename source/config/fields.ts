import {z} from 'zod';
import {labRootProblem} from './lab-root.js';
import {groupNameProblem, userNameProblem} from './names.js';
import {webUrlProblem} from './urls.js';
import {backingUp, repositoryKind, repositoryProblem} from '../backup/repository.js';

/** The resolved configuration: flat, by lab.yaml key (`server.host`), values already parsed. */
export type Config = Record<string, unknown>;

/**
 * One configuration key: the single source for its lab.yaml entry, flag, LABBOX_* variable and wizard question.
 * Everything else (the CLI's options, the env names, the questions, the README table) is derived from these.
 */
export interface Field {
	/** lab.yaml key, dotted: `server.host` is `server: {host: ...}`. */
	readonly key: string;
	/** One line: what it is (used in --help and error messages). */
	readonly description: string;
	/** What a valid value looks like, in words. */
	readonly expected: string;
	readonly example: string;
	/** Validates a parsed value. */
	readonly schema: z.ZodType;
	/** How a string (from a flag, a variable or an answer) becomes a value. */
	readonly parse?: 'number' | 'boolean' | 'list';
	/** Tidies a pasted string before it is checked (a URL pasted as the domain). */
	readonly tidy?: (text: string) => string;
	readonly defaultValue?: unknown;
	/** What the local file the value names must hold, checked when the configuration is read (certificate-files.ts). */
	readonly content?: 'certificates';
	/** Never stored in lab.yaml; redacted everywhere. */
	readonly secret?: boolean;
	/** Whether the key applies to this configuration at all (e.g. only for one login type). */
	readonly when?: (config: Config) => boolean;
	/** Whether a value is needed (after defaults) when the key applies. */
	readonly required?: boolean;
	/** The wizard asks for it when no source gave it. */
	readonly ask?: {
		readonly message: string;
		readonly kind: 'text' | 'secret' | 'select' | 'confirm';
		readonly choices?: ReadonlyArray<{readonly label: string; readonly value: string}>;
		readonly help?: (config: Config) => string;
		/** Not asked when this holds: the answer would not matter (the default stays). */
		readonly unless?: (config: Config) => boolean;
	};
}

const hostname = /^(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z][A-Za-z0-9-]{0,62}$/;
// An address, a DNS name or a ~/.ssh/config alias.
const serverName = /^[A-Za-z0-9_.:[\]-]{1,253}$/;
const port = z.number().int().min(1).max(65_535);
/** A schema with a rule of its own whose message says what is wrong and the fix (shown by resolve.ts checkValue). */
function explained<T extends z.ZodType>(schema: T, problem: (value: z.output<T>) => string | undefined) {
	return schema.superRefine((value, context) => {
		const message = problem(value);
		if (message !== undefined) {
			context.addIssue({code: 'custom', message});
		}
	});
}
const userNames = z.array(explained(z.string(), userNameProblem));
const groupNames = z.array(explained(z.string(), groupNameProblem));
/** An https URL (http only for localhost when `localHttp`), without control characters or credentials. */
const webUrl = (localHttp: boolean) => explained(z.string(), value => webUrlProblem(value, {localHttp}));
// Image references as Docker writes them: registry[:port]/path:tag or @digest; nothing a template could misread.
const imageRef = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._/:@-]{0,254}$/);
const claimName = /^[A-Za-z_][A-Za-z0-9_.:-]{0,99}$/;
const memorySize = z.string().regex(/^\d{1,6}(\.\d{1,3})?[MG]$/);
// Issue 14 item 2: an environment's name is shown on the spawn page (DockerSpawner writes it into HTML as is).
const environment = z.strictObject({
	name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 ._+()-]{0,63}$/),
	image: imageRef,
	memory: memorySize.optional(),
	cpu: z.number().positive().max(1024).optional(),
});
const environments = explained(z.array(environment).min(1).max(20), list => {
	const names = list.map(item => item.name.toLowerCase());
	const twice = names.find((name, index) => names.indexOf(name) !== index);
	return twice === undefined ? undefined : `the name ${JSON.stringify(twice)} is given twice; each environment needs its own name`;
});
const authIs =
	(...types: string[]) =>
	(config: Config) =>
		types.includes(String(config['auth.type']));
/** A login through a provider (an OAuth app): every type but `local` (issue 14). */
const oauth = (config: Config) => config['auth.type'] !== undefined && config['auth.type'] !== 'local';
const certIs = (mode: string) => (config: Config) => config['certificate.mode'] === mode;

// Issue 10 item 6: "Let's Encrypt" silently meant the staging CA; the wizard now asks, saying what each means.
const stagingQuestion: Field['ask'] = {
	message: "Which Let's Encrypt certificate?",
	kind: 'select',
	choices: [
		{label: 'Trial (browsers warn; retries cost nothing)', value: 'true'},
		{label: 'Trusted by browsers (5 a week per name)', value: 'false'},
	],
	help: () =>
		"A trial certificate comes from Let's Encrypt's staging CA: browsers show a warning before the lab. A trusted one is what researchers need; Let's Encrypt issues at most 5 a week for one name.",
	unless: config => config['certificate.directoryUrl'] !== undefined,
};

// Issue 14: local first, for a team without a provider; one line each on what the choice means.
const loginChoices = [
	{label: 'Lab accounts: people sign up, you approve them (no provider needed)', value: 'local'},
	{label: 'GitHub accounts (you register an OAuth app at GitHub)', value: 'github'},
	{label: 'GitLab accounts, gitlab.com or your own (an OAuth app there)', value: 'gitlab'},
	{label: 'OpenID Connect: Keycloak, Google, … (a client at your provider)', value: 'oidc'},
];

const localAdminHelp =
	'Name one admin: labbox creates that lab account itself, with the password asked next. Make others admins in /hub/admin once they have signed up.';

/**
 * `https://Lab.Example.org/hub/` pasted as the lab's name is `lab.example.org` (issue 10 item 16): DNS names are
 * case-blind, but the URLs the lab hands out (the OAuth callback registered at the provider) are compared as text.
 */
const pastedName = (text: string) =>
	text
		.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
		.replace(/[/?#].*$/, '')
		.replace(/\.$/, '')
		.toLowerCase();

const fieldList = [
	{
		key: 'server.host',
		description: 'The server: an address, a DNS name or a ~/.ssh/config alias',
		expected: 'a host name, an IP address or an SSH alias',
		example: 'lab.example.org',
		schema: z.string().regex(serverName),
		required: true,
		ask: {message: 'Server address (or ~/.ssh/config alias)', kind: 'text'},
	},
	{
		key: 'server.port',
		description: "SSH port to connect on (default: the ~/.ssh/config alias's, else 22)",
		expected: 'a whole number from 1 to 65535',
		example: '22',
		schema: port,
		parse: 'number',
	},
	{
		key: 'server.user',
		description: "SSH user, root or a sudo user (default: the ~/.ssh/config alias's, else root)",
		expected: 'a Unix user name',
		example: 'ubuntu',
		schema: z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/),
		ask: {message: 'SSH user (root or a sudo user)', kind: 'text'},
	},
	{
		key: 'server.identityFile',
		description: 'Private key file to log in with (default: the SSH agent, then ~/.ssh/id_*)',
		expected: 'a path to a private key file',
		example: '~/.ssh/id_ed25519',
		schema: z.string().min(1),
	},
	{
		key: 'server.hostKey',
		description: "The server's host key fingerprint, pinned (needed with --yes when known_hosts lacks it)",
		expected: 'SHA256: followed by 43 base64 characters',
		example: 'SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s',
		schema: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/),
	},
	{
		key: 'server.keyPassphrase',
		description: 'Passphrase of the private key, when it is encrypted (asked otherwise)',
		expected: 'the passphrase',
		example: '(from the environment or secrets.env)',
		schema: z.string().min(1),
		secret: true,
	},
	{
		key: 'server.password',
		description: 'SSH password, when no key is used',
		expected: 'the password',
		example: '(from the environment or secrets.env)',
		schema: z.string().min(1),
		secret: true,
	},
	{
		key: 'server.sudoPassword',
		description: "The SSH user's sudo password, when sudo asks for one",
		expected: 'the password',
		example: '(from the environment or secrets.env)',
		schema: z.string().min(1),
		secret: true,
	},
	// The port sshd moves TO; the one to connect on is server.port (issue 10 item 11). 80 and 443 are the lab's.
	{
		key: 'ssh.port',
		description: 'The port sshd is moved to (22 keeps it where it is)',
		expected: 'a whole number from 1 to 65535, not 80 or 443',
		example: '2222',
		schema: explained(port, value => ([80, 443].includes(value) ? `port ${value} is the lab's web server's` : undefined)),
		parse: 'number',
		defaultValue: 22,
		ask: {
			message: 'Move sshd to which port? (22 keeps it where it is)',
			kind: 'text',
			help: config => `You connect on ${String(config['server.port'] ?? 22)} now; another port cuts bot noise.`,
		},
	},
	// Asked in the wizard, before the plan, when sshd moves: never in the middle of a run (issue 10 item 9).
	{
		key: 'ssh.closeOldPort',
		description: 'Close the old SSH port once the new one is proven to work',
		expected: 'true or false',
		example: 'true',
		schema: z.boolean(),
		parse: 'boolean',
		defaultValue: false,
		ask: {
			message: 'Close the old SSH port once a login on the new one works?',
			kind: 'confirm',
			help: config => `Only after labbox has logged in on port ${String(config['ssh.port'])}; until then the old port stays open.`,
			unless: config => config['ssh.port'] === undefined || [22, Number(config['server.port'] ?? 22)].includes(Number(config['ssh.port'])),
		},
	},
	{
		key: 'domain',
		description: "The lab's DNS name",
		expected: 'a fully qualified DNS name',
		example: 'lab.example.org',
		schema: z.string().regex(hostname),
		tidy: pastedName,
		required: true,
		ask: {message: "The lab's DNS name", kind: 'text'},
	},
	{
		key: 'lab.root',
		description: 'Where the lab lives on the server: a folder of its own, never a system folder such as /tmp, /home or /var',
		expected: 'an absolute path of a folder of its own',
		example: '/srv/lab',
		schema: explained(z.string().regex(/^\/[A-Za-z0-9_./-]*$/), labRootProblem),
		defaultValue: '/srv/lab',
	},
	{
		key: 'lab.adoptFolders',
		description:
			'Let labbox set the owner and mode of folders under lab.root that it did not create (otherwise it asks, and under --yes stops)',
		expected: 'true or false',
		example: 'true',
		schema: z.boolean(),
		parse: 'boolean',
		defaultValue: false,
	},
	{
		key: 'docker.source',
		description:
			"Where Docker comes from: the distribution's packages (Debian 13, Ubuntu) or Docker's apt repository (needs docker.repository)",
		expected: 'distro or official',
		example: 'distro',
		schema: z.enum(['official', 'distro']),
		defaultValue: 'distro',
	},
	{
		key: 'docker.repository',
		description: "Docker's apt repository for your distribution, as Docker's install guide gives it (with docker.source official)",
		expected: 'an https URL',
		example: 'https://docker-apt.example.org/linux/debian',
		schema: webUrl(false),
		when: config => config['docker.source'] === 'official',
	},
	{
		key: 'dns.resolvers',
		description: 'DNS servers to check the name with (default: public resolvers and the system)',
		expected: 'a list of IP addresses, optionally with :port',
		example: '1.1.1.1, 8.8.8.8',
		schema: z.array(z.string().regex(/^[0-9a-fA-F.:[\]]+$/)),
		parse: 'list',
	},
	{
		key: 'dns.waitSeconds',
		description: 'How long to wait for a DNS record under --yes',
		expected: 'a whole number of seconds',
		example: '600',
		schema: z.number().int().min(0),
		parse: 'number',
		defaultValue: 600,
	},
	{
		key: 'dns.subdomains',
		description: 'The lab gives each user a subdomain, so *.NAME must resolve to the server too (and the certificate covers it)',
		expected: 'true or false',
		example: 'false',
		schema: z.boolean(),
		parse: 'boolean',
		defaultValue: false,
	},
	{
		key: 'dns.address',
		description: "The address the lab's name must point to (default: the one labbox reaches the server at; set it behind NAT)",
		expected: 'an IPv4 or IPv6 address',
		example: '203.0.113.7',
		schema: z.union([z.ipv4(), z.ipv6()]),
	},
	{
		key: 'certificate.mode',
		description: "Where the lab's certificate comes from",
		expected: 'letsencrypt, self-signed or existing',
		example: 'letsencrypt',
		schema: z.enum(['letsencrypt', 'self-signed', 'existing']),
		defaultValue: 'letsencrypt',
		ask: {
			message: 'Certificate',
			kind: 'select',
			choices: [
				{label: "Let's Encrypt (free, renews itself)", value: 'letsencrypt'},
				{label: 'Self-signed (browsers warn)', value: 'self-signed'},
				{label: 'My own certificate files', value: 'existing'},
			],
		},
	},
	{
		key: 'certificate.email',
		description: 'Contact email for the ACME account (expiry warnings)',
		expected: 'an email address',
		example: 'you@example.org',
		schema: z.email(),
		when: certIs('letsencrypt'),
		required: true,
		ask: {message: "Email for Let's Encrypt (expiry warnings)", kind: 'text'},
	},
	{
		key: 'certificate.staging',
		description: "Use Let's Encrypt's staging CA (untrusted certificates, for a first try)",
		expected: 'true or false',
		example: 'false',
		schema: z.boolean(),
		parse: 'boolean',
		defaultValue: true,
		when: certIs('letsencrypt'),
		ask: stagingQuestion,
	},
	{
		key: 'certificate.directoryUrl',
		description: "ACME directory URL (default: Let's Encrypt, staging or production)",
		expected: 'an https URL',
		example: 'https://acme.example.org/directory',
		schema: webUrl(false),
		when: certIs('letsencrypt'),
	},
	{
		key: 'certificate.caFile',
		description: 'Extra CA certificate (PEM) to trust for the ACME server',
		expected: 'a path to a PEM file of certificates only',
		example: './acme-ca.pem',
		schema: z.string().min(1),
		content: 'certificates',
		when: certIs('letsencrypt'),
	},
	{
		key: 'certificate.certFile',
		description: 'Your certificate chain (PEM), with certificate.mode existing',
		expected: 'a path to a PEM file of certificates only (the key goes in certificate.keyFile)',
		example: './fullchain.pem',
		schema: z.string().min(1),
		content: 'certificates',
		when: certIs('existing'),
		required: true,
		ask: {message: 'Certificate chain file (PEM)', kind: 'text'},
	},
	{
		key: 'certificate.keyFile',
		description: 'Your private key (PEM), with certificate.mode existing',
		expected: 'a path to a PEM file',
		example: './privkey.pem',
		schema: z.string().min(1),
		when: certIs('existing'),
		required: true,
		ask: {message: 'Private key file (PEM)', kind: 'text'},
	},
	{
		key: 'certificate.renewDays',
		description: 'Renew when fewer days than this are left',
		expected: 'a whole number of days from 1 to 60',
		example: '30',
		schema: z.number().int().min(1).max(60),
		parse: 'number',
		defaultValue: 30,
	},
	{
		key: 'certificate.renewerImage',
		description:
			"Docker image that renews the certificate on the server (Node.js with acme-client; default: built on the server from labbox's Dockerfile)",
		expected: 'an image reference',
		example: 'registry.example.org/labbox/renewer:1',
		schema: z.string().regex(/^[a-z0-9][a-z0-9._/:@-]{0,254}$/),
		when: certIs('letsencrypt'),
	},
	{
		key: 'auth.type',
		description: 'How researchers log in: local (accounts in the lab, no provider needed), github, gitlab or oidc',
		expected: 'local, github, gitlab or oidc',
		example: 'local',
		schema: z.enum(['local', 'github', 'gitlab', 'oidc']),
		required: true,
		ask: {message: 'Login with', kind: 'select', choices: loginChoices},
	},
	// GitHub Enterprise Server: oauthenticator's github_url; its API is then URL/api/v3 (issue 15).
	{
		key: 'auth.githubUrl',
		description: 'Your GitHub Enterprise Server (default: github.com)',
		expected: 'an https URL (http only for localhost)',
		example: 'https://github.example.org',
		schema: webUrl(true),
		when: authIs('github'),
	},
	{
		key: 'auth.gitlabUrl',
		description: 'Your GitLab',
		expected: 'an https URL (http only for localhost)',
		example: 'https://gitlab.example.org',
		schema: webUrl(true),
		defaultValue: 'https://gitlab.com',
		when: authIs('gitlab'),
		ask: {message: 'GitLab URL', kind: 'text'},
	},
	{
		key: 'auth.issuer',
		description: 'OpenID Connect issuer (its /.well-known/openid-configuration is read)',
		expected: 'an https URL (http only for localhost)',
		example: 'https://login.example.org/realms/lab',
		schema: webUrl(true),
		when: authIs('oidc'),
		required: true,
		ask: {message: 'OpenID Connect issuer URL', kind: 'text'},
	},
	{
		key: 'auth.clientId',
		description: 'OAuth client id',
		expected: 'the client id your provider gave',
		example: 'Iv1.0123456789abcdef',
		schema: z.string().regex(/^[\x21-\x7e]{1,200}$/),
		when: oauth,
		required: true,
		ask: {message: 'OAuth client id', kind: 'text', help: config => oauthHelp(config)},
	},
	{
		key: 'auth.clientSecret',
		description: 'OAuth client secret',
		expected: 'the client secret your provider gave',
		example: '(from the environment or secrets.env)',
		schema: z.string().min(1),
		secret: true,
		when: oauth,
		required: true,
		ask: {message: 'OAuth client secret', kind: 'secret'},
	},
	// Groups are asked before users, so the empty-allow-list error appears at the users question, where the fix is (issue 10 item 17).
	{
		key: 'auth.allowedGroups',
		description: 'GitHub organisations, GitLab groups or OIDC groups whose members may log in',
		expected: 'a list of group names (letters, digits and . _ @ / + : -, not starting with -)',
		example: 'my-lab-org',
		schema: groupNames,
		parse: 'list',
		defaultValue: [],
		when: oauth,
		ask: {message: 'Allowed organisations/groups (comma-separated, may be empty)', kind: 'text'},
	},
	{
		key: 'auth.allowedUsers',
		description: 'User names allowed to log in',
		expected: 'a list of user names (letters, digits and . _ @ + -, starting with a letter or digit)',
		example: 'ada, grace',
		schema: userNames,
		parse: 'list',
		defaultValue: [],
		when: oauth,
		ask: {message: 'Allowed users (comma-separated; needed unless a group was given)', kind: 'text'},
	},
	{
		key: 'auth.allowAll',
		description: 'Let anyone the OIDC provider authenticates in (only for a provider you run)',
		expected: 'true or false',
		example: 'false',
		schema: z.boolean(),
		parse: 'boolean',
		defaultValue: false,
		when: authIs('oidc'),
	},
	{
		key: 'auth.admins',
		description: 'User names who administer the hub',
		expected: 'a list of user names (letters, digits and . _ @ + -, starting with a letter or digit)',
		example: 'ada',
		schema: userNames,
		parse: 'list',
		defaultValue: [],
		when: config => config['auth.type'] !== undefined,
		ask: {
			// The message holds for every login; the help says what each needs (lab accounts: exactly one admin).
			message: 'Hub admins (comma-separated)',
			kind: 'text',
			help: config =>
				config['auth.type'] === 'local' ? localAdminHelp : 'May be empty: admins can be made later in lab.yaml or at /hub/admin.',
		},
	},
	// Issue 14: the owner's own account, made by labbox before anyone can sign up under the admin's name; set again only when this secret changes.
	{
		key: 'auth.adminPassword',
		description: "Password of the admin's lab account (auth.type local: labbox creates that account, named in auth.admins)",
		expected: 'a password of 10 to 72 characters (auth.passwordMinLength sets the least)',
		example: '(from the environment or secrets.env)',
		schema: z.string().min(8).max(72),
		secret: true,
		when: authIs('local'),
		required: true,
		ask: {message: "Password for the admin's lab account", kind: 'secret'},
	},
	{
		key: 'auth.signup',
		description:
			"Let people sign up on the lab's login page (an admin approves each in /hub/authorize or with labbox users approve); false: accounts are made only with labbox users add NAME",
		expected: 'true or false',
		example: 'true',
		schema: z.boolean(),
		parse: 'boolean',
		defaultValue: true,
		when: authIs('local'),
		ask: {message: "Let people sign up on the lab's login page? (an admin approves each one)", kind: 'confirm'},
	},
	{
		key: 'auth.passwordMinLength',
		description: 'Shortest password a lab account may have (auth.type local); common passwords are refused whatever their length',
		expected: 'a whole number from 8 to 72',
		example: '10',
		schema: z.number().int().min(8).max(72),
		parse: 'number',
		defaultValue: 10,
		when: authIs('local'),
	},
	{
		key: 'auth.caFile',
		description:
			'Extra CA certificate (PEM) the hub trusts when it talks to a GitHub Enterprise Server, a self-hosted GitLab or an OIDC provider',
		expected: 'a path to a PEM file of certificates only',
		example: './login-ca.pem',
		schema: z.string().min(1),
		content: 'certificates',
		when: authIs('github', 'gitlab', 'oidc'),
	},
	{
		key: 'auth.clientAuth',
		description:
			'How the hub sends the client secret to the OIDC token endpoint: as HTTP basic auth (the OIDC default) or in the form body, as the client is registered at the provider',
		expected: 'basic or post',
		example: 'basic',
		schema: z.enum(['basic', 'post']),
		defaultValue: 'basic',
		when: authIs('oidc'),
	},
	{
		key: 'auth.usernameClaim',
		description:
			'The OIDC claim that becomes the JupyterHub user name (and home folder). OpenID Connect makes only sub unique and stable; preferred_username, the default, is neither: keep it only if your provider never lets users choose or change it',
		expected: 'a claim name',
		example: 'preferred_username',
		schema: z.string().regex(claimName),
		defaultValue: 'preferred_username',
		when: authIs('oidc'),
		ask: {message: 'OIDC claim that becomes the user name', kind: 'text', help: () => usernameClaimHelp},
	},
	{
		key: 'auth.groupsClaim',
		description: "The OIDC claim that lists the user's groups (for auth.allowedGroups)",
		expected: 'a claim name (dots for nested claims)',
		example: 'groups',
		schema: z.string().regex(claimName),
		defaultValue: 'groups',
		when: authIs('oidc'),
	},
	{
		key: 'images.singleuser',
		description: 'The notebook image every user gets (JupyterLab + jupyterhub-singleuser), pinned',
		expected: 'an image reference with a tag',
		example: 'quay.io/jupyter/scipy-notebook:2026-09-01',
		schema: imageRef,
		// Issue 13: JupyterLab 4.6.3 with jupyterhub-singleuser 5.5.1, as docker-stacks' build record of that date
		// lists (the newest build it records).
		defaultValue: 'quay.io/jupyter/scipy-notebook:2026-09-01',
	},
	{
		key: 'images.choices',
		description:
			'Environments each user picks from when their server starts, each a name, a pinned image and optionally its own memory and cpu limits (default limits.*); the first is the default. Replaces images.singleuser',
		expected: 'a list (in lab.yaml) of {name, image, memory?, cpu?}; names of letters, digits, spaces and . _ + ( ) -',
		example:
			'[{name: SciPy, image: quay.io/jupyter/scipy-notebook:2025-12-31}, {name: R, image: quay.io/jupyter/r-notebook:2025-12-31, memory: 8G}]',
		schema: environments,
	},
	{
		key: 'images.hub',
		description: 'The JupyterHub 5 image the hub is built FROM (or, with images.hubBuild false, the hub image itself)',
		expected: 'an image reference with an exact 5.x tag',
		example: 'quay.io/jupyterhub/jupyterhub:5.4.6',
		schema: imageRef,
		// Issue 13: not JupyterHub 6.1 yet. NativeAuthenticator 1.3.0 (lab accounts; the newest on PyPI) fails on it:
		// every password login answers 500 (nativeauthenticator/handlers.py:485 calls self.statsd, which JupyterHub 6's
		// handlers no longer have), and so does its error page (its LoginHandler._render takes no `sync`, which
		// JupyterHub 6's render_template passes). One hub image serves every login type, so the hub stays on 5.4.6
		// until a NativeAuthenticator release supports JupyterHub 6. dockerspawner 14.0 and oauthenticator 17.4 do.
		defaultValue: 'quay.io/jupyterhub/jupyterhub:5.4.6',
	},
	{
		key: 'images.hubBuild',
		description:
			'Build the hub on the server (images.hub + pinned dockerspawner, oauthenticator, idle culler); false uses images.hub as is',
		expected: 'true or false',
		example: 'true',
		schema: z.boolean(),
		parse: 'boolean',
		defaultValue: true,
	},
	{
		key: 'images.nginx',
		description: 'The nginx image in front of the hub, pinned',
		expected: 'an image reference with a tag',
		example: 'nginx:1.28.0-alpine',
		schema: imageRef,
		defaultValue: 'nginx:1.28.0-alpine',
	},
	{
		key: 'limits.memory',
		description: "Memory limit of each user's notebook server (default: from the server's RAM)",
		expected: 'a size such as 512M or 4G',
		example: '4G',
		schema: memorySize,
	},
	{
		key: 'limits.cpu',
		description: "CPU limit of each user's notebook server, in CPUs (default: from the server's CPU count)",
		expected: 'a number of CPUs such as 0.5 or 2',
		example: '2',
		schema: z.number().positive().max(1024),
		parse: 'number',
	},
	{
		key: 'limits.pids',
		description:
			"Most processes and threads each user's notebook server may run at once (a fork bomb stops there instead of taking the server)",
		expected: 'a whole number from 64 to 1000000',
		example: '2048',
		schema: z.number().int().min(64).max(1_000_000),
		parse: 'number',
		defaultValue: 2048,
	},
	{
		key: 'culler.timeout',
		description: 'Stop a notebook server after this many seconds without activity',
		expected: 'a whole number of seconds (0: never)',
		example: '3600',
		schema: z.number().int().min(0),
		parse: 'number',
		defaultValue: 3600,
	},
	// Issue 12: the wizard asks where the backups go, with why; none (no backup) is an answer the user gives.
	// Required: a lab.yaml from before backups stops under --yes naming this key and `none`, rather than running on
	// unprotected with a warning nobody reads (no backup is an explicit choice).
	{
		key: 'backup.repository',
		description:
			'Where the backups go: a restic repository (sftp:user@host:/path, s3:…, b2:…, rest:…, or a local path such as a second disk), or none to choose no backup (labbox status then warns)',
		expected: 'a restic repository, or none',
		example: 'sftp:backup@nas.example.org:/labs/lab',
		schema: explained(z.string(), repositoryProblem),
		required: true,
		ask: {message: 'Where should the lab be backed up? (a restic repository, or none)', kind: 'text', help: () => backupHelp},
	},
	{
		key: 'backup.password',
		description: "The backup repository's password: without it no backup can be read, so keep a copy elsewhere",
		expected: 'a password of 8 characters or more',
		example: '(from the environment or secrets.env)',
		schema: z.string().min(8),
		secret: true,
		when: backingUp,
		required: true,
		ask: {
			message: 'Password for the backups (at least 8 characters)',
			kind: 'secret',
			help: () =>
				'It is kept in secrets.env in this lab folder (0600) and on the server (root only). Without it no backup can be restored: keep a copy in your password manager.',
		},
	},
	{
		key: 'backup.schedule',
		description: 'When the server backs the lab up, as a systemd calendar expression',
		expected: 'a systemd OnCalendar expression',
		example: '*-*-* 02:30:00',
		schema: z.string().regex(/^[A-Za-z0-9*:,./~ -]{1,100}$/),
		defaultValue: '*-*-* 02:30:00',
		when: backingUp,
	},
	{
		key: 'backup.keep',
		description: 'Which snapshots to keep (restic forget --keep-…): counts of daily, weekly, monthly, yearly, hourly or last',
		expected: 'a list such as 7 daily, 4 weekly, 6 monthly',
		example: '7 daily, 4 weekly, 6 monthly',
		schema: z.array(z.string().regex(/^\d{1,4} (last|hourly|daily|weekly|monthly|yearly)$/)).min(1),
		parse: 'list',
		defaultValue: ['7 daily', '4 weekly', '6 monthly'],
		when: backingUp,
	},
	{
		key: 'backup.datasets',
		description: 'Back up datasets/ too (often large and downloadable again)',
		expected: 'true or false',
		example: 'false',
		schema: z.boolean(),
		parse: 'boolean',
		defaultValue: false,
		when: backingUp,
	},
	{
		key: 'backup.sshKeyFile',
		description:
			"Private key the server logs in to an sftp repository with (copied to the server, root only; default: root's own SSH setup there)",
		expected: 'a path to a private key file',
		example: './backup-key',
		schema: z.string().min(1),
		when: config => backingUp(config) && repositoryKind(String(config['backup.repository'])) === 'sftp',
	},
	{
		key: 'backup.awsAccessKeyId',
		description: 'Access key id for an s3 repository',
		expected: 'the access key id',
		example: 'AKIAIOSFODNN7EXAMPLE',
		schema: z.string().regex(/^[\x21-\x7e]{1,200}$/),
		secret: true,
		when: config => backingUp(config) && repositoryKind(String(config['backup.repository'])) === 's3',
	},
	{
		key: 'backup.awsSecretAccessKey',
		description: 'Secret access key for an s3 repository',
		expected: 'the secret access key',
		example: '(from the environment or secrets.env)',
		schema: z.string().min(1),
		secret: true,
		when: config => backingUp(config) && repositoryKind(String(config['backup.repository'])) === 's3',
	},
] as const satisfies readonly Field[];

export const fields: readonly Field[] = fieldList;

/** Every lab.yaml key, as a type (issue 11: `Step.inputs` are checked keys, not free strings). */
export type ConfigKey = (typeof fieldList)[number]['key'];

/**
 * The resolved configuration, typed from the schema: each key's value as its zod schema parses it, absent when
 * not set and without default (issue 11: one type, derived, instead of `Record<string, unknown>` and casts).
 */
type FieldOf = (typeof fieldList)[number];
/** Keys that always hold a value once resolved (resolve.ts merge()): a default, and no `when` that could make the key not apply. */
type AlwaysSet = Extract<Exclude<FieldOf, {when: unknown}>, {defaultValue: unknown}>;
export type LabConfig = {readonly [F in FieldOf as F['key']]?: z.output<F['schema']>} & {
	readonly [F in AlwaysSet as F['key']]: z.output<F['schema']>;
};

// Issue 12: the one sentence why, then what the answer may be.
const backupHelp =
	'A failed disk or one rm -rf loses every notebook; backups on another machine bring them back. Give a restic ' +
	'repository (sftp:user@host:/path, s3:…, b2:…, rest:…, or a path on a second disk), or none for no backup (labbox status then warns).';

// Issue 9 item 16. The default stays preferred_username: existing labs keep their user names (and homes), and
// sub is an opaque id at most providers (a UUID at Keycloak, a number at Google), useless in an allow list by name.
const usernameClaimHelp =
	'Only sub is unique and stable in OpenID Connect; preferred_username (the default) is neither: where users can ' +
	"change it, one could take another's allowed name and home. Keep it only if they cannot; else use email (if " +
	'verified and fixed) or sub (then list sub values in auth.allowedUsers).';

/** What the user pastes into their provider's OAuth app form. */
export function oauthHelp(config: Config): string {
	const domain = String(config.domain ?? 'NAME');
	const callback = `https://${domain}/hub/oauth_callback`;
	switch (config['auth.type']) {
		case 'github': {
			const github = config['auth.githubUrl'] === undefined ? 'GitHub' : String(config['auth.githubUrl']);
			return `Create an OAuth app at ${github} → Settings → Developer settings → OAuth Apps → New OAuth App:\n  Homepage URL: https://${domain}\n  Authorization callback URL: ${callback}`;
		}
		case 'gitlab': {
			// The hub asks for read_user, and read_api with auth.allowedGroups (the group members API): GitLab refuses a
			// scope the application lacks (issue 15).
			return `Create an application in GitLab → User settings → Applications, scope "read_user" (and "read_api" if you allow GitLab groups):\n  Redirect URI: ${callback}`;
		}
		default: {
			return `Register a confidential client at your provider with redirect URI: ${callback}`;
		}
	}
}

export const fieldByKey = new Map(fields.map(field => [field.key, field]));
