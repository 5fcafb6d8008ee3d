import {X509Certificate} from 'node:crypto';
import {existsSync} from 'node:fs';
import {mkdir, readFile, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {execa} from 'execa';
import {worldDir} from './config.js';
import {ensureHostPackages} from './host-packages.js';

const caDir = join(worldDir, 'ca');
export const caFile = join(caDir, 'ca.crt');
const caKey = join(caDir, 'ca.key');

const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

/** The world's own CA: it signs the TLS certificates of Pebble, the registry and the OIDC provider. */
export async function ensureWorldCa(): Promise<string> {
	if (existsSync(caFile) && existsSync(caKey)) return caFile;
	await ensureHostPackages(['openssl']);
	await mkdir(caDir, {recursive: true, mode: 0o700});
	await execa('openssl', [
		'req',
		'-x509',
		...ecKey,
		'-keyout',
		caKey,
		'-out',
		caFile,
		'-days',
		'3650',
		'-subj',
		'/CN=labbox test world CA',
		'-addext',
		'basicConstraints=critical,CA:TRUE',
		'-addext',
		'keyUsage=critical,keyCertSign,cRLSign',
	]);
	return caFile;
}

export interface ServiceCert {
	certFile: string;
	keyFile: string;
	dir: string;
	/** sha256 of the certificate: part of each service's spec, so a new certificate restarts them. */
	fingerprint: string;
}

async function describeCert(dir: string, certFile: string, keyFile: string): Promise<ServiceCert> {
	const fingerprint = new X509Certificate(await readFile(certFile)).fingerprint256;
	return {certFile, keyFile, dir, fingerprint};
}

/** The certificate is still good: same names, signed by the current world CA. */
async function stillValid(certFile: string, sansFile: string, sans: string): Promise<boolean> {
	if (!existsSync(certFile) || (await readFile(sansFile, 'utf8').catch(() => '')) !== sans) return false;
	const ca = new X509Certificate(await readFile(caFile));
	return new X509Certificate(await readFile(certFile)).verify(ca.publicKey);
}

/**
 * One server certificate for all of the world's services, valid for their fixed addresses and names; `folder`
 * gives services a test starts on demand a certificate of their own (issue 15).
 */
export async function ensureServiceCert(addresses: string[], names: string[], folder = 'services'): Promise<ServiceCert> {
	await ensureWorldCa();
	const dir = join(caDir, folder);
	const certFile = join(dir, 'tls.crt');
	const keyFile = join(dir, 'tls.key');
	const sans = [...addresses.map(ip => `IP:${ip}`), ...names.map(name => `DNS:${name}`)].join(',');
	const sansFile = join(dir, 'sans.txt');
	if (await stillValid(certFile, sansFile, sans)) return describeCert(dir, certFile, keyFile);
	await mkdir(dir, {recursive: true});
	const csr = join(dir, 'tls.csr');
	const ext = join(dir, 'ext.cnf');
	await execa('openssl', ['req', ...ecKey, '-keyout', keyFile, '-out', csr, '-subj', '/CN=labbox test world services']);
	await writeFile(
		ext,
		`subjectAltName=${sans}\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n`,
	);
	await execa('openssl', [
		'x509',
		'-req',
		'-in',
		csr,
		'-CA',
		caFile,
		'-CAkey',
		caKey,
		'-CAcreateserial',
		'-days',
		'825',
		'-sha256',
		'-out',
		certFile,
		'-extfile',
		ext,
	]);
	// Containers run their services as root, but keep the key readable for non-root service users.
	await execa('chmod', ['0644', keyFile]);
	await writeFile(sansFile, sans);
	return describeCert(dir, certFile, keyFile);
}
