/**
 * The host key policy of a connection: known_hosts first (a changed key stops everything), then a fingerprint
 * pinned in lab.yaml, then the user's yes. Never accepts a key silently (ssh2 would, see FIELD-NOTES).
 */
import {hostKeyChanged, hostKeyUntrusted, type Target} from './errors.js';
import {
	appendKnownHost,
	fingerprint,
	lookup,
	lookupMoved,
	namesHost,
	readKnownHosts,
	type HostKey,
} from './known-hosts.js';

/** How to decide on the key a server offers. */
export interface HostKeyPolicy {
	readonly target: Target;
	readonly knownHostsFile: string;
	/** A fingerprint (`SHA256:...`) pinned in lab.yaml: trusted without asking when known_hosts has no entry. */
	readonly pinned?: string;
	/** The port the same server was trusted on before an sshd port change: its key must be the same. */
	readonly previousPort?: number;
	/** Asked for an unknown key (show the fingerprint); true trusts it. Absent: unknown keys are refused. */
	readonly confirm?: (fingerprint: string, key: HostKey) => Promise<boolean>;
	/** Append a newly trusted key to known_hosts (hashed), as ssh does. Default true. */
	readonly remember?: boolean;
}

/** Returns a verifier for `Session.connect`: resolves to trust the key, throws a RemoteError to refuse it. */
export function checkHostKey(policy: HostKeyPolicy): (key: HostKey) => Promise<void> {
	const {target, knownHostsFile, pinned, previousPort} = policy;
	return async (key) => {
		const remember = async () => {
			if (policy.remember !== false) {
				await appendKnownHost(knownHostsFile, target.host, target.port, key);
			}
		};

		const offered = fingerprint(key.blob);
		const entries = await readKnownHosts(knownHostsFile);
		const found =
			previousPort === undefined
				? lookup(entries, target.host, target.port, key)
				: lookupMoved(entries, target.host, previousPort, target.port, key);
		if (found.status === 'match') {
			// Trusted through the old port only: record it for the new one, so plain `ssh -p` agrees next time.
			if (previousPort !== undefined && !namesHost(found.entry!, target.host, target.port)) {
				await remember();
			}

			return;
		}

		if ((found.status === 'mismatch' || found.status === 'revoked') && found.entry) {
			throw hostKeyChanged(target, offered, {file: knownHostsFile, line: found.entry.line});
		}

		if (pinned !== undefined && pinned !== offered) {
			throw hostKeyChanged(target, offered, {pinned});
		}

		if (pinned === undefined && !(await policy.confirm?.(offered, key))) {
			throw hostKeyUntrusted(target, offered);
		}

		await remember();
	};
}

// ssh2's default order; `prepend` in ssh2 does not move names already in the list, so we reorder ourselves.
const defaultHostKeyAlgorithms = [
	'ssh-ed25519',
	'ecdsa-sha2-nistp256',
	'ecdsa-sha2-nistp384',
	'ecdsa-sha2-nistp521',
	'rsa-sha2-512',
	'rsa-sha2-256',
	'ssh-rsa',
];

/** Host key algorithms with the already known key types first, so the server offers the key we trust. */
export function hostKeyAlgorithms(knownTypes: readonly string[]): string[] {
	const preferred = defaultHostKeyAlgorithms.filter((algorithm) =>
		knownTypes.includes(algorithm.startsWith('rsa-sha2-') ? 'ssh-rsa' : algorithm),
	);
	return [...preferred, ...defaultHostKeyAlgorithms.filter((algorithm) => !preferred.includes(algorithm))];
}
