// Lab accounts (issue 14 items 1 and 2): what `labbox users approve` would do, who waits, and the one-time
// password of `labbox users add` on a lab with its own accounts.
import {describe, expect, it} from 'vitest';
import {approvalPlan, oneTimePassword, parseAccounts, removalPlan, waiting} from '../../../source/daytwo/lab-accounts.js';
import {usersReport} from '../../../source/daytwo/users-report.js';

const accounts = parseAccounts(
	[
		'{"name": "ada", "authorized": true}',
		'{"name": "alice", "authorized": false}',
		'a line that is not JSON',
		'{"name": "bob", "authorized": true}',
		'{"name": "carol", "authorized": false}',
	].join('\n'),
);

describe('lab accounts (issue 14)', () => {
	it("parses hub_users.py's accounts, one JSON line each", () => {
		expect(accounts).toStrictEqual([
			{name: 'ada', authorized: true},
			{name: 'alice', authorized: false},
			{name: 'bob', authorized: true},
			{name: 'carol', authorized: false},
		]);
		expect(waiting(accounts)).toEqual(['alice', 'carol']);
	});

	it('approving: who is approved, who already is, who has not signed up (names compared as the hub does, once each)', () => {
		expect(approvalPlan(accounts, ['Alice', 'bob', 'alice', 'nobody'])).toStrictEqual({
			approve: ['alice'],
			already: ['bob'],
			unknown: ['nobody'],
		});
		expect(approvalPlan(accounts, ['carol'])).toStrictEqual({approve: ['carol'], already: [], unknown: []});
	});

	it('removing: whose accounts go (approved or waiting), which names have none, and never the admin labbox keeps (polish item 5)', () => {
		expect(removalPlan(accounts, ['Bob', 'carol', 'bob', 'nobody', 'ADA'], 'ada')).toStrictEqual({
			remove: ['bob', 'carol'],
			unknown: ['nobody'],
			admin: ['ada'],
		});
		expect(removalPlan(accounts, ['ada'], undefined)).toStrictEqual({remove: ['ada'], unknown: [], admin: []});
	});

	it('a one-time password: letters and digits, at least 20 characters and never shorter than auth.passwordMinLength', () => {
		expect(oneTimePassword(10)).toMatch(/^[A-Za-z0-9]{20}$/);
		expect(oneTimePassword(40)).toMatch(/^[A-Za-z0-9]{40}$/);
		expect(oneTimePassword(10)).not.toBe(oneTimePassword(10));
		// Randomness that is mostly - and _ still fills the length.
		let calls = 0;
		const dashes = (size: number) => Buffer.from(calls++ === 0 ? '\xfb\xff'.repeat(size) : 'abc'.repeat(size), 'latin1');
		expect(oneTimePassword(10, dashes)).toHaveLength(20);
	});

	it('labbox users on a lab with its own accounts: roles from the approvals, and who waits, with the command', () => {
		const report = usersReport(
			{
				allowed: [],
				admins: ['ada'],
				groups: [],
				allowAll: false,
				hub: [
					{name: 'ada', server: false},
					{name: 'alice', server: true},
				],
				accounts: [
					{name: 'ada', authorized: true},
					{name: 'alice', authorized: true},
					{name: 'carol', authorized: false},
				],
			},
			new Date('2026-11-27T12:00:00Z'),
		);
		expect(report).toBe(
			[
				'Lab accounts (auth.type local): whoever has an approved account may log in',
				'Admins (auth.admins): ada',
				'',
				'  USER   ROLE                  SERVER           LAST ACTIVITY',
				'  ada    admin                 stopped',
				'  alice  user                  running',
				'  carol  waiting for approval  never logged in',
				'',
				'Waiting for approval: carol (`labbox users approve carol` approves them).',
				'',
			].join('\n'),
		);
		const unknown = usersReport({allowed: [], admins: ['ada'], groups: [], allowAll: false, hub: [], accounts: {unknown: 'HTTP 403'}});
		expect(unknown).toContain('  ada   admin  never logged in');
		expect(unknown).toContain('The hub could not list its lab accounts: HTTP 403');
	});
});
