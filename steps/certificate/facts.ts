/** The certificate step's facts: what the server holds, read in one round trip (the private key never leaves it). */
import type {LabConfig} from '../../source/config/fields.js';
import {quiet, type Command} from '../../source/remote/command.js';
import type {Fact} from '../../source/remote/facts/fact.js';
import {gatherFacts} from '../../source/remote/facts/gather.js';
import type {RemoteShell} from '../../source/remote/session.js';
import type {CertificateFacts, RenewalStatus} from './decide.js';
import {defaultRenewerImage, imagePresent, renewerFiles, renewerPaths, renewerTimer} from './renewer.js';

const text = (name: string, command: Command): Fact<string> => ({name, command, parse: output => output.trim()});

/** `HASH  PATH` lines of sha256sum, by path. */
export function parseHashes(output: string): Record<string, string> {
	const hashes: Record<string, string> = {};
	for (const match of output.matchAll(/^([0-9a-f]{64})\s+\*?(.+)$/gm)) {
		hashes[match[2]!] = match[1]!;
	}
	return hashes;
}

/** renewal.json, or nothing when it is missing or not JSON. */
export function parseStatus(output: string | undefined): RenewalStatus | undefined {
	try {
		return output ? (JSON.parse(output) as RenewalStatus) : undefined;
	} catch {
		return undefined;
	}
}

/** The read-only commands of the certificate's facts. */
export function certificateFactSet(root: string, hashedFiles: readonly string[], image: string | undefined) {
	const paths = renewerPaths(root);
	return {
		chain: text('fullchain', quiet(['cat', paths.fullchain])),
		// -P '': never a passphrase prompt; the public half only is printed.
		keyPublic: text('privkey-public', quiet(['ssh-keygen', '-y', '-P', '', '-f', paths.privkey])),
		keyMode: text('privkey-mode', quiet(['stat', '-c', '%a %u', paths.privkey])),
		status: text('renewal-status', quiet(['cat', paths.status])),
		timer: text('renewer-timer', quiet(['systemctl', 'is-enabled', renewerTimer])),
		hashes: text('renewer-hashes', quiet(['sha256sum', ...hashedFiles])),
		image: text('renewer-image', image ? imagePresent(image) : ['true']),
	};
}

/**
 * The certificate step's facts as the configuration alone decides them (issue 11: read with every other step's):
 * with letsencrypt, the hashes of every renewer file and the renewer image.
 */
export function certificateFactsFor(config: LabConfig) {
	const root = String(config['lab.root']);
	if (config['certificate.mode'] !== 'letsencrypt') {
		return certificateFactSet(root, [], undefined);
	}
	const image = config['certificate.renewerImage'] ?? defaultRenewerImage;
	// Only the paths matter here; they are those certificatePlan uploads (the contents are compared by hash).
	const files = renewerFiles({root, domains: [], email: '', directoryUrl: '', renewDays: 0, ca: config['certificate.caFile'] ? 'ca' : undefined, image});
	return certificateFactSet(root, [...files.map(file => file.path), renewerPaths(root).accountKey], image);
}

export async function certificateFacts(shell: RemoteShell, root: string, hashedFiles: readonly string[], image: string | undefined, signal?: AbortSignal): Promise<CertificateFacts> {
	return readCertificateFacts(await gatherFacts(shell, certificateFactSet(root, hashedFiles, image), {signal}));
}

/** The gathered facts as the decision takes them. */
export function readCertificateFacts(found: Readonly<Record<string, unknown>>): CertificateFacts {
	const text = found as Partial<Record<keyof ReturnType<typeof certificateFactSet>, string>>;
	return {
		chain: text.chain || undefined,
		keyPublic: text.keyPublic || undefined,
		keyMode: text.keyMode || undefined,
		status: parseStatus(text.status),
		timerEnabled: text.timer === 'enabled',
		hashes: parseHashes(text.hashes ?? ''),
		imagePresent: Boolean(text.image),
	};
}
