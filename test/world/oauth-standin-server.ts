// The world's GitHub and GitLab stand-ins (issue 15), one HTTPS port each (world CA). Runs INSIDE the `oauth`
// container (Debian's node, test/world mounted read-only). Besides the providers' own URLs, `POST /_world/apps`
// ({homepage, callback, scopes}) registers an OAuth app as a person does in the provider's settings and answers
// {client_id, client_secret}; `GET /_world/health` answers 200.
// Usage: oauth-standin-server.ts CONFIG.json
import {readFileSync} from 'node:fs';
import type {IncomingMessage, ServerResponse} from 'node:http';
import {createServer} from 'node:https';
import {github, githubClientId} from './github-standin.js';
import {gitlab, gitlabClientId} from './gitlab-standin.js';
import {Provider, readJson, sendJson, type StandInUser} from './oauth-standin-common.js';

export interface StandInConfig {
	certFile: string;
	keyFile: string;
	github: {port: number; origin: string; users: StandInUser[]};
	gitlab: {port: number; origin: string; users: StandInUser[]};
}

type Handler = (provider: Provider, origin: string, request: IncomingMessage, response: ServerResponse) => Promise<void>;

const config = JSON.parse(readFileSync(process.argv[2], 'utf8')) as StandInConfig;
const tls = {cert: readFileSync(config.certFile), key: readFileSync(config.keyFile)};

function serve(name: string, settings: StandInConfig['github'], handle: Handler, clientId: () => string): void {
	const provider = new Provider(settings.users);
	createServer(tls, (request, response) => {
		const path = request.url?.split('?')[0];
		const done = (async () => {
			if (request.method === 'GET' && path === '/_world/health') return sendJson(response, 200, {ok: true});
			if (request.method === 'POST' && path === '/_world/apps') {
				const body = await readJson(request);
				const app = provider.register(
					{homepage: String(body.homepage ?? ''), callback: String(body.callback), scopes: (body.scopes as string[] | undefined) ?? []},
					clientId(),
				);
				process.stdout.write(`${name}: registered app ${app.clientId} for ${app.callback}\n`);
				return sendJson(response, 201, {client_id: app.clientId, client_secret: app.clientSecret});
			}
			await handle(provider, settings.origin, request, response);
			process.stdout.write(`${name}: ${request.method} ${path} ${response.statusCode}\n`);
		})();
		done.catch((error: unknown) => {
			process.stdout.write(`${name}: ${request.method} ${path} failed: ${String(error)}\n`);
			if (!response.headersSent) sendJson(response, 500, {message: String(error)});
		});
	}).listen(settings.port, '0.0.0.0', () => process.stdout.write(`${name} stand-in ${settings.origin} listening\n`));
}

serve('github', config.github, github, githubClientId);
serve('gitlab', config.gitlab, gitlab, gitlabClientId);
