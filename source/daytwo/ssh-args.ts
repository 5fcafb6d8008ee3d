/**
 * `labbox ssh` (issue 13 item 2): the system's ssh with exactly the lab's connection: the address and port
 * labbox connects on, its user, its key, and the host key labbox verified (known_hosts or the pin in lab.yaml),
 * written to a known_hosts file of the lab's own so ssh trusts that key and no other.
 */
export interface SshTarget {
	readonly host: string;
	readonly port: number;
	readonly username: string;
	/** Key files from lab.yaml or the ~/.ssh/config alias (none: ssh's own defaults and agent). */
	readonly identityFiles: readonly string[];
	readonly identitiesOnly?: boolean;
}

/** ssh's arguments: a terminal, the lab's known_hosts only, strict host key checking, then `command` if any. */
export function sshArgs(target: SshTarget, knownHostsFile: string, command: readonly string[] = []): string[] {
	return [
		...(command.length === 0 ? ['-t'] : []),
		'-p',
		String(target.port),
		'-l',
		target.username,
		'-o',
		`UserKnownHostsFile=${knownHostsFile}`,
		'-o',
		'GlobalKnownHostsFile=/dev/null',
		'-o',
		'StrictHostKeyChecking=yes',
		...target.identityFiles.flatMap(file => ['-i', file]),
		...(target.identitiesOnly ? ['-o', 'IdentitiesOnly=yes'] : []),
		'--',
		target.host,
		...command,
	];
}
