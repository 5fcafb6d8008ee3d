import {describe, expect, it} from 'vitest';
import {fieldByKey, fields} from '../../../source/config/fields.js';
import {questionFor} from '../../../source/config/questions.js';
import {parseString} from '../../../source/config/resolve.js';

const question = (key: string, config = {}) => questionFor(fieldByKey.get(key)!, config);

describe('wizard questions', () => {
	it("validate in the question's words, naming the problem and an example (issue 10 item 16)", () => {
		expect(question('ssh.port').validate('70000')).toBe('Expected a whole number from 1 to 65535, not 80 or 443, e.g. 2222');
		// Refused at the question, not later by the plan (issue 10 item 11).
		expect(question('ssh.port').validate('443')).toBe(
			"Port 443 is the lab's web server's; expected a whole number from 1 to 65535, not 80 or 443, e.g. 2222",
		);
		expect(question('ssh.port').validate('2222')).toBeUndefined();
		expect(question('domain').validate('')).toBe('An answer is needed: a fully qualified DNS name, e.g. lab.example.org');
		expect(question('domain').validate('lab')).toBe('Expected a fully qualified DNS name, e.g. lab.example.org');
		expect(question('domain').validate('lab')).not.toMatch(/domain:|as typed/);
	});

	it("take a pasted URL as the lab's name and @carol as carol (issue 10 item 16)", () => {
		expect(question('domain').validate('https://lab.example.org/')).toBeUndefined();
		expect(parseString(fieldByKey.get('domain')!, ' https://lab.example.org/hub/login?next=1 ')).toBe('lab.example.org');
		// Lower case: the OAuth callback URL registered at the provider is compared as text.
		expect(parseString(fieldByKey.get('domain')!, 'https://Lab.Example.org/')).toBe('lab.example.org');
		expect(parseString(fieldByKey.get('auth.allowedUsers')!, '@carol, ada @grace')).toEqual(['carol', 'ada', 'grace']);
		// The answer is echoed as it is kept.
		expect(question('domain').kept?.('https://Lab.Example.org/')).toBe('lab.example.org');
		expect(question('auth.allowedUsers').kept?.('@carol,ada')).toBe('carol, ada');
	});

	it('refuse an empty allow list at the users question, asked after the groups one, where the fix is (issue 10 item 17)', () => {
		const keys = fields.map(field => field.key);
		expect(keys.indexOf('auth.allowedGroups')).toBeLessThan(keys.indexOf('auth.allowedUsers'));
		expect(question('auth.allowedGroups').message).toContain('may be empty');
		const config = {'auth.type': 'github', 'auth.allowedGroups': []};
		expect(question('auth.allowedUsers', config).validate('')).toBe(
			'With no user and no group, the allow list is empty and anyone with a GitHub account could log in. Give at least one user name, e.g. ada, or press Esc to go back and give a group.',
		);
		expect(question('auth.allowedUsers', {...config, 'auth.type': 'oidc'}).validate('')).toContain('auth.allowAll: true');
		expect(question('auth.allowedUsers', config).validate('ada')).toBeUndefined();
		expect(question('auth.allowedUsers', {...config, 'auth.allowedGroups': ['my-org']}).validate('')).toBeUndefined();
	});

	it('show the exact callback URL to paste for GitHub', () => {
		const help = question('auth.clientId', {'auth.type': 'github', domain: 'lab.example.org'}).help;
		expect(help).toContain('Authorization callback URL: https://lab.example.org/hub/oauth_callback');
		expect(help).toContain('Homepage URL: https://lab.example.org');
		expect(
			question('auth.clientId', {'auth.type': 'github', domain: 'lab.example.org', 'auth.githubUrl': 'https://github.example.org'}).help,
		).toMatch(/^Create an OAuth app at https:\/\/github\.example\.org → Settings/);
	});

	it('name the scopes the hub asks GitLab for (issue 15)', () => {
		const help = question('auth.clientId', {'auth.type': 'gitlab', domain: 'lab.example.org'}).help;
		expect(help).toContain('scope "read_user" (and "read_api" if you allow GitLab groups)');
		expect(help).toContain('Redirect URI: https://lab.example.org/hub/oauth_callback');
	});

	it('mask secrets and offer choices', () => {
		expect(question('auth.clientSecret').kind).toBe('secret');
		expect(question('certificate.mode').choices?.map(choice => choice.value)).toEqual(['letsencrypt', 'self-signed', 'existing']);
		expect(question('ssh.port').defaultValue).toBe('22');
	});
});

describe("the laptop's suggestions", () => {
	it('name the key lab.yaml gives, not the ones found in ~/.ssh (issue 10 item 18)', async () => {
		const {wizardSuggestions} = await import('../../../source/cli/run-command.js');
		const suggestions = await wizardSuggestions();
		const user = (config: Record<string, unknown>) => questionFor(fieldByKey.get('server.user')!, config, suggestions['server.user']).help;
		expect(user({'server.identityFile': '~/.ssh/lab_key'})).toBe('Logging in with ~/.ssh/lab_key (server.identityFile).');
		expect(user({})).not.toContain('lab_key');
	});
});
