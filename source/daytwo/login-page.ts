/**
 * After `labbox upgrade` has moved the lab (issue 13): the stack step checked https://NAME/hub/health; a
 * researcher also needs the login page. A hub whose health answers while its login page fails (a login package or
 * template that does not fit the new JupyterHub) is a failed upgrade, rolled back like one. Asked from the laptop,
 * by the lab's name, with the server's certificate pinned, as the health check is.
 */
import path from 'node:path/posix';
import {setTimeout as sleep} from 'node:timers/promises';
import {readFile} from '../remote/commands/files.js';
import {leafFingerprint, probePage, resolveName, type Probe} from '../../steps/stack/health.js';
import type {LabConnection} from './lab-connection.js';

export const loginPath = '/hub/login';

/**
 * What is wrong with the answer to GET /hub/login, or undefined when it is a login page: 200, with a way in (the
 * login provider's button, which leads to /hub/oauth_login, or a password form: lab accounts).
 */
export function loginPageProblem(domain: string, status: number, body: string): string | undefined {
	const url = `https://${domain}${loginPath}`;
	if (status !== 200) {
		return `${url} answered ${status}`;
	}
	return /oauth_login|name="password"/.test(body) ? undefined : `${url} answered, but with no login button or password form in it`;
}

/** Asks for the login page (a few tries, seconds apart: the hub has just started) until it is right. */
export async function checkLoginPage(lab: LabConnection, {tries = 5, pauseMs = 2000} = {}): Promise<Probe> {
	const domain = String(lab.config.domain);
	const chain = await lab.shell.run(readFile(path.join(lab.root, 'certs/fullchain.pem')), {sudo: true, signal: lab.signal});
	const fingerprint = leafFingerprint(chain.stdout);
	let last: Probe = {ok: false, reason: 'not asked yet'};
	for (let attempt = 1; attempt <= tries; attempt++) {
		const address = await resolveName(domain, (lab.config['dns.resolvers'] as readonly string[] | undefined) ?? []).catch(
			(error: Error) => error,
		);
		last =
			address instanceof Error
				? {ok: false, reason: `${domain} does not resolve: ${address.message}`}
				: await probePage(address, domain, fingerprint, loginPath, (status, body) => loginPageProblem(domain, status, body));
		if (last.ok || attempt === tries) {
			break;
		}
		await sleep(pauseMs, undefined, {signal: lab.signal});
	}
	return last;
}
