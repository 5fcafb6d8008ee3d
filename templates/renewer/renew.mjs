// Written by labbox (certificate step): renews the lab's certificate with ACME (HTTP-01), on the server.
// Runs in the renewer container (Node.js + acme-client), started by run.sh: daily by labbox-renewer.timer,
// and once by `labbox run certificate`. Usage: node renew.mjs CONFIG.json [--force]
// The previous certificate stays in place unless a new one was issued; renewal.json tells what happened.
import {createPrivateKey, X509Certificate} from 'node:crypto';
import {existsSync} from 'node:fs';
import {chmod, mkdir, readFile, rename, rm, writeFile} from 'node:fs/promises';
import {createServer} from 'node:http';
import https from 'node:https';
import {createRequire} from 'node:module';
import path from 'node:path';
import {rootCertificates} from 'node:tls';
import {pathToFileURL} from 'node:url';

// TLS error codes that mean "the CA's certificate is not trusted here".
const untrusted = new Set([
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
	'UNABLE_TO_GET_ISSUER_CERT',
	'CERT_HAS_EXPIRED',
	'ERR_TLS_CERT_ALTNAME_INVALID',
	'CERT_UNTRUSTED',
]);

/** The real reason of a failure to reach the CA, in words (instead of acme-client's masked TypeError). */
export function explainNetworkError(code, url) {
	const host = new URL(url).host;
	if (untrusted.has(code)) {
		return `the TLS certificate of the ACME server ${host} is not trusted (${code}): set certificate.caFile to the CA that signed it`;
	}
	switch (code) {
		case 'ECONNREFUSED': {
			return `the ACME server ${host} refused the connection (nothing listens there): check certificate.directoryUrl`;
		}
		case 'ENOTFOUND':
		case 'EAI_AGAIN': {
			return `the name of the ACME server ${host} does not resolve from the server`;
		}
		case 'ETIMEDOUT':
		case 'ECONNRESET':
		case 'EHOSTUNREACH':
		case 'ENETUNREACH': {
			return `the ACME server ${host} is not reachable from the server (${code}): check its outgoing firewall`;
		}
		default: {
			return `the ACME server ${host} could not be reached (${code})`;
		}
	}
}

/** Why a certificate must be renewed now, or undefined when it can stay. */
export function renewalReason({
	certificate,
	keyMatches,
	domains,
	renewDays,
	directoryUrl,
	lastDirectoryUrl,
	now = new Date(),
	force = false,
}) {
	if (force) {
		return 'asked to renew';
	}
	if (!certificate) {
		return 'no certificate yet';
	}
	const names = (certificate.subjectAltName ?? '').split(/,\s*/).map(entry => entry.replace(/^DNS:/, '').toLowerCase());
	const missing = domains.filter(domain => !names.includes(domain.toLowerCase()));
	if (missing.length > 0) {
		return `the certificate does not cover ${missing.join(', ')}`;
	}
	if (!keyMatches) {
		return 'privkey.pem does not match the certificate';
	}
	if (lastDirectoryUrl !== directoryUrl) {
		return `the certificate comes from ${lastDirectoryUrl ?? 'another CA'}, not ${directoryUrl}`;
	}
	const left = Math.floor((new Date(certificate.validTo).getTime() - now.getTime()) / 86_400_000);
	return left < renewDays ? `${left} days left, fewer than ${renewDays}` : undefined;
}

/** acme-client, wherever the image installed it (global or local). */
function loadAcme() {
	const require = createRequire(import.meta.url);
	for (const candidate of [
		'acme-client',
		'/usr/local/lib/node_modules/acme-client',
		'/usr/lib/node_modules/acme-client',
		'/usr/share/nodejs/acme-client',
		'/opt/renewer/node_modules/acme-client',
	]) {
		try {
			return require(candidate);
		} catch {}
	}
	throw new Error('acme-client is not installed in the renewer image');
}

/** GET the directory once, quickly, so an unreachable or untrusted CA is named within seconds. */
function preflight(url, agent) {
	return new Promise((resolve, reject) => {
		const request = https.get(url, {agent, timeout: 10_000}, response => {
			response.resume();
			response.on('end', () =>
				response.statusCode === 200
					? resolve()
					: reject(new Error(`the ACME server answered HTTP ${response.statusCode} for ${url}: check certificate.directoryUrl`)),
			);
		});
		request.on('timeout', () => request.destroy(Object.assign(new Error('timeout'), {code: 'ETIMEDOUT'})));
		request.on('error', error => reject(new Error(explainNetworkError(error.code ?? error.message, url))));
	});
}

/** Answers HTTP-01 on port 80 itself when it is free; else through the lab nginx's webroot. */
async function challengeResponder(webroot, log) {
	const tokens = new Map();
	const server = createServer((request, response) => {
		const token = /^\/\.well-known\/acme-challenge\/([\w-]+)$/.exec(request.url ?? '')?.[1];
		const body = token && tokens.get(token);
		response.writeHead(body ? 200 : 404, {'content-type': 'text/plain'}).end(body ?? '');
	});
	const own = await new Promise(resolve => {
		server.once('error', () => resolve(false));
		server.listen(80, () => resolve(true));
	});
	log(own ? 'answering http-01 on port 80 (own responder)' : "port 80 is in use: answering http-01 through the lab's nginx webroot");
	const folder = path.join(webroot, '.well-known/acme-challenge');
	return {
		async add(token, value) {
			tokens.set(token, value);
			if (!own) {
				await mkdir(folder, {recursive: true});
				await writeFile(path.join(folder, token), value, {mode: 0o644});
			}
		},
		async remove(token) {
			tokens.delete(token);
			await rm(path.join(folder, token), {force: true});
		},
		close: () => (own ? new Promise(resolve => server.close(resolve)) : Promise.resolve()),
	};
}

function matches(certificate, keyPem) {
	try {
		return Boolean(certificate && keyPem && certificate.checkPrivateKey(createPrivateKey(keyPem)));
	} catch {
		return false;
	}
}

async function readJson(file) {
	return JSON.parse(await readFile(file, 'utf8').catch(() => '{}'));
}

/** Replaces a file atomically; with `keep`, the old one stays as NAME.previous. */
async function replace(file, content, mode, keep = false) {
	await writeFile(`${file}.new`, content, {mode});
	await chmod(`${file}.new`, mode);
	if (keep && existsSync(file)) {
		await rename(file, `${file}.previous`);
	}
	await rename(`${file}.new`, file);
}

/** Writes renewal.json, which `labbox status` and the certificate step read. */
const writeStatus = (file, status) => replace(file, `${JSON.stringify(status, null, '\t')}\n`, 0o644);

async function issue(config, acme, log) {
	const ca = config.caFile ? [...rootCertificates, await readFile(config.caFile, 'utf8')] : undefined;
	const agent = new https.Agent({ca, keepAlive: false});
	// Why: acme-client retries for ~75 s and then hides the cause (node-acme-client#101); we name it at once.
	acme.axios.defaults.httpsAgent = agent;
	acme.axios.defaults.timeout = 20_000;
	acme.axios.defaults.acmeSettings.retryMaxAttempts = 1;
	acme.axios.defaults.acmeSettings.retryDefaultDelay = 1;
	let lastNetworkCode;
	acme.setLogger(message => {
		const caught = /^Caught (\S+), retry/.exec(message);
		if (caught) {
			lastNetworkCode = caught[1];
		}
	});
	await preflight(config.directoryUrl, agent);
	log(`ACME server ${new URL(config.directoryUrl).host} answers`);
	const client = new acme.Client({
		directoryUrl: config.directoryUrl,
		accountKey: await readFile(config.accountKeyFile),
		backoffAttempts: 8,
		backoffMin: 500,
		backoffMax: 5000,
	});
	const [key, csr] = await acme.crypto.createCsr(
		{commonName: config.domains[0], altNames: config.domains},
		await acme.crypto.createPrivateEcdsaKey(),
	);
	const responder = await challengeResponder(config.webroot, log);
	try {
		const certificate = await client.auto({
			csr,
			email: config.email,
			termsOfServiceAgreed: true,
			challengePriority: ['http-01'],
			// The CA checks the challenge itself; our own pre-check would use this container's DNS, not the world's.
			skipChallengeVerification: true,
			challengeCreateFn: async (_authz, challenge, keyAuthorization) => responder.add(challenge.token, keyAuthorization),
			challengeRemoveFn: async (_authz, challenge) => responder.remove(challenge.token),
		});
		return {certificate, key};
	} catch (error) {
		if (error instanceof TypeError && lastNetworkCode) {
			throw new Error(explainNetworkError(lastNetworkCode, config.directoryUrl));
		}
		throw new Error(`the ACME server refused: ${error.message}`);
	} finally {
		await responder.close();
	}
}

export async function main(argv) {
	const log = line => console.log(line);
	const config = JSON.parse(await readFile(argv[0], 'utf8'));
	const certFile = path.join(config.certsDir, 'fullchain.pem');
	const keyFile = path.join(config.certsDir, 'privkey.pem');
	const statusFile = path.join(config.certsDir, 'renewal.json');
	const status = await readJson(statusFile);
	const pem = await readFile(certFile, 'utf8').catch(() => undefined);
	const certificate = pem ? new X509Certificate(pem) : undefined;
	const keyPem = await readFile(keyFile, 'utf8').catch(() => undefined);
	const keyMatches = matches(certificate, keyPem);
	const reason = renewalReason({
		certificate,
		keyMatches,
		domains: config.domains,
		renewDays: config.renewDays,
		directoryUrl: config.directoryUrl,
		lastDirectoryUrl: status.directoryUrl,
		force: argv.includes('--force'),
	});
	const now = new Date().toISOString();
	if (!reason) {
		log(`certificate for ${config.domains.join(', ')} valid until ${certificate.validTo}: nothing to do`);
		await writeStatus(statusFile, {...status, expiry: new Date(certificate.validTo).toISOString(), lastCheck: now});
		return 0;
	}
	log(`renewing: ${reason}`);
	try {
		const issued = await issue(config, loadAcme(), log);
		const fresh = new X509Certificate(issued.certificate);
		await replace(keyFile, issued.key, 0o600, true);
		await replace(certFile, issued.certificate, 0o644, true);
		await writeStatus(statusFile, {
			domains: config.domains,
			directoryUrl: config.directoryUrl,
			expiry: new Date(fresh.validTo).toISOString(),
			serial: fresh.serialNumber,
			lastAttempt: now,
			lastSuccess: now,
			lastCheck: now,
			lastError: null,
		});
		log(`certificate issued: serial ${fresh.serialNumber}, valid until ${fresh.validTo}`);
		return 0;
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		await writeStatus(statusFile, {...status, lastAttempt: now, lastCheck: now, lastError: message});
		console.error(`renewal failed: ${message}${certificate ? ' (the previous certificate stays in place)' : ''}`);
		return 1;
	}
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	// PID 1 of its container ignores TERM unless it listens: a stopped labbox stops its order (issue 9 item 5).
	process.once('SIGTERM', () => {
		console.error('renewal stopped (TERM): the previous certificate stays in place');
		process.exit(143);
	});
	process.exitCode = await main(process.argv.slice(2));
}
