import {describe, expect, it} from 'vitest';
import {addChanges, applyChanges, badNames, editUserLists, removeChanges} from '../../../source/daytwo/user-lists.js';

// A lab.yaml as a person keeps it: comments above and beside keys, a block list and a flow list.
const labYaml = `# Our group's lab (ask Ada before changing it)
server:
  host: lab.example.org # the university VM
domain: lab.example.org

auth:
  type: github
  # who may log in
  allowedUsers:
    - ada # PI
    - grace
  admins: [ada]
images:
  nginx: nginx:1.28.0-alpine
`;

const lists = {allowed: ['ada', 'grace'], admins: ['ada']};

describe('labbox users: lab.yaml edited in place (issue 13 item 1)', () => {
	it('adding a user appends to the block list and keeps every comment and other line', () => {
		const changes = addChanges(lists, ['bob'], false);
		expect(changes).toEqual([{key: 'auth.allowedUsers', action: 'add', name: 'bob'}]);
		expect(editUserLists(labYaml, changes)).toBe(labYaml.replace('    - grace\n', '    - grace\n    - bob\n'));
	});

	it('--admin also adds to the flow list of admins, in its own style', () => {
		const edited = editUserLists(labYaml, addChanges(lists, ['bob'], true));
		expect(edited).toContain('  admins: [ada, bob]\n');
		expect(edited).toContain('    - ada # PI\n    - grace\n    - bob\n');
		expect(edited).toContain("# Our group's lab (ask Ada before changing it)\n");
		expect(edited).toContain('host: lab.example.org # the university VM');
	});

	it('removing takes the name out of both lists; the comment of another item stays', () => {
		const changes = removeChanges(lists, ['ADA']);
		expect(changes).toEqual([
			{key: 'auth.allowedUsers', action: 'remove', name: 'ada'},
			{key: 'auth.admins', action: 'remove', name: 'ada'},
		]);
		const edited = editUserLists(labYaml, changes);
		expect(edited).toContain('  # who may log in\n  allowedUsers:\n    - grace\n  admins: []\n');
		expect(edited).toContain("# Our group's lab");
		expect(applyChanges(lists, changes)).toEqual({allowed: ['grace'], admins: []});
	});

	it('a name already allowed changes nothing; names compare as the hub does (lower case)', () => {
		expect(addChanges(lists, ['Grace', 'grace'], false)).toEqual([]);
		expect(addChanges(lists, ['Bob', 'bob'], false)).toEqual([{key: 'auth.allowedUsers', action: 'add', name: 'Bob'}]);
		expect(removeChanges(lists, ['carol'])).toEqual([]);
	});

	it('a missing list is made, below the keys already there', () => {
		const text = 'auth:\n  type: oidc # our Keycloak\n';
		expect(editUserLists(text, addChanges({allowed: [], admins: []}, ['bob'], true))).toBe(
			'auth:\n  type: oidc # our Keycloak\n  allowedUsers:\n    - bob\n  admins:\n    - bob\n',
		);
	});

	it('names the hub or a home folder could not have are refused, each with why', () => {
		expect(badNames(['bob', '../etc', '-rf', 'a b'])).toEqual([
			'"../etc" cannot be a user name: the hub and the home folders take 1 to 128 letters, digits and . _ @ + - starting with a letter or digit',
			'"-rf" cannot be a user name: the hub and the home folders take 1 to 128 letters, digits and . _ @ + - starting with a letter or digit',
			'"a b" cannot be a user name: the hub and the home folders take 1 to 128 letters, digits and . _ @ + - starting with a letter or digit',
		]);
		expect(badNames(['bob', 'ada.lovelace@uni.edu'])).toEqual([]);
	});
});
