import {webcrypto, X509Certificate} from 'node:crypto';
import * as x509 from '@peculiar/x509';
import {beforeAll, describe, expect, it} from 'vitest';
import {sha256} from '../../../source/acme/account-key.js';
import {makeSelfSigned, type SelfSigned} from '../../../source/acme/self-signed.js';
import {toShell} from '../../../source/remote/command.js';
import {decideCertificate, existingProblems, type CertificateFacts, type CertificateWanted} from '../../../steps/certificate/decide.js';
import {certificateFactSet, fileHashes, parseStatus} from '../../../steps/certificate/facts.js';
import {fileStates} from '../../../source/remote/facts/file-state.js';
import {describeRenewal, renewalStatusCommand} from '../../../steps/certificate/status.js';
import {
	certificateFolders,
	defaultRenewerImage,
	getRenewerImage,
	reloadNginxIfRunning,
	renewerConfig,
	renewerFiles,
	renewerLabel,
	runningRenewers,
	runRenewer,
	waitForRenewers,
} from '../../../source/templates/renewer.js';
import {readTemplate} from '../../../source/templates/template-files.js';
import {explainNetworkError, renewalReason} from '../../../templates/renewer/renew.mjs';
import {sshLine} from '../acme/ssh-line.js';

const now = new Date('2026-06-01T00:00:00Z');
const day = 86_400_000;
const directoryUrl = 'https://acme.example.org/dir';

/** A certificate signed by a test CA (as an ACME CA would issue it), for `names`, valid `days` from `now`. */
async function caIssued(names: string[], days: number): Promise<SelfSigned> {
	const algorithm = {name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256'};
	const caKeys = (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as CryptoKeyPair;
	const ca = await x509.X509CertificateGenerator.createSelfSigned({
		serialNumber: '01',
		name: 'CN=Test ACME CA',
		keys: caKeys,
		signingAlgorithm: algorithm,
		extensions: [new x509.BasicConstraintsExtension(true, 0, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true)],
	});
	const keys = (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as CryptoKeyPair;
	const leaf = await x509.X509CertificateGenerator.create({
		serialNumber: '0a1b',
		subject: `CN=${names[0]}`,
		issuer: 'CN=Test ACME CA',
		notBefore: new Date(now.getTime() - day),
		notAfter: new Date(now.getTime() + days * day),
		signingKey: caKeys.privateKey,
		publicKey: keys.publicKey,
		signingAlgorithm: algorithm,
		extensions: [new x509.SubjectAlternativeNameExtension(names.map(value => ({type: 'dns' as const, value})))],
	});
	const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)).toString('base64');
	// A fullchain, as ACME CAs hand it out: the certificate, then the CA that issued it.
	return {
		certificate: `${leaf.toString('pem')}\n${ca.toString('pem')}\n`,
		privateKey: `-----BEGIN PRIVATE KEY-----\n${pkcs8}\n-----END PRIVATE KEY-----\n`,
	};
}

const renewerHashes = {'/srv/lab/renewer/renew.mjs': 'aa', '/srv/lab/certs/acme/account.key': 'bb'};

function facts(made: SelfSigned | undefined, extra: Partial<CertificateFacts> = {}): CertificateFacts {
	return {
		chain: made?.certificate,
		keyPublic: made ? sshLine(made.privateKey) : undefined,
		keyMode: '600 0',
		status: {directoryUrl},
		timerEnabled: true,
		hashes: renewerHashes,
		imagePresent: true,
		...extra,
	};
}

const letsencrypt: CertificateWanted = {mode: 'letsencrypt', names: ['lab.example.org'], renewDays: 30, now, directoryUrl, renewerHashes};
const selfSigned: CertificateWanted = {mode: 'self-signed', names: ['lab.example.org'], renewDays: 30, now};

describe('certificate decision', () => {
	let issued: SelfSigned;
	let other: SelfSigned;
	let own: SelfSigned;

	beforeAll(async () => {
		[issued, other, own] = await Promise.all([
			caIssued(['lab.example.org'], 60),
			caIssued(['other.example.org'], 60),
			makeSelfSigned(['lab.example.org', '*.lab.example.org'], {now}),
		]);
	});

	it('is done when the CA certificate covers the name, matches its key, has time left and the renewer is in place', () => {
		const verdict = decideCertificate(facts(issued), letsencrypt);
		expect(verdict).toEqual({
			status: 'done',
			detail: 'lab.example.org until 2026-07-31 (60 days) · issued by CN=Test ACME CA · renewed on the server daily',
		});
	});

	it('issues when there is no certificate, and installs the whole renewer on a fresh server', () => {
		const verdict = decideCertificate({hashes: {}, timerEnabled: false, imagePresent: false}, letsencrypt);
		expect(verdict).toEqual({
			status: 'todo',
			changes: [
				'issue the certificate: no certificate on the server yet',
				'install the renewer: renew.mjs, account.key',
				'get the renewer image',
				'enable the daily renewal timer',
			],
			replace: true,
			uploads: ['/srv/lab/renewer/renew.mjs', '/srv/lab/certs/acme/account.key'],
			image: true,
			enableTimer: true,
			disableTimer: false,
			fixKeyMode: false,
		});
	});

	it.each([
		['another name', () => facts(other), 'issue the certificate: it does not cover lab.example.org (it covers other.example.org)'],
		[
			'a key that is not its own',
			() => ({...facts(issued), keyPublic: sshLine(other.privateKey)}),
			'issue the certificate: privkey.pem does not match it',
		],
		['no key', () => ({...facts(issued), keyPublic: undefined}), 'issue the certificate: privkey.pem is missing or unreadable'],
		[
			'another CA (staging, then production)',
			() => facts(issued, {status: {directoryUrl: 'https://staging.example.org/dir'}}),
			`issue the certificate: it comes from https://staging.example.org/dir, not ${directoryUrl}`,
		],
		['a self-signed one', () => facts(own), 'issue the certificate: it is self-signed, not from the ACME CA'],
	])('issues again for %s', (_case, makeFacts, change) => {
		const verdict = decideCertificate(makeFacts(), letsencrypt);
		expect(verdict.status === 'todo' && verdict.changes).toEqual([change]);
	});

	it('renews within the margin, and says when it expired', () => {
		const soon = decideCertificate(facts(issued), {...letsencrypt, now: new Date(now.getTime() + 31 * day)});
		expect(soon.status === 'todo' && soon.changes).toEqual(['issue the certificate: 29 days left (renewal at 30)']);
		const late = decideCertificate(facts(issued), {...letsencrypt, now: new Date(now.getTime() + 61 * day)});
		expect(late.status === 'todo' && late.changes).toEqual(['issue the certificate: it expired on 2026-07-31']);
	});

	it('issues again when the chain lacks the intermediate or is out of order', () => {
		const [leaf, intermediate] = issued.certificate.split(/(?<=-----END CERTIFICATE-----)\s*/).filter(Boolean);
		const alone = decideCertificate({...facts(issued), chain: `${leaf}\n`}, letsencrypt);
		expect(alone.status === 'todo' && alone.changes).toEqual([
			"issue the certificate: fullchain.pem lacks the CA's intermediate certificate",
		]);
		const reversed = decideCertificate({...facts(issued), chain: `${intermediate}\n${leaf}\n`}, letsencrypt);
		expect(reversed.status === 'todo' && reversed.changes).toContain(
			'issue the certificate: its chain is broken (each certificate of fullchain.pem must be issued by the next)',
		);
	});

	it('refuses a wildcard with HTTP-01', () => {
		expect(decideCertificate(facts(issued), {...letsencrypt, names: ['lab.example.org', '*.lab.example.org']}).status).toBe('blocked');
	});

	it('fixes a loose key mode without a new certificate, and updates a changed renewer file', () => {
		const verdict = decideCertificate(
			facts(issued, {keyMode: '644 0', hashes: {...renewerHashes, '/srv/lab/renewer/renew.mjs': 'old'}}),
			letsencrypt,
		);
		expect(verdict).toMatchObject({status: 'todo', replace: false, fixKeyMode: true, uploads: ['/srv/lab/renewer/renew.mjs']});
		expect(verdict.status === 'todo' && verdict.changes).toEqual([
			'privkey.pem to mode 0600, owned by root (now 644 0)',
			'install the renewer: renew.mjs',
		]);
	});

	it('self-signed: done with the fingerprint; the renewer timer is disabled', () => {
		const verdict = decideCertificate(facts(own, {timerEnabled: false}), selfSigned);
		expect(verdict.status === 'done' && verdict.detail).toMatch(
			/^lab\.example\.org, \*\.lab\.example\.org until 2028-09-03 \(825 days\) · self-signed, SHA-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}$/,
		);
		const left = decideCertificate(facts(own), selfSigned);
		expect(left.status === 'todo' && left.changes).toEqual(['disable the renewal timer (certificate.mode is self-signed)']);
		const issuedHere = decideCertificate(facts(issued, {timerEnabled: false}), selfSigned);
		expect(issuedHere.status === 'todo' && issuedHere.changes).toEqual([
			'generate the certificate: it is not self-signed (certificate.mode is self-signed)',
		]);
	});

	it('existing: the server must hold the user chain; a short margin is a warning only', () => {
		const wanted: CertificateWanted = {mode: 'existing', names: ['lab.example.org'], renewDays: 90, now, existingChain: issued.certificate};
		const verdict = decideCertificate(facts(issued, {timerEnabled: false}), wanted);
		expect(verdict.status === 'done' && verdict.detail).toBe(
			'lab.example.org until 2026-07-31 (60 days) · issued by CN=Test ACME CA · ⚠ renew it yourself: 60 days left',
		);
		const changed = decideCertificate(facts(issued, {timerEnabled: false}), {...wanted, existingChain: other.certificate});
		expect(changed.status === 'todo' && changed.changes).toEqual(['upload the certificate: it is not the one in certificate.certFile']);
	});

	it("refuses the user's files when the key does not match, the name is not covered, or it expired", () => {
		expect(existingProblems(issued.certificate, issued.privateKey, ['lab.example.org'], now)).toEqual([]);
		expect(existingProblems(issued.certificate, other.privateKey, ['lab.example.org'], now)).toEqual([
			'certificate.keyFile is not the key of certificate.certFile (or not an unencrypted PEM key)',
		]);
		expect(existingProblems(other.certificate, other.privateKey, ['lab.example.org'], now)).toEqual([
			'certificate.certFile does not cover lab.example.org (it covers other.example.org)',
		]);
		expect(existingProblems(issued.certificate, issued.privateKey, ['lab.example.org'], new Date(now.getTime() + 90 * day))).toEqual([
			'certificate.certFile expired on 2026-07-31',
		]);
		expect(existingProblems('nothing', issued.privateKey, ['lab.example.org'], now)).toEqual([
			'certificate.certFile holds no PEM certificate',
		]);
	});
});

describe('certificate facts and commands', () => {
	it('reads the server in one set of quiet commands; the key only through ssh-keygen -y', () => {
		const set = certificateFactSet('/srv/lab', ['/srv/lab/renewer/run.sh'], 'renewer:1');
		expect(Object.fromEntries(Object.entries(set).map(([key, fact]) => [key, toShell(fact.command)]))).toEqual({
			chain: 'cat /srv/lab/certs/fullchain.pem 2>/dev/null',
			keyPublic: "ssh-keygen -y -P '' -f /srv/lab/certs/privkey.pem 2>/dev/null",
			status: 'cat /srv/lab/certs/renewal.json 2>/dev/null',
			// Asked with every other unit in the round trip's one systemctl show (issue 11).
			timer: 'systemctl show --property=Id,LoadState,ActiveState,UnitFileState,Listen -- labbox-renewer.timer',
			files:
				"stat -c '%n|%a|%u:%g|%U:%G|%F' /srv/lab/renewer/run.sh /srv/lab/certs/privkey.pem 2>/dev/null ; sha256sum /srv/lab/renewer/run.sh 2>/dev/null",
			image:
				"docker image inspect --format '{{.Id}}' renewer:1 2>/dev/null > /dev/null && echo present '*' || { docker image inspect --format '{{.Id}}' renewer:1 2>/dev/null > /dev/null && echo present renewer:1 ; }",
		});
	});

	it('takes the hashes from the file states, and parses the status file', () => {
		const states = fileStates(['/srv/lab/renewer/run.sh', '/srv/lab/certs/acme']).parse(
			`/srv/lab/renewer/run.sh|755|0:0|root:root|regular file\n/srv/lab/certs/acme|700|0:0|root:root|directory\n${'a'.repeat(64)}  /srv/lab/renewer/run.sh\n`,
		);
		expect(fileHashes(states ?? {})).toEqual({'/srv/lab/renewer/run.sh': 'a'.repeat(64)});
		expect(parseStatus('{"lastError": "refused"}')).toEqual({lastError: 'refused'});
		expect(parseStatus('not json')).toBeUndefined();
	});

	it('builds the renewer commands', () => {
		expect(certificateFolders('/srv/lab').map(command => toShell(command))).toEqual([
			"test -d /srv/lab || { mkdir -p /srv/lab && printf '%s\\n' /srv/lab >> /srv/lab/.labbox-folders ; }",
			'install -d -m 0755 /srv/lab/renewer /srv/lab/acme-webroot',
			'install -d -m 0700 /srv/lab/certs /srv/lab/certs/acme',
		]);
		expect(toShell(runRenewer('/srv/lab', 'renewer:1', true))).toBe('sh /srv/lab/renewer/run.sh /srv/lab renewer:1 --force');
		expect(toShell(runRenewer('/srv/lab', 'renewer:1', false))).toBe('sh /srv/lab/renewer/run.sh /srv/lab renewer:1');
		expect(toShell(getRenewerImage('/srv/lab', 'registry.example.org/renewer:1'))).toBe('docker pull registry.example.org/renewer:1');
		expect(toShell(getRenewerImage('/srv/lab', defaultRenewerImage))).toBe(
			'docker build --tag labbox-renewer:acme-client-5.4.0 /srv/lab/renewer',
		);
		expect(toShell(reloadNginxIfRunning('/srv/lab'))).toBe(
			"sh -c 'if docker compose -f /srv/lab/compose.yaml ps --status running --services 2>/dev/null | grep -qx nginx ; then docker compose -f /srv/lab/compose.yaml exec -T nginx nginx -s reload ; fi'",
		);
	});

	// Issue 9 item 5: what labbox starts on the server carries its label, so a later run knows it as its own.
	it("labels the renewer's container, and finds and waits for a running one", () => {
		expect(renewerLabel).toBe('labbox.role=renewer');
		expect(toShell(runningRenewers())).toBe('docker ps --quiet --no-trunc --filter label=labbox.role=renewer 2>/dev/null');
		expect(toShell(waitForRenewers(['abc', 'def']))).toBe('timeout 300 docker wait abc def');
		const script = readTemplate('renewer/run.sh');
		expect(script).toContain(`docker run --rm --label ${renewerLabel} `);
		expect(script).toContain(`earlier=$(docker ps --quiet --filter label=${renewerLabel})`);
		// Stopped with labbox (TERM from the session), the container stops too.
		expect(script).toContain(`trap 'kill -TERM "$child" 2>/dev/null' INT TERM HUP`);
		expect(readTemplate('renewer/renew.mjs')).toContain("process.once('SIGTERM'");
	});

	it('renders the renewer files: config with container paths, the unit with root and image', () => {
		const settings = {
			root: '/srv/lab',
			domains: ['lab.example.org'],
			email: 'a@example.org',
			directoryUrl,
			renewDays: 30,
			ca: 'PEM',
			image: 'renewer:1',
		};
		expect(JSON.parse(renewerConfig(settings))).toEqual({
			domains: ['lab.example.org'],
			email: 'a@example.org',
			directoryUrl,
			renewDays: 30,
			caFile: '/renewer/ca.pem',
			certsDir: '/certs',
			webroot: '/webroot',
			accountKeyFile: '/certs/acme/account.key',
		});
		const files = renewerFiles(settings);
		expect(files.map(file => `${file.path} ${file.mode}`)).toEqual([
			'/srv/lab/renewer/renew.mjs 0644',
			'/srv/lab/renewer/run.sh 0755',
			'/srv/lab/renewer/Dockerfile 0644',
			'/srv/lab/renewer/config.json 0644',
			'/srv/lab/renewer/ca.pem 0644',
			'/etc/systemd/system/labbox-renewer.service 0644',
			'/etc/systemd/system/labbox-renewer.timer 0644',
		]);
		expect(files.find(file => file.path.endsWith('.service'))!.content).toContain(
			'ExecStart=/bin/sh /srv/lab/renewer/run.sh /srv/lab renewer:1\n',
		);
		expect(() => renewerFiles({...settings, image: 'bad image; rm'})).toThrow('cannot go into a systemd unit');
		expect(sha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
	});
});

describe('the renewer on the server', () => {
	let issued: SelfSigned;
	beforeAll(async () => {
		issued = await caIssued(['lab.example.org'], 60);
	});

	it('renews only when due', () => {
		const certificate = new X509Certificate(issued.certificate);
		const base = {
			certificate,
			keyMatches: true,
			domains: ['lab.example.org'],
			renewDays: 30,
			directoryUrl,
			lastDirectoryUrl: directoryUrl,
			now,
		};
		expect(renewalReason(base)).toBeUndefined();
		expect(renewalReason({...base, force: true})).toBe('asked to renew');
		expect(renewalReason({...base, certificate: undefined})).toBe('no certificate yet');
		expect(renewalReason({...base, domains: ['new.example.org']})).toBe('the certificate does not cover new.example.org');
		expect(renewalReason({...base, keyMatches: false})).toBe('privkey.pem does not match the certificate');
		expect(renewalReason({...base, lastDirectoryUrl: undefined})).toBe(`the certificate comes from another CA, not ${directoryUrl}`);
		expect(renewalReason({...base, renewDays: 61})).toBe('60 days left, fewer than 61');
	});

	it.each([
		['ECONNREFUSED', 'the ACME server acme.example.org refused the connection (nothing listens there): check certificate.directoryUrl'],
		['ENOTFOUND', 'the name of the ACME server acme.example.org does not resolve from the server'],
		['ETIMEDOUT', 'the ACME server acme.example.org is not reachable from the server (ETIMEDOUT): check its outgoing firewall'],
		[
			'SELF_SIGNED_CERT_IN_CHAIN',
			'the TLS certificate of the ACME server acme.example.org is not trusted (SELF_SIGNED_CERT_IN_CHAIN): set certificate.caFile to the CA that signed it',
		],
		['EPROTO', 'the ACME server acme.example.org could not be reached (EPROTO)'],
	])('names the real cause of %s', (code, message) => {
		expect(explainNetworkError(code, directoryUrl)).toBe(message);
	});
});

describe('renewal status for labbox status', () => {
	it('reads renewal.json', () => {
		expect(toShell(renewalStatusCommand('/srv/lab'))).toBe('cat /srv/lab/certs/renewal.json');
	});

	it.each([
		[undefined, {ok: false, text: 'the renewer has not run yet (run `labbox run certificate`)'}],
		[
			{expiry: '2026-08-01T00:00:00.000Z', lastCheck: '2026-06-01T03:12:00.000Z', lastError: null},
			{ok: true, text: 'expires 2026-08-01 (61 days), renewed on the server; last checked 2026-06-01 03:12'},
		],
		[
			{expiry: '2026-06-20T00:00:00.000Z', lastAttempt: '2026-06-01T03:12:00.000Z', lastError: 'the ACME server refused: rate limited'},
			{
				ok: false,
				text: 'renewal failed on 2026-06-01 03:12: the ACME server refused: rate limited; the certificate in place expires 2026-06-20 (19 days)',
			},
		],
		[
			{expiry: '2026-05-20T00:00:00.000Z', lastError: 'timeout'},
			{ok: false, text: 'the certificate expired on 2026-05-20; last renewal failed: timeout'},
		],
	])('%o: %o', (status, expected) => {
		expect(describeRenewal(status, now)).toEqual(expected);
	});
});
