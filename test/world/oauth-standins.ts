// Starts the world's GitHub and GitLab stand-ins on demand (issue 15): a test calls ensureOAuthStandIns(), which
// keeps a running container of the same spec and code. Not part of `up`: nothing the other tests use changes.
import {createHash, randomBytes} from 'node:crypto';
import {existsSync, readFileSync, realpathSync} from 'node:fs';
import {mkdir, readFile, writeFile} from 'node:fs/promises';
import {request} from 'node:https';
import {join} from 'node:path';
import {ports, repoRoot, worldDir} from './config.js';
import {existingNetwork, serviceAddress} from './network.js';
import type {StandInConfig} from './oauth-standin-server.js';
import type {StandInUser} from './oauth-standin-common.js';
import {httpsAnswers} from './probe.js';
import {ensureServiceContainer} from './service-container.js';
import {ensureServicesImage} from './services-image.js';
import {waitFor} from './wait.js';
import {caFile, ensureServiceCert} from './world-ca.js';

/** One provider's users by role (issue 15): by name, through an organisation/group, admin, refused, Mixed-Case-Dashed. */
export interface StandInUsers {
	allowed: StandInUser;
	member: StandInUser;
	admin: StandInUser;
	refused: StandInUser;
	mixedCase: StandInUser;
}

export interface StandIn {
	/** What a GitHub Enterprise Server / self-hosted GitLab user puts in lab.yaml (auth.githubUrl, auth.gitlabUrl). */
	url: string;
	/** The organisation (GitHub) or group (GitLab) whose members are allowed. */
	group: string;
	users: StandInUsers;
}

export interface OAuthStandIns {
	github: StandIn;
	gitlab: StandIn;
	/** The CA the stand-ins' certificate is signed by (the hub trusts it through auth.caFile). */
	caFile: string;
	/** The stand-ins' own certificate (a browser that does not trust the world CA can pin it). */
	certFile: string;
}

const sourceFiles = ['oauth-standin-server.ts', 'oauth-standin-common.ts', 'github-standin.ts', 'gitlab-standin.ts'];

/** The users, with passwords made once and kept in .world/oauth/ (nothing secret in the repo). */
async function users(): Promise<{github: StandInUsers; gitlab: StandInUsers}> {
	const file = join(worldDir, 'oauth', 'users.json');
	if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as {github: StandInUsers; gitlab: StandInUsers};
	const person = (
		login: string,
		id: number,
		groups: StandInUser['groups'] = {},
		email: string | null = `${login.toLowerCase()}@lab.test`,
	): StandInUser => ({username: login, password: randomBytes(12).toString('hex'), id, name: login, email, groups});
	// The member's membership is private: only a token with read:org sees it (GitHub); no public email (GitHub's default).
	const made = {
		github: {
			allowed: person('ada', 101),
			member: person('kat', 102, {'turing-lab': 'private'}, null),
			admin: person('edsger', 103),
			refused: person('mallory', 104, {'other-org': 'public'}),
			mixedCase: person('Grace-Hopper', 105),
		},
		gitlab: {
			allowed: person('alan', 201),
			member: person('barbara', 202, {'turing-lab': 'private'}),
			admin: person('donald', 203),
			refused: person('eve', 204, {'other-group': 'public'}),
			mixedCase: person('Margaret-Hamilton', 205),
		},
	};
	await mkdir(join(worldDir, 'oauth'), {recursive: true, mode: 0o700});
	await writeFile(file, JSON.stringify(made, null, '\t'), {mode: 0o600});
	return made;
}

/** Starts (or keeps) the stand-ins' container and waits until both answer over HTTPS. */
export async function ensureOAuthStandIns(): Promise<OAuthStandIns> {
	const network = await existingNetwork();
	if (!network) throw new Error('no test world network: run `npm run world -- up` first');
	const address = serviceAddress(network, 'oauth');
	const cert = await ensureServiceCert([address], ['oauth.world.test'], 'oauth');
	const people = await users();
	const config: StandInConfig = {
		certFile: '/certs/tls.crt',
		keyFile: '/certs/tls.key',
		github: {port: ports.githubStandIn, origin: `https://${address}:${ports.githubStandIn}`, users: Object.values(people.github)},
		gitlab: {port: ports.gitlabStandIn, origin: `https://${address}:${ports.gitlabStandIn}`, users: Object.values(people.gitlab)},
	};
	const configDir = join(worldDir, 'oauth');
	await writeFile(join(configDir, 'standins.json'), JSON.stringify(config, null, '\t'), {mode: 0o600});
	const source = join(repoRoot, 'test', 'world');
	const code = createHash('sha256');
	for (const file of sourceFiles) code.update(readFileSync(join(source, file)));
	await ensureServiceContainer(network, {
		service: 'oauth',
		image: await ensureServicesImage(),
		// tsx from the repository's node_modules (its real folder: a worktree's may be a link) runs the TypeScript.
		command: ['node', '/node_modules/tsx/dist/cli.mjs', '/src/oauth-standin-server.ts', '/config/standins.json'],
		mounts: {
			[source]: '/src',
			[realpathSync(join(repoRoot, 'node_modules'))]: '/node_modules',
			[cert.dir]: '/certs',
			[configDir]: '/config',
		},
		env: {NODE_ENV: 'production', TSX_DISABLE_CACHE: '1'},
		config: {config, cert: cert.fingerprint, code: code.digest('hex')},
	});
	for (const origin of [config.github.origin, config.gitlab.origin]) {
		await waitFor(`the OAuth stand-in at ${origin}`, () => httpsAnswers(`${origin}/_world/health`, caFile), {
			timeoutMs: 45_000,
			intervalMs: 500,
		});
	}
	return {
		github: {url: config.github.origin, group: 'turing-lab', users: people.github},
		gitlab: {url: config.gitlab.origin, group: 'turing-lab', users: people.gitlab},
		caFile,
		certFile: cert.certFile,
	};
}

/** Registers an OAuth app at a stand-in, as a person does in the provider's settings; its client id and secret. */
export async function registerOAuthApp(
	url: string,
	app: {homepage: string; callback: string; scopes?: string[]},
): Promise<{clientId: string; clientSecret: string}> {
	const body = JSON.stringify(app);
	const answer = await new Promise<string>((resolve, reject) => {
		const sent = request(
			`${url}/_world/apps`,
			{method: 'POST', ca: readFileSync(caFile), timeout: 10_000, headers: {'content-type': 'application/json'}},
			response => {
				let text = '';
				response.on('data', chunk => (text += chunk));
				response.on('end', () =>
					response.statusCode === 201 ? resolve(text) : reject(new Error(`${url}/_world/apps: HTTP ${response.statusCode} ${text}`)),
				);
			},
		);
		sent.on('timeout', () => sent.destroy(new Error(`${url}/_world/apps: no answer in 10 s`)));
		sent.on('error', reject);
		sent.end(body);
	});
	const made = JSON.parse(answer) as {client_id: string; client_secret: string};
	return {clientId: made.client_id, clientSecret: made.client_secret};
}
