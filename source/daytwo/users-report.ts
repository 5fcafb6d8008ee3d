/**
 * `labbox users` (issue 13 item 1): who may log in and who administers the hub, by lab.yaml, beside what the hub
 * itself says of each user (asked through its REST API): whether their notebook server runs, and when the hub
 * last saw them.
 */
import type {HubUser} from '../../steps/stack/leavers.js';
import {whenInWords} from '../ui/when.js';
import type {UserLists} from './user-lists.js';

export interface UsersView extends UserLists {
	/** auth.allowedGroups: members are known only to the provider. */
	readonly groups: readonly string[];
	readonly allowAll: boolean;
	/** The hub's users, or why the hub could not be asked. */
	readonly hub: readonly HubUser[] | {readonly unknown: string};
}

const none = '(none)';

/** The report, one line per user; `now` for the times in words. */
export function usersReport(view: UsersView, now = new Date()): string {
	const lower = (name: string) => name.toLowerCase();
	const allowed = new Set(view.allowed.map(lower));
	const admins = new Set(view.admins.map(lower));
	const lines = [
		`Allowed users (auth.allowedUsers): ${view.allowed.join(', ') || none}`,
		`Admins (auth.admins): ${view.admins.join(', ') || none}`,
		...(view.groups.length > 0
			? [`Allowed groups (auth.allowedGroups): ${view.groups.join(', ')} (their members are known only to your login provider)`]
			: []),
		...(view.allowAll ? ['auth.allowAll: anyone your OpenID Connect provider authenticates may log in'] : []),
	];
	const hubUsers = Array.isArray(view.hub) ? (view.hub as readonly HubUser[]) : [];
	const names = [
		...new Map([...view.admins, ...view.allowed, ...hubUsers.map(user => user.name)].map(name => [lower(name), name])).values(),
	];
	const rows = names.map(name => {
		const user = hubUsers.find(item => lower(item.name) === lower(name));
		const role = admins.has(lower(name))
			? 'admin'
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
	if (rows.some(row => row[1] === 'not allowed')) {
		lines.push('', 'A user marked "not allowed" loses their access at the next `labbox run stack`.');
	}
	return `${lines.join('\n')}\n`;
}
