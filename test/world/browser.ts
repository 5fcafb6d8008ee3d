import {createHash, X509Certificate} from 'node:crypto';
import {readFile} from 'node:fs/promises';
import {execa} from 'execa';
import {chromium, type Browser} from 'playwright-core';
import {ensureHostPackages} from './host-packages.js';
import {readWorld, type World} from './world-file.js';

const executablePath = '/usr/bin/chromium';
// Headless, and quiet: no update checks, sync or background traffic to anywhere but the world.
const args = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/** Debian's chromium on the test machine; checked by asking its version. */
export async function ensureBrowser(): Promise<NonNullable<World['browser']>> {
	await ensureHostPackages(['chromium']);
	await execa(executablePath, ['--headless', '--no-sandbox', '--version'], {timeout: 30_000});
	return {executablePath, args};
}

/** base64(sha256(SubjectPublicKeyInfo)): what Chromium's --ignore-certificate-errors-spki-list takes. */
export function spkiHash(pem: string | Buffer): string {
	const spki = new X509Certificate(pem).publicKey.export({type: 'spki', format: 'der'});
	return createHash('sha256').update(spki).digest('base64');
}

export interface BrowserOptions {
	/** Names to resolve as the world's DNS would (Chromium cannot be pointed at a DNS server). */
	hosts?: Record<string, string>;
	/** PEM certificates to accept although no CA Chromium knows signed them (e.g. a lab's). */
	trustCertificates?: (string | Buffer)[];
}

/**
 * Launches headless Chromium with a fresh profile (Playwright makes a temporary user data dir).
 * The world services' certificate is accepted by its key only (not "ignore all TLS errors").
 */
export async function launchBrowser({hosts = {}, trustCertificates = []}: BrowserOptions = {}): Promise<Browser> {
	const world = await readWorld();
	const browser = world.browser ?? (await ensureBrowser());
	const servicesCert = await readFile(world.servicesCertFile!);
	const spkis = [servicesCert, ...trustCertificates].map(spkiHash);
	const rules = Object.entries(hosts).map(([name, address]) => `MAP ${name} ${address}`);
	return chromium.launch({
		executablePath: browser.executablePath,
		args: [
			...browser.args,
			`--ignore-certificate-errors-spki-list=${spkis.join(',')}`,
			...(rules.length > 0 ? [`--host-resolver-rules=${rules.join(', ')}`] : []),
		],
		timeout: 60_000,
	});
}
