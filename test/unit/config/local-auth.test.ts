// Issue 14: lab accounts (auth.type local) and environments (images.choices), through the one schema and the
// cross-key rules, as lab.yaml values are checked.
import {describe, expect, it} from 'vitest';
import {fieldByKey} from '../../../source/config/fields.js';
import {applies, checkValue, crossCheck, merge, missingFields} from '../../../source/config/resolve.js';

const check = (key: string, value: unknown) => checkValue(fieldByKey.get(key)!, value, 'file')?.message ?? 'ok';
const local = {'auth.type': 'local', 'auth.admins': ['ada'], 'auth.adminPassword': 'correct horse battery'};

describe('auth.type local (item 1)', () => {
	it('needs no OAuth app: no client id, secret or allow list; asks for the admin password (a secret) instead', () => {
		const {config} = merge({file: {'auth.type': 'local'}});
		const keys = missingFields(config).map(field => field.key);
		expect(keys).toContain('auth.adminPassword');
		expect(keys).not.toContain('auth.clientId');
		expect(keys).not.toContain('auth.clientSecret');
		for (const key of ['auth.clientId', 'auth.clientSecret', 'auth.allowedUsers', 'auth.allowedGroups']) {
			expect(applies(fieldByKey.get(key)!, config)).toBe(false);
		}
		expect(fieldByKey.get('auth.adminPassword')!.secret).toBe(true);
		expect(config['auth.signup']).toBe(true);
		expect(config['auth.passwordMinLength']).toBe(10);
	});

	it('has no empty-allow-list problem (the admin approves), but needs exactly one admin for the account labbox makes', () => {
		expect(crossCheck(local)).toEqual([]);
		expect(crossCheck({...local, 'auth.admins': []}).map(problem => problem.message)).toEqual([
			expect.stringMatching(/^auth\.admins: with auth\.type local, name exactly one admin \(none is named\)/),
		]);
		expect(crossCheck({...local, 'auth.admins': ['ada', 'grace']})[0]!.message).toMatch(/2 are named.*auth\.admins: \[ada\]/);
	});

	it('refuses an admin password shorter than auth.passwordMinLength, without showing it', () => {
		const problems = crossCheck({...local, 'auth.adminPassword': 'short-pw1', 'auth.passwordMinLength': 12});
		expect(problems.map(problem => problem.message)).toEqual([
			'auth.adminPassword is shorter than auth.passwordMinLength (12 characters): set a longer one in LABBOX_AUTH_ADMIN_PASSWORD (environment or secrets.env).',
		]);
		expect(check('auth.adminPassword', 'x')).toBe(
			'auth.adminPassword: *** (from auth.adminPassword in lab.yaml) is not valid: expected a password of 10 to 72 characters (auth.passwordMinLength sets the least), e.g. auth.adminPassword: (from the environment or secrets.env)',
		);
	});

	it('keeps the allow-list rule for the OAuth logins', () => {
		expect(crossCheck({'auth.type': 'github', 'auth.allowedUsers': [], 'auth.allowedGroups': []})).toHaveLength(1);
	});
});

describe('images.choices (item 2)', () => {
	it('takes a list of environments with a name, a pinned image and optional limits', () => {
		expect(
			check('images.choices', [
				{name: 'SciPy', image: 'quay.io/jupyter/scipy-notebook:2025-12-31'},
				{name: 'R (large)', image: 'quay.io/jupyter/r-notebook:2025-12-31', memory: '8G', cpu: 2},
			]),
		).toBe('ok');
	});

	it.each([
		['an empty list', []],
		['a name with markup', [{name: '<b>x</b>', image: 'a:1'}]],
		['an unknown key', [{name: 'A', image: 'a:1', gpu: 1}]],
		['a bad memory size', [{name: 'A', image: 'a:1', memory: '8GB'}]],
		['a string (a flag)', 'a:1,b:1'],
	])('refuses %s, saying what is expected', (_case, value) => {
		expect(check('images.choices', value)).toMatch(
			/^images\.choices: .* is not valid: expected a list \(in lab\.yaml\) of \{name, image, memory\?, cpu\?\}/,
		);
	});

	it('refuses the same name twice', () => {
		expect(
			check('images.choices', [
				{name: 'R', image: 'a:1'},
				{name: 'r', image: 'b:1'},
			]),
		).toMatch(/the name "r" is given twice; each environment needs its own name/);
	});
});
