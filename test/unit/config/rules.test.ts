// The value rules of issue 9 (items 2, 3, 11, 12), through the one schema (fields.ts) as a lab.yaml value is
// checked, and the rules' own functions for the cases around their edges.
import {generateKeyPairSync} from 'node:crypto';
import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {makeSelfSigned} from '../../../source/acme/self-signed.js';
import {certificateFileProblems, certificatesOnlyProblem} from '../../../source/config/certificate-files.js';
import {fieldByKey} from '../../../source/config/fields.js';
import {labRootProblem} from '../../../source/config/lab-root.js';
import {userNamePattern} from '../../../source/config/names.js';
import {checkValue} from '../../../source/config/resolve.js';
import {root} from '../../helpers/labbox-process.js';
import {tempDir} from '../../helpers/lab-folder.js';

/** The message for a lab.yaml value, or 'ok'. */
const check = (key: string, value: unknown) => checkValue(fieldByKey.get(key)!, value, 'file')?.message ?? 'ok';

describe('lab.root (item 2)', () => {
	it.each([
		'/',
		'/tmp',
		'/var/tmp',
		'/etc',
		'/usr',
		'/usr/local',
		'/var',
		'/var/lib',
		'/home',
		'/root',
		'/boot',
		'/proc',
		'/sys',
		'/dev',
		'/run',
		'/bin',
		'/sbin',
		'/lib',
		'/lib64',
		'/opt',
		'/srv',
		'/mnt',
		'/media',
	])('refuses the system folder %s, naming a folder of its own', folder => {
		expect(check('lab.root', folder)).toBe(
			`lab.root: "${folder}" (from lab.root in lab.yaml) is not valid: ${folder} is a system folder other programs use (the lab would change its owner and mode): use a folder of its own, such as /srv/lab; expected an absolute path of a folder of its own, e.g. lab.root: /srv/lab`,
		);
	});

	it.each([
		['/tmp/lab', 'is inside /tmp (emptied at boot and by cleaners)'],
		['/run/lab', 'is inside /run (emptied at every boot)'],
		['/proc/1', 'is inside /proc'],
		['/etc/lab', 'is inside /etc'],
		['/usr/lib/lab', 'is inside /usr/lib (managed by the package manager)'],
		['/var/lib/docker/lab', 'is inside /var/lib/docker'],
		['/srv/../etc', 'has a "." or ".." part'],
		['/srv/./lab', 'has a "." or ".." part'],
		['/srv/lab/..', 'has a "." or ".." part'],
		['/srv//lab', 'has a doubled or trailing slash'],
		['/srv/lab/', 'has a doubled or trailing slash'],
		['srv/lab', 'is not an absolute path'],
	])('refuses %s: it %s', (folder, why) => {
		expect(labRootProblem(folder)).toContain(why);
		expect(check('lab.root', folder)).toContain('is not valid');
	});

	it.each(['/srv/lab', '/data/lab', '/opt/lab', '/var/lib/lab', '/home/lab-data', '/srv/lab.2'])('accepts %s', folder => {
		expect(check('lab.root', folder)).toBe('ok');
	});
});

describe('user and group names (item 11)', () => {
	it.each([['a/b'], ['..'], ['.'], ['-x'], ['.hidden'], ['a b'], [''], ['a'.repeat(129)], ['ada;rm']])(
		'refuses the user name %j in auth.admins and auth.allowedUsers',
		name => {
			for (const key of ['auth.admins', 'auth.allowedUsers']) {
				expect(check(key, [name])).toContain(
					`${JSON.stringify(name)} cannot be a user name: the hub and the home folders take 1 to 128 letters, digits and . _ @ + - starting with a letter or digit`,
				);
			}
		},
	);

	it.each(['ada', 'Ada-Lovelace', 'grace.hopper', 'ada@example.org', 'x+lab', '0123-uuid', 'a'.repeat(128)])(
		'accepts the user name %s (the hub lower-cases it)',
		name => {
			expect(check('auth.admins', [name])).toBe('ok');
		},
	);

	it('is the rule the hub’s pre-spawn hook applies to home folder names', () => {
		const hubConfig = readFileSync(path.join(root, 'templates/jupyterhub/jupyterhub_config.py'), 'utf8');
		expect(/SAFE_NAME = re\.compile\(r'([^']+)'\)/.exec(hubConfig)?.[1]).toBe(userNamePattern);
	});

	it('has a rule of its own for groups: paths and OIDC group names, never a leading -', () => {
		expect(check('auth.allowedGroups', ['my-lab-org', 'parent/child', '/lab-users', 'org:team'])).toBe('ok');
		expect(check('auth.allowedGroups', ['-x'])).toContain('"-x" cannot be a group name');
		expect(check('auth.allowedGroups', ['a b'])).toContain('"a b" cannot be a group name');
	});
});

describe('auth.issuer and auth.gitlabUrl (item 12)', () => {
	it.each([
		['http://login.example.org', 'plain http:// is only for localhost: use https://'],
		['file:///etc/passwd', 'a file: URL is not allowed: use https://'],
		['javascript:alert(1)', 'a javascript: URL is not allowed: use https://'],
		['https://login.example.org/\u0007', 'it has a control character or a space'],
		['https://login.exa\nmple.org', 'it has a control character or a space'],
		['https://login.example.org/ realms', 'it has a control character or a space'],
		['not a url', 'it has a control character or a space'],
		['login.example.org', 'it is not a URL'],
	])('refuse %j: %s', (url, why) => {
		for (const key of ['auth.issuer', 'auth.gitlabUrl']) {
			expect(check(key, url)).toContain(`is not valid: ${why}`);
		}
	});

	it('refuse credentials in the URL, without repeating them', () => {
		const message = check('auth.issuer', 'https://admin:hunter2@login.example.org');
		expect(message).toContain('it has a user name or password in it');
		expect(message).not.toContain('hunter2');
	});

	it.each([
		'https://login.example.org/realms/lab',
		'https://gitlab.example.org:8443',
		'http://localhost:8080/realms/lab',
		'http://127.0.0.1:9000',
		'http://[::1]:9000',
	])('accept %s', url => {
		expect(check('auth.issuer', url)).toBe('ok');
		expect(check('auth.gitlabUrl', url)).toBe('ok');
	});

	it('keep https only (no localhost exception) for the ACME directory and Docker’s repository', () => {
		expect(check('certificate.directoryUrl', 'http://localhost/dir')).toContain('a http: URL is not allowed');
		expect(check('docker.repository', 'https://u:p@repo.example.org/debian')).toContain('it has a user name or password in it');
	});
});

describe('CA files hold certificates only (item 3)', async () => {
	const [first, second] = await Promise.all([makeSelfSigned(['ca.example.org']), makeSelfSigned(['other.example.org'])]);
	const rsaKey = generateKeyPairSync('rsa', {modulusLength: 2048}).privateKey.export({type: 'pkcs1', format: 'pem'}) as string;

	it.each([
		['one certificate', first.certificate],
		['a bundle of two', `${first.certificate}\n${second.certificate}`],
	])('accepts %s', (_name, text) => {
		expect(certificatesOnlyProblem(text)).toBeUndefined();
	});

	it.each([
		['a PKCS#8 key', first.privateKey, 'it holds a private key'],
		['an RSA key', rsaKey, 'it holds a private key'],
		['a certificate with its key', `${first.certificate}${first.privateKey}`, 'it holds a private key'],
		['a public key', '-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n', 'it holds a PUBLIC KEY block'],
		['nothing PEM', 'hello\n', 'it holds no PEM certificate'],
		['text beside the certificate', `subject=CN = ca\n${first.certificate}`, 'it has text outside its CERTIFICATE blocks'],
		[
			'a broken certificate',
			'-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
			'its certificate number 1 is not a readable X.509 certificate',
		],
	])('refuses %s', (_name, text, why) => {
		expect(certificatesOnlyProblem(text)).toContain(why);
	});

	it('names the key and the file when the configuration is read, for each CA file key that applies', async () => {
		const dir = tempDir();
		writeFileSync(path.join(dir, 'key.pem'), first.privateKey);
		writeFileSync(path.join(dir, 'ca.pem'), first.certificate);
		const letsencrypt = {
			'certificate.mode': 'letsencrypt',
			'auth.type': 'oidc',
			'certificate.caFile': './key.pem',
			'auth.caFile': './key.pem',
		};
		const problems = await certificateFileProblems(letsencrypt, dir);
		expect(problems.map(problem => problem.key)).toEqual(['certificate.caFile', 'auth.caFile']);
		expect(problems[0]!.message).toContain(
			`certificate.caFile: ${path.join(dir, 'key.pem')} is not valid: it holds a private key, and would be uploaded readable by everyone on the server.`,
		);
		expect(await certificateFileProblems({...letsencrypt, 'certificate.caFile': './ca.pem', 'auth.caFile': './ca.pem'}, dir)).toEqual([]);
		// A key that does not apply (certificate.caFile with a self-signed certificate) is not read.
		expect(await certificateFileProblems({'certificate.mode': 'self-signed', 'certificate.caFile': './key.pem'}, dir)).toEqual([]);
		expect(
			(await certificateFileProblems({'certificate.mode': 'letsencrypt', 'certificate.caFile': './missing.pem'}, dir))[0]!.message,
		).toContain('it cannot be read (ENOENT)');
	});
});
