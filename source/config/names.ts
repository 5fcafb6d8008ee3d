/**
 * What a user name and a group name may be (issue 9 item 11). One rule for user names: what JupyterHub accepts
 * (its default validation refuses `/`, empty names and surrounding spaces, after lower-casing every name) and
 * what can be a home folder under homes/ (no `..`, no leading `-` or `.`). The hub's pre-spawn hook checks the
 * same pattern (SAFE_NAME in templates/jupyterhub/jupyterhub_config.py; a unit test keeps them equal).
 */

/** A user name as the hub keeps it (lower-cased): a letter or digit first, then letters, digits and . _ @ + -. */
export const userNamePattern = '[a-z0-9][a-z0-9._@+-]{0,127}';
const userName = new RegExp(`^(?:${userNamePattern})$`);

/** Why `name` cannot be a lab user name, or undefined when it can. */
export function userNameProblem(name: string): string | undefined {
	return userName.test(name.toLowerCase())
		? undefined
		: `"${name}" cannot be a user name: the hub and the home folders take 1 to 128 letters, digits and . _ @ + - starting with a letter or digit`;
}

// Organisations (GitHub), group paths (GitLab: parent/child) and OIDC group names (Keycloak: /parent/child).
// They are only compared with what the provider says, never a folder or a command word; no leading `-`.
const groupName = /^[A-Za-z0-9_.@/+:][A-Za-z0-9_.@/+:-]{0,254}$/;

/** Why `name` cannot be a group name, or undefined when it can. */
export function groupNameProblem(name: string): string | undefined {
	return groupName.test(name)
		? undefined
		: `"${name}" cannot be a group name: 1 to 255 letters, digits and . _ @ / + : - not starting with -`;
}

/** The names the lab answers on: its name, and `*.NAME` when it gives each user a subdomain. */
export function wantedNames(domain: string, subdomains: boolean): string[] {
	return subdomains ? [domain, `*.${domain}`] : [domain];
}
