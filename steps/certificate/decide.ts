/**
 * The certificate step's decision, as pure data: what the server's certificate lacks for the mode chosen,
 * and whether the renewer is in place. Facts in, verdict out; every case is a unit test.
 */
import {
	daysLeft,
	inspectCertificate,
	keyMatchesCertificate,
	publicKeyMaterial,
	uncoveredNames,
	type CertificateInfo,
} from '../../source/acme/inspect.js';
import {sshPublicKeyMaterial} from '../../source/acme/ssh-public-key.js';
import {X509Certificate} from 'node:crypto';

/** The three sources of a certificate (`certificate.mode`). */
export type CertificateMode = 'letsencrypt' | 'self-signed' | 'existing';

/** renewal.json, as the renewer writes it. */
export interface RenewalStatus {
	readonly directoryUrl?: string;
	readonly expiry?: string;
	readonly lastAttempt?: string;
	readonly lastSuccess?: string;
	readonly lastCheck?: string;
	readonly lastError?: string | null;
}

/** What the server has (read in one round trip). */
export interface CertificateFacts {
	/** fullchain.pem's text, absent when there is no file. */
	readonly chain?: string;
	/** `ssh-keygen -y` of privkey.pem: its public half, so the key is checked without leaving the server. */
	readonly keyPublic?: string;
	/** `stat -c '%a %u'` of privkey.pem. */
	readonly keyMode?: string;
	readonly status?: RenewalStatus;
	readonly timerEnabled: boolean;
	/** sha256 of the renewer's files on the server, by path. */
	readonly hashes: Readonly<Record<string, string>>;
	/** The renewer image is on the server. */
	readonly imagePresent: boolean;
}

/** What the configuration asks for. */
export interface CertificateWanted {
	readonly mode: CertificateMode;
	readonly names: readonly string[];
	readonly renewDays: number;
	readonly now: Date;
	/** letsencrypt: the CA's directory the certificate must come from. */
	readonly directoryUrl?: string;
	/** existing: the user's chain, as the server must hold it. */
	readonly existingChain?: string;
	/** letsencrypt: the renewer's files (path → sha256) and the account key's path and sha256. */
	readonly renewerHashes?: Readonly<Record<string, string>>;
}

export type CertificateVerdict =
	| {readonly status: 'done'; readonly detail: string}
	| {
			readonly status: 'todo';
			readonly changes: readonly string[];
			/** The certificate itself must be made again (issued, generated or uploaded). */
			readonly replace: boolean;
			/** Renewer files to upload (paths), and whether its image and timer need work. */
			readonly uploads: readonly string[];
			readonly image: boolean;
			readonly enableTimer: boolean;
			readonly disableTimer: boolean;
			readonly fixKeyMode: boolean;
	  }
	| {readonly status: 'blocked'; readonly reason: string; readonly fix: string};

/** Why the certificate on the server does not do for this mode (empty: it does). */
export function certificateProblems(facts: CertificateFacts, wanted: CertificateWanted, info: CertificateInfo | undefined): string[] {
	if (!facts.chain) {
		return ['no certificate on the server yet'];
	}
	if (!info) {
		return ['fullchain.pem on the server holds no certificate'];
	}
	const problems: string[] = [];
	const uncovered = uncoveredNames(info.names, wanted.names);
	if (uncovered.length > 0) {
		problems.push(`it does not cover ${uncovered.join(', ')} (it covers ${info.names.join(', ') || 'nothing'})`);
	}
	const certificateKey = publicKeyMaterial(new X509Certificate(facts.chain).publicKey);
	if (!facts.keyPublic || sshPublicKeyMaterial(facts.keyPublic) !== certificateKey) {
		problems.push(facts.keyPublic ? 'privkey.pem does not match it' : 'privkey.pem is missing or unreadable');
	}
	const left = daysLeft(info.notAfter, wanted.now);
	// The user's own certificate cannot be renewed here: its margin is a warning (see describe), not a change.
	if (wanted.mode !== 'existing' && left <= wanted.renewDays) {
		problems.push(
			left < 0 ? `it expired on ${info.notAfter.toISOString().slice(0, 10)}` : `${left} days left (renewal at ${wanted.renewDays})`,
		);
	}
	if (wanted.mode === 'self-signed' && !info.selfSigned) {
		problems.push('it is not self-signed (certificate.mode is self-signed)');
	}
	if (wanted.mode !== 'self-signed' && !info.chainOrdered) {
		problems.push('its chain is broken (each certificate of fullchain.pem must be issued by the next)');
	}
	if (wanted.mode === 'letsencrypt') {
		if (info.selfSigned) {
			problems.push('it is self-signed, not from the ACME CA');
		} else if (info.intermediates === 0) {
			problems.push("fullchain.pem lacks the CA's intermediate certificate");
		} else if (facts.status?.directoryUrl !== wanted.directoryUrl) {
			problems.push(`it comes from ${facts.status?.directoryUrl ?? 'elsewhere'}, not ${wanted.directoryUrl}`);
		}
	}
	if (wanted.mode === 'existing' && wanted.existingChain?.trim() !== facts.chain.trim()) {
		problems.push('it is not the one in certificate.certFile');
	}
	return problems;
}

/** One line for the screen when all is well. */
export function describeCertificate(info: CertificateInfo, wanted: CertificateWanted): string {
	const left = daysLeft(info.notAfter, wanted.now);
	const parts = [`${info.names.join(', ')} until ${info.notAfter.toISOString().slice(0, 10)} (${left} days)`];
	if (wanted.mode === 'self-signed') {
		parts.push(`self-signed, SHA-256 ${info.fingerprint}`);
	} else {
		parts.push(`issued by ${info.issuer}`);
	}
	if (wanted.mode === 'letsencrypt') {
		parts.push('renewed on the server daily');
	}
	if (wanted.mode === 'existing' && left <= wanted.renewDays) {
		parts.push(`⚠ renew it yourself: ${left} days left`);
	}
	return parts.join(' · ');
}

export function decideCertificate(facts: CertificateFacts, wanted: CertificateWanted): CertificateVerdict {
	if (wanted.mode === 'letsencrypt' && wanted.names.some(name => name.startsWith('*.'))) {
		return {
			status: 'blocked',
			reason:
				'A certificate for *.NAME (dns.subdomains) needs the ACME DNS-01 challenge, which labbox does not do (it answers HTTP-01 on port 80)',
			fix: 'Use certificate.mode existing with a wildcard certificate you have, or self-signed, or set dns.subdomains to false.',
		};
	}
	const info = facts.chain ? inspectCertificate(facts.chain) : undefined;
	const problems = certificateProblems(facts, wanted, info);
	const fixKeyMode = problems.length === 0 && facts.keyMode !== '600 0';
	const renewer = wanted.mode === 'letsencrypt';
	const uploads = renewer
		? Object.entries(wanted.renewerHashes ?? {})
				.filter(([file, hash]) => facts.hashes[file] !== hash)
				.map(([file]) => file)
		: [];
	const image = renewer && !facts.imagePresent;
	const enableTimer = renewer && !facts.timerEnabled;
	const disableTimer = !renewer && facts.timerEnabled;
	const changes = [
		...problems.map(
			problem =>
				`${wanted.mode === 'letsencrypt' ? 'issue' : wanted.mode === 'self-signed' ? 'generate' : 'upload'} the certificate: ${problem}`,
		),
		...(fixKeyMode ? [`privkey.pem to mode 0600, owned by root (now ${facts.keyMode ?? 'unknown'})`] : []),
		...(uploads.length > 0 ? [`install the renewer: ${uploads.map(file => file.split('/').pop()).join(', ')}`] : []),
		...(image ? ['get the renewer image'] : []),
		...(enableTimer ? ['enable the daily renewal timer'] : []),
		...(disableTimer ? [`disable the renewal timer (certificate.mode is ${wanted.mode})`] : []),
	];
	if (changes.length === 0 && info) {
		return {status: 'done', detail: describeCertificate(info, wanted)};
	}
	return {status: 'todo', changes, replace: problems.length > 0, uploads, image, enableTimer, disableTimer, fixKeyMode};
}

/** Why the user's own files cannot be used (empty: they can). */
export function existingProblems(chain: string, key: string, names: readonly string[], now: Date): string[] {
	const info = inspectCertificate(chain);
	if (!info) {
		return ['certificate.certFile holds no PEM certificate'];
	}
	const problems: string[] = [];
	if (!keyMatchesCertificate(key, chain)) {
		problems.push('certificate.keyFile is not the key of certificate.certFile (or not an unencrypted PEM key)');
	}
	const uncovered = uncoveredNames(info.names, names);
	if (uncovered.length > 0) {
		problems.push(`certificate.certFile does not cover ${uncovered.join(', ')} (it covers ${info.names.join(', ')})`);
	}
	if (info.notAfter.getTime() <= now.getTime()) {
		problems.push(`certificate.certFile expired on ${info.notAfter.toISOString().slice(0, 10)}`);
	} else if (info.notBefore.getTime() > now.getTime()) {
		problems.push(`certificate.certFile is not valid before ${info.notBefore.toISOString().slice(0, 10)}`);
	}
	return problems;
}
