/**
 * `labbox users` (issue 13 item 1): who may log in and who administers the hub, by lab.yaml, beside what the hub
 * itself says of each user (asked through its REST API): whether their notebook server runs, and when the hub
 * last saw them.
 */
import type {HubUser} from '../../steps/stack/leavers.js';
import {whenInWords} from '../ui/when.js';
import {waiting, type LabAccount} from './lab-accounts.js';
import type {UserLists} from './user-lists.js';

export interface UsersView extends UserLists {
	/** auth.allowedGroups: members are known only to the provider. */
	readonly groups: readonly string[];
	readonly allowAll: boolean;
	/** The hub's users, or why the hub could not be asked. */
	readonly hub: readonly HubUser[] | {readonly unknown: string};
	/** Lab accounts (auth.type local, issue 14): who signed up and whether approved, or why the hub could not say. */
	readonly accounts?: readonly LabAccount[] | {readonly unknown: string};
}

const none = '(none)';

/** The report, one line per user; `now` for the times in words. */
export function usersReport(view: UsersView, now = new Date()): string {
	const lower = (name: string) => name.toLowerCase();
	const allowed = new Set(view.allowed.map(lower));
	const admins = new Set(view.admins.map(lower));
	const lines = [
		view.accounts === undefined
			? `Allowed users (auth.allowedUsers): ${view.allowed.join(', ') || none}`
			: 'Lab accounts (auth.type local): whoever has an approved account may log in',
		`Admins (auth.admins): ${view.admins.join(', ') || none}`,
		...(view.groups.length > 0
			? [`Allowed groups (auth.allowedGroups): ${view.groups.join(', ')} (their members are known only to your login provider)`]
			: []),
		...(view.allowAll ? ['auth.allowAll: anyone your OpenID Connect provider authenticates may log in'] : []),
	];
	const hubUsers = Array.isArray(view.hub) ? (view.hub as readonly HubUser[]) : [];
	const local = view.accounts !== undefined;
	const accounts = Array.isArray(view.accounts) ? (view.accounts as readonly LabAccount[]) : [];
	const names = [
		...new Map(
			[...view.admins, ...view.allowed, ...hubUsers.map(user => user.name), ...accounts.map(account => account.name)].map(name => [
				lower(name),
				name,
			]),
		).values(),
	];
	// With lab accounts the admin's approval, not lab.yaml, says who may log in.
	const accountRole = (name: string) => {
		const account = accounts.find(item => lower(item.name) === lower(name));
		return !Array.isArray(view.accounts) ? '?' : !account ? 'no account' : account.authorized ? 'user' : 'waiting for approval';
	};
	const rows = names.map(name => {
		const user = hubUsers.find(item => lower(item.name) === lower(name));
		const role = admins.has(lower(name))
			? 'admin'
			: local
				? accountRole(name)
				: allowed.has(lower(name))
					? 'user'
					: view.groups.length > 0 || view.allowAll
						? 'by group'
						: 'not allowed';
		const server = !Array.isArray(view.hub) ? '?' : !user ? 'never logged in' : user.server ? 'running' : 'stopped';
		const seen = user?.lastActivity ? whenInWords(user.lastActivity, now) : '';
		return [name, role, server, seen];
	});
	const header = ['USER', 'ROLE', 'SERVER', 'LAST ACTIVITY'];
	const widths = header.map((title, column) => Math.max(title.length, ...rows.map(row => row[column]!.length)));
	const format = (row: readonly string[]) =>
		`  ${row.map((cell, column) => (column < row.length - 1 ? cell.padEnd(widths[column]!) : cell)).join('  ')}`.trimEnd();
	lines.push('', format(header), ...rows.map(format));
	if (!Array.isArray(view.hub)) {
		lines.push('', `The hub could not be asked: ${(view.hub as {unknown: string}).unknown}`);
	}
	if (view.accounts !== undefined && !Array.isArray(view.accounts)) {
		lines.push('', `The hub could not list its lab accounts: ${(view.accounts as {unknown: string}).unknown}`);
	}
	const waitingNames = waiting(accounts);
	if (waitingNames.length > 0) {
		lines.push('', `Waiting for approval: ${waitingNames.join(', ')} (\`labbox users approve ${waitingNames.join(' ')}\` approves them).`);
	}
	if (rows.some(row => row[1] === 'not allowed')) {
		lines.push('', 'A user marked "not allowed" loses their access at the next `labbox run stack`.');
	}
	return `${lines.join('\n')}\n`;
}
