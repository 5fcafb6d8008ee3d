/**
 * What the configuration asks of the certificate step, made from lab.yaml: the names, the mode's
 * expectations, and (letsencrypt) the renewer's files with their hashes. Reads local files, never the server.
 */
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {accountKeyFile, sha256} from '../../source/acme/account-key.js';
import {letsEncryptDirectory} from '../../source/acme/directories.js';
import type {ConfigKey} from '../../source/config/fields.js';
import {labFile} from '../../source/engine/paths.js';
import type {StepContext} from '../../source/engine/types.js';
import {wantedNames} from '../../source/config/names.js';
import type {CertificateMode, CertificateWanted} from './decide.js';
import {defaultRenewerImage, renewerFiles, renewerPaths, type RenewerSettings} from '../../source/templates/renewer.js';

/** A local file named by a config key, or a StepError-ready message. */
async function readConfigured(ctx: StepContext, key: ConfigKey): Promise<string> {
	const file = labFile(ctx.labDir, String(ctx.config[key]));
	return readFile(file, 'utf8').catch(error => {
		throw new Error(`${key} ${file} cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
	});
}

/** The ACME directory: certificate.directoryUrl, else Let's Encrypt's staging or production one. */
async function directoryUrl(ctx: StepContext): Promise<string> {
	const configured = ctx.config['certificate.directoryUrl'];
	if (configured) {
		return configured;
	}
	return ctx.config['certificate.staging'] === false ? letsEncryptDirectory.production : letsEncryptDirectory.staging;
}

/** Everything the step compares and installs. */
export interface CertificatePlan {
	readonly root: string;
	readonly domain: string;
	readonly wanted: CertificateWanted;
	/** letsencrypt: the renewer's files and account key, by server path. */
	readonly uploads: ReadonlyMap<string, {readonly content: string; readonly mode: string}>;
	readonly image?: string;
	/** existing: the user's files. */
	readonly existing?: {readonly chain: string; readonly key: string};
}

export async function certificatePlan(
	ctx: StepContext,
	options: {readonly createAccountKey?: (dir: string) => Promise<{pem: string}>} = {},
): Promise<CertificatePlan> {
	const root = ctx.config['lab.root'];
	const domain = String(ctx.config.domain);
	const mode = ctx.config['certificate.mode'] as CertificateMode;
	const base = {
		mode,
		names: wantedNames(domain, ctx.config['dns.subdomains'] === true),
		renewDays: ctx.config['certificate.renewDays'],
		now: new Date(),
	};
	if (mode === 'existing') {
		const existing = {chain: await readConfigured(ctx, 'certificate.certFile'), key: await readConfigured(ctx, 'certificate.keyFile')};
		return {root, domain, wanted: {...base, existingChain: existing.chain}, uploads: new Map(), existing};
	}
	if (mode === 'self-signed') {
		return {root, domain, wanted: base, uploads: new Map()};
	}
	const settings: RenewerSettings = {
		root,
		domains: base.names,
		email: String(ctx.config['certificate.email']),
		directoryUrl: await directoryUrl(ctx),
		renewDays: base.renewDays,
		ca: ctx.config['certificate.caFile'] ? await readConfigured(ctx, 'certificate.caFile') : undefined,
		image: ctx.config['certificate.renewerImage'] ?? defaultRenewerImage,
	};
	const uploads = new Map(renewerFiles(settings).map(file => [file.path, {content: file.content, mode: file.mode}]));
	// In check the key is only read (a missing one differs from the server's, which is a change); apply makes it.
	const localKey = options.createAccountKey
		? (await options.createAccountKey(ctx.labDir)).pem
		: await readFile(path.join(ctx.labDir, accountKeyFile), 'utf8').catch(() => 'none yet');
	uploads.set(renewerPaths(root).accountKey, {content: localKey, mode: '0600'});
	const renewerHashes = Object.fromEntries([...uploads].map(([file, {content}]) => [file, sha256(content)]));
	return {root, domain, wanted: {...base, directoryUrl: settings.directoryUrl, renewerHashes}, uploads, image: settings.image};
}
