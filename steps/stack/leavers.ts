/**
 * Who has left the allow list (issue 9 item 4). JupyterHub keeps every user it ever knew in its database, with
 * their login cookie and tokens, and their server running: taking a name out of auth.allowedUsers only refuses
 * the next login. So after each apply the stack step asks the hub for its users and removes those that no rule
 * of lab.yaml admits any more: their server is stopped and they are deleted from the hub, which ends their
 * sessions and revokes their tokens. Their home folder is a bind mount of the server's folder: it stays.
 *
 * Only names can be judged here. A group rule (GitHub organisation, GitLab group, OIDC group) admits people the
 * hub cannot list: membership lives at the provider and is asked only when someone logs in. So with a group
 * rule, or auth.allowAll, nobody is removed by this step; a user who left a group is refused at their next
 * login.
 */
import type {AuthSettings} from '../../source/templates/settings.js';

/** A user of the hub, as hub_users.py lists them. */
export interface HubUser {
	readonly name: string;
	/** Their notebook server runs (or is starting or stopping). */
	readonly server: boolean;
	/** When the hub last saw them (ISO time), for `labbox users` (issue 13 item 1); absent when never or not told. */
	readonly lastActivity?: string;
}

/** The allow rules of lab.yaml, as settings.json carries them. */
export type AllowRules = Pick<AuthSettings, 'allowedUsers' | 'admins' | 'allowedGroups' | 'allowAll'>;

/**
 * The hub's users whom no rule admits: not in auth.allowedUsers nor auth.admins (admins are allowed), compared
 * as JupyterHub does (it lower-cases names). Nobody when a group rule or allowAll may admit people by other means.
 */
export function leavers(users: readonly HubUser[], rules: AllowRules): HubUser[] {
	if (rules.allowAll || rules.allowedGroups.length > 0) {
		return [];
	}
	const named = new Set([...rules.allowedUsers, ...rules.admins].map(name => name.toLowerCase()));
	return users.filter(user => !named.has(user.name.toLowerCase()));
}

/** Parses hub_users.py's `list`: one JSON object per line; other lines are ignored. */
export function parseHubUsers(output: string): HubUser[] {
	return output
		.split('\n')
		.filter(line => line.startsWith('{'))
		.map(line => {
			const {name, server, last_activity: last} = JSON.parse(line) as Record<string, unknown>;
			return {name: String(name), server: server === true, ...(typeof last === 'string' ? {lastActivity: last} : {})};
		});
}

/** The plan's line for one leaver. */
export function removalChange(user: HubUser): string {
	return `remove ${user.name}'s access (${user.server ? 'stop their server, ' : ''}end their sessions; their home folder is kept)`;
}

/** The step's detail after removing them: `removed alice's access`, `removed the access of alice, carol`. */
export function removedDetail(names: readonly string[]): string {
	return names.length === 1 ? `removed ${names[0]}'s access` : `removed the access of ${names.join(', ')}`;
}
