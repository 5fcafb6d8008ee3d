import {execFileSync} from 'node:child_process';
import {webcrypto} from 'node:crypto';
import * as x509 from '@peculiar/x509';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {createPublicKey, generateKeyPairSync, X509Certificate} from 'node:crypto';
import {describe, expect, it} from 'vitest';
import {
	daysLeft,
	inspectCertificate,
	keyMatchesCertificate,
	nameCovers,
	publicKeyMaterial,
	uncoveredNames,
} from '../../../source/acme/inspect.js';
import {makeSelfSigned} from '../../../source/acme/self-signed.js';
import {sshPublicKeyMaterial} from '../../../source/acme/ssh-public-key.js';
import {sshLine} from './ssh-line.js';

const now = new Date('2026-01-01T00:00:00Z');

describe('self-signed certificates', () => {
	it('covers the name and its wildcard, read back from the PEM', async () => {
		const made = await makeSelfSigned(['lab.example.org', '*.lab.example.org'], {now, days: 90});
		const info = inspectCertificate(made.certificate)!;
		expect(info.names).toEqual(['lab.example.org', '*.lab.example.org']);
		expect(info.subject).toContain('CN=lab.example.org');
		expect(info.selfSigned).toBe(true);
		expect(info.intermediates).toBe(0);
		expect(info.notAfter.toISOString()).toBe('2026-04-01T00:00:00.000Z');
		expect(daysLeft(info.notAfter, now)).toBe(90);
		expect(info.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
		expect(new X509Certificate(made.certificate).publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
	});

	it('makes a key that matches its certificate and no other', async () => {
		const [one, two] = await Promise.all([makeSelfSigned(['a.example.org']), makeSelfSigned(['a.example.org'])]);
		expect(keyMatchesCertificate(one.privateKey, one.certificate)).toBe(true);
		expect(keyMatchesCertificate(two.privateKey, one.certificate)).toBe(false);
		expect(keyMatchesCertificate('not a key', one.certificate)).toBe(false);
		expect(inspectCertificate(one.certificate)!.serial).not.toBe(inspectCertificate(two.certificate)!.serial);
	});

	it('is a server certificate that openssl accepts when trusted', async () => {
		const made = await makeSelfSigned(['lab.example.org', '*.lab.example.org']);
		const text = execFileSync('openssl', ['x509', '-noout', '-text'], {input: made.certificate}).toString();
		expect(text).toContain('TLS Web Server Authentication');
		expect(text).toContain('CA:FALSE');
		expect(text).toContain('ecdsa-with-SHA256');
		const folder = mkdtempSync(path.join(tmpdir(), 'labbox-cert-'));
		try {
			writeFileSync(path.join(folder, 'cert.pem'), made.certificate);
			const file = path.join(folder, 'cert.pem');
			expect(execFileSync('openssl', ['verify', '-CAfile', file, '-purpose', 'sslserver', file]).toString()).toBe(`${file}: OK\n`);
		} finally {
			rmSync(folder, {recursive: true});
		}
	});
});

describe('certificate names', () => {
	it.each([
		['lab.org', 'lab.org', true],
		['LAB.org', 'lab.ORG', true],
		['*.lab.org', 'a.lab.org', true],
		['*.lab.org', 'lab.org', false],
		['*.lab.org', 'a.b.lab.org', false],
		['*.lab.org', '*.lab.org', true],
		['a.lab.org', '*.lab.org', false],
		['*.other.org', 'a.lab.org', false],
	])('%s covers %s: %s', (name, host, covered) => {
		expect(nameCovers(name, host)).toBe(covered);
	});

	it('lists the wanted names not covered', () => {
		expect(uncoveredNames(['lab.org'], ['lab.org', '*.lab.org'])).toEqual(['*.lab.org']);
	});

	it('reads a certificate with an empty subject and its names in the SAN only, as ACME CAs issue them', async () => {
		const algorithm = {name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256'};
		const keys = (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as CryptoKeyPair;
		const pem = (
			await x509.X509CertificateGenerator.create({
				subject: '',
				issuer: 'CN=Test CA',
				signingKey: keys.privateKey,
				publicKey: keys.publicKey,
				signingAlgorithm: algorithm,
				extensions: [new x509.SubjectAlternativeNameExtension([{type: 'dns', value: 'a.test'}], true)],
			})
		).toString('pem');
		expect(inspectCertificate(pem)).toMatchObject({names: ['a.test'], subject: '', issuer: 'CN=Test CA', selfSigned: false});
	});

	it('reads nothing from a text without a certificate', () => {
		expect(inspectCertificate('')).toBeUndefined();
	});
});

describe('public keys from ssh-keygen -y', () => {
	it.each([
		['ec', {namedCurve: 'P-256'}],
		['ec', {namedCurve: 'P-384'}],
		['rsa', {modulusLength: 2048}],
	] as const)('%s %o: the OpenSSH line and the PEM key give the same material', (type, options) => {
		const {privateKey} = generateKeyPairSync(type as 'ec', options as {namedCurve: string});
		const openssh = sshLine(privateKey.export({type: 'pkcs8', format: 'pem'}).toString());
		expect(sshPublicKeyMaterial(openssh)).toBe(publicKeyMaterial(createPublicKey(privateKey)));
	});

	it('reads nothing from a line that is not a key', () => {
		expect(sshPublicKeyMaterial('')).toBeUndefined();
		expect(sshPublicKeyMaterial('Load key "x": invalid format')).toBeUndefined();
	});
});
