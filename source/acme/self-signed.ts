/**
 * Self-signed certificates made in Node (no openssl on either side): ECDSA P-256, SHA-256, for the lab's name
 * and `*.NAME`, with the SANs and usages browsers and `openssl verify -purpose sslserver` want.
 */
import {randomBytes, webcrypto} from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as Crypto);

const algorithm = {name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256'} as const;

/** A certificate and its key, both PEM (the key is PKCS#8: keep it 0600, never log it). */
export interface SelfSigned {
	readonly certificate: string;
	readonly privateKey: string;
}

/** Self-signed certificate for these DNS names (the first is the subject), valid `days` from `now`. */
export async function makeSelfSigned(
	names: readonly string[],
	options: {readonly days?: number; readonly now?: Date} = {},
): Promise<SelfSigned> {
	const now = options.now ?? new Date();
	// Why 825: the longest validity macOS and iOS accept for a certificate a user trusts by hand.
	const notAfter = new Date(now.getTime() + (options.days ?? 825) * 86_400_000);
	const keys = (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as CryptoKeyPair;
	const certificate = await x509.X509CertificateGenerator.createSelfSigned({
		// Positive (high bit clear) and random: two certificates for the same name never share a serial.
		serialNumber: `01${randomBytes(15).toString('hex')}`,
		name: `CN=${names[0]}, O=lab-in-a-box self-signed`,
		notBefore: new Date(now.getTime() - 60_000),
		notAfter,
		keys,
		signingAlgorithm: algorithm,
		extensions: [
			new x509.BasicConstraintsExtension(false, undefined, true),
			new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
			new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
			new x509.SubjectAlternativeNameExtension(names.map(value => ({type: 'dns' as const, value}))),
			await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
		],
	});
	const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
	return {
		certificate: `${certificate.toString('pem')}\n`,
		privateKey: `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END PRIVATE KEY-----\n`,
	};
}
