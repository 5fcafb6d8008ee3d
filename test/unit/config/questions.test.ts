import {describe, expect, it} from 'vitest';
import {fieldByKey} from '../../../source/config/fields.js';
import {questionFor} from '../../../source/config/questions.js';

const question = (key: string, config = {}) => questionFor(fieldByKey.get(key)!, config);

describe('wizard questions', () => {
	it('validate as typed, naming the problem and an example', () => {
		expect(question('ssh.port').validate('70000')).toContain('expected a whole number from 1 to 65535, not 80 or 443, e.g. ssh.port: 2222');
		// Refused at the question, not later by the plan (issue 10 item 11).
		expect(question('ssh.port').validate('443')).toContain("port 443 is the lab's web server's");
		expect(question('ssh.port').validate('2222')).toBeUndefined();
		expect(question('domain').validate('')).toBe('domain is needed: a fully qualified DNS name, e.g. lab.example.org');
		expect(question('domain').validate('lab')).toContain('expected a fully qualified DNS name');
	});

	it('refuse an empty allow list on its last question', () => {
		const config = {'auth.type': 'github', 'auth.allowedUsers': []};
		expect(question('auth.allowedGroups', config).validate('')).toContain('the allow list is empty');
		expect(question('auth.allowedGroups', config).validate('my-org')).toBeUndefined();
	});

	it('show the exact callback URL to paste for GitHub', () => {
		const help = question('auth.clientId', {'auth.type': 'github', domain: 'lab.example.org'}).help;
		expect(help).toContain('Authorization callback URL: https://lab.example.org/hub/oauth_callback');
		expect(help).toContain('Homepage URL: https://lab.example.org');
	});

	it('mask secrets and offer choices', () => {
		expect(question('auth.clientSecret').kind).toBe('secret');
		expect(question('certificate.mode').choices?.map(choice => choice.value)).toEqual(['letsencrypt', 'self-signed', 'existing']);
		expect(question('ssh.port').defaultValue).toBe('22');
	});
});
