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
	type KnownHostEntry,
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
	/**
	 * Every other port the lab reaches this server on (the one it connects on, the one sshd moves to): when the
	 * key has changed, each of their known_hosts entries that holds another key is named in the fix, so one
	 * round of `ssh-keygen -R` clears them all (issue 10 item 8).
	 */
	readonly labPorts?: readonly number[];
}

/**
 * Thrown by the verifier for an unknown key a person must decide on. The handshake is ended first and `ask`
 * runs with no connection open: a person may take minutes to compare a fingerprint, longer than ssh2's
 * readyTimeout or sshd's LoginGraceTime (FIELD-NOTES; issue 10 item 1). `ask` resolves once the key is trusted
 * (and remembered), or throws the refusal.
 */
export class HostKeyQuestion extends Error {
	constructor(
		readonly key: HostKey,
		readonly ask: () => Promise<void>,
	) {
		super(`The host key ${fingerprint(key.blob)} needs the user's answer.`);
		this.name = 'HostKeyQuestion';
	}
}

/**
 * Returns a verifier for `Session.connect`: resolves to trust the key, throws a RemoteError to refuse it, or a
 * HostKeyQuestion when a person must be asked. It never waits for a person itself.
 */
export function checkHostKey(policy: HostKeyPolicy): (key: HostKey) => Promise<void> {
	const {target, knownHostsFile, pinned, previousPort} = policy;
	return async key => {
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

		const stale = () =>
			stalePorts(
				entries,
				target.host,
				[target.port, ...(previousPort === undefined ? [] : [previousPort]), ...(policy.labPorts ?? [])],
				key,
			);
		if ((found.status === 'mismatch' || found.status === 'revoked') && found.entry) {
			throw hostKeyChanged(target, offered, {file: knownHostsFile, line: found.entry.line}, stale());
		}

		if (pinned !== undefined && pinned !== offered) {
			throw hostKeyChanged(target, offered, {pinned}, stale());
		}

		if (pinned === undefined) {
			const {confirm} = policy;
			if (!confirm) {
				throw hostKeyUntrusted(target, offered, false);
			}
			throw new HostKeyQuestion(key, async () => {
				if (!(await confirm(offered, key))) {
					throw hostKeyUntrusted(target, offered);
				}
				await remember();
			});
		}

		await remember();
	};
}

/** The ports among `ports` whose known_hosts entries for `host` hold a key other than `key`, in order. */
function stalePorts(entries: readonly KnownHostEntry[], host: string, ports: readonly number[], key: HostKey): number[] {
	return [...new Set(ports)].filter(port =>
		entries.some(
			entry =>
				entry.marker === undefined && namesHost(entry, host, port) && !(entry.key.type === key.type && entry.key.blob.equals(key.blob)),
		),
	);
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
	const preferred = defaultHostKeyAlgorithms.filter(algorithm =>
		knownTypes.includes(algorithm.startsWith('rsa-sha2-') ? 'ssh-rsa' : algorithm),
	);
	return [...preferred, ...defaultHostKeyAlgorithms.filter(algorithm => !preferred.includes(algorithm))];
}
