/**
 * Certificate inspection (one home): what a PEM chain covers, until when, who issued it, and whether a key
 * belongs to it. Node's own X509Certificate reads; nothing here touches the network or the server.
 */
import {createPrivateKey, createPublicKey, X509Certificate, type KeyObject} from 'node:crypto';

/** What the lab needs to know of a certificate (the first one of a chain). */
export interface CertificateInfo {
	/** DNS names and IP addresses it is valid for (subjectAltName; CN only when there is none). */
	readonly names: readonly string[];
	readonly notBefore: Date;
	readonly notAfter: Date;
	/** Hex, upper case, as Node prints it. */
	readonly serial: string;
	readonly subject: string;
	readonly issuer: string;
	/** Signed by its own key (self-signed), not by a CA. */
	readonly selfSigned: boolean;
	/** SHA-256 fingerprint, `AB:CD:...`, the one browsers show. */
	readonly fingerprint: string;
	/** How many certificates follow it in the chain (intermediates). */
	readonly intermediates: number;
	/** Each certificate of the chain is issued by the next one. */
	readonly chainOrdered: boolean;
}

const pemBlock = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The certificates of a PEM text, in order (leaf first in a fullchain). */
export function parseChain(pem: string): X509Certificate[] {
	return (pem.match(pemBlock) ?? []).map(block => new X509Certificate(block));
}

/** The names of a certificate: `DNS:a, DNS:b, IP Address:1.2.3.4` → `a`, `b`, `1.2.3.4`. */
export function certificateNames(certificate: X509Certificate): string[] {
	const san = certificate.subjectAltName;
	if (san) {
		return san
			.split(/,\s*/)
			.map(entry => /^(?:DNS|IP Address):(.+)$/.exec(entry)?.[1])
			.filter((name): name is string => name !== undefined)
			.map(name => name.toLowerCase());
	}
	const cn = /(?:^|\n)CN=(.+)/.exec(certificate.subject ?? '')?.[1];
	return cn ? [cn.toLowerCase()] : [];
}

/** Reads the first certificate of a PEM chain; undefined when there is none. */
export function inspectCertificate(pem: string): CertificateInfo | undefined {
	const chain = parseChain(pem);
	const leaf = chain[0];
	if (!leaf) {
		return undefined;
	}
	return {
		names: certificateNames(leaf),
		notBefore: new Date(leaf.validFrom),
		notAfter: new Date(leaf.validTo),
		serial: leaf.serialNumber,
		// Node leaves these undefined for an empty name (ACME CAs may issue with SANs only).
		subject: (leaf.subject ?? '').replaceAll('\n', ', '),
		issuer: (leaf.issuer ?? '').replaceAll('\n', ', '),
		// Not checkIssued: OpenSSL wants keyCertSign for that, which a self-signed server certificate lacks.
		selfSigned: leaf.issuer === leaf.subject && leaf.verify(leaf.publicKey),
		fingerprint: leaf.fingerprint256,
		intermediates: chain.length - 1,
		chainOrdered: chain.every((certificate, index) => index === 0 || chain[index - 1]!.checkIssued(certificate)),
	};
}

/** Whether a certificate name covers a host name (`*.lab.org` covers `a.lab.org`, not `lab.org` nor `a.b.lab.org`). */
export function nameCovers(certificateName: string, host: string): boolean {
	const name = certificateName.toLowerCase();
	const wanted = host.toLowerCase();
	if (name === wanted) {
		return true;
	}
	// A wanted `*.lab.org` is covered only by the same wildcard, handled by the equality above.
	if (!name.startsWith('*.') || wanted.startsWith('*.')) {
		return false;
	}
	const dot = wanted.indexOf('.');
	return dot > 0 && wanted.slice(dot + 1) === name.slice(2);
}

/** The wanted names a certificate does not cover. */
export function uncoveredNames(names: readonly string[], wanted: readonly string[]): string[] {
	return wanted.filter(host => !names.some(name => nameCovers(name, host)));
}

/** Whole days from `now` to `notAfter` (negative once expired). */
export function daysLeft(notAfter: Date, now: Date = new Date()): number {
	return Math.floor((notAfter.getTime() - now.getTime()) / 86_400_000);
}

/** Whether a private key (PEM) belongs to the certificate; false for a key that cannot be read. */
export function keyMatchesCertificate(keyPem: string, certificatePem: string): boolean {
	const leaf = parseChain(certificatePem)[0];
	let key: KeyObject;
	try {
		key = createPrivateKey(keyPem);
	} catch {
		return false;
	}
	return leaf?.checkPrivateKey(key) === true;
}

/** The public key material of a certificate or key, comparable across formats (RSA modulus, EC point): `rsa:N`, `ec:CURVE:X:Y`. */
export function publicKeyMaterial(key: KeyObject): string | undefined {
	const jwk = (key.type === 'public' ? key : createPublicKey(key)).export({format: 'jwk'});
	if (jwk.kty === 'RSA') {
		return `rsa:${jwk.n}`;
	}
	if (jwk.kty === 'EC') {
		return `ec:${jwk.crv}:${jwk.x}:${jwk.y}`;
	}
	return undefined;
}
