import {describe, expect, it} from 'vitest';
import {usersReport} from '../../../source/daytwo/users-report.js';

const now = new Date('2026-11-27T12:00:00Z');

describe('labbox users: the report (issue 13 item 1)', () => {
	it("lists lab.yaml's users with the hub's view: role, server, last activity; a leaver is flagged", () => {
		const report = usersReport(
			{
				allowed: ['alice', 'bob'],
				admins: ['alice'],
				groups: [],
				allowAll: false,
				hub: [
					{name: 'alice', server: true, lastActivity: '2026-11-27T11:48:00Z'},
					{name: 'carol', server: false},
				],
			},
			now,
		);
		expect(report).toBe(
			[
				'Allowed users (auth.allowedUsers): alice, bob',
				'Admins (auth.admins): alice',
				'',
				'  USER   ROLE         SERVER           LAST ACTIVITY',
				'  alice  admin        running          12 minutes ago',
				'  bob    user         never logged in',
				'  carol  not allowed  stopped',
				'',
				'A user marked "not allowed" loses their access at the next `labbox run stack`.',
				'',
			].join('\n'),
		);
	});

	it('says why when the hub could not be asked, and still lists lab.yaml', () => {
		const report = usersReport(
			{allowed: ['alice'], admins: [], groups: ['lab-org'], allowAll: false, hub: {unknown: 'labbox: the hub API: GET /users: HTTP 403'}},
			now,
		);
		expect(report).toContain('Allowed groups (auth.allowedGroups): lab-org (their members are known only to your login provider)');
		expect(report).toContain('  alice  user  ?');
		expect(report).toContain('The hub could not be asked: labbox: the hub API: GET /users: HTTP 403');
	});
});
