/** The certificate step's facts: what the server holds, read in one round trip (the private key never leaves it). */
import {quiet, type Command} from '../../source/remote/command.js';
import type {Fact} from '../../source/remote/facts/fact.js';
import {fileStates, type FileStates} from '../../source/remote/facts/file-state.js';
import {gatherFacts} from '../../source/remote/facts/gather.js';
import type {RemoteShell} from '../../source/remote/session.js';
import type {CertificateFacts, RenewalStatus} from './decide.js';
import {imagePresent, renewerPaths, renewerTimer} from './renewer.js';

const text = (name: string, command: Command): Fact<string> => ({name, command, parse: output => output.trim()});

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
		status: text('renewal-status', quiet(['cat', paths.status])),
		timer: text('renewer-timer', quiet(['systemctl', 'is-enabled', renewerTimer])),
		// The one read of remote files' state (issue 11 item 1): the renewer's files and the key's mode and owner.
		files: fileStates([...hashedFiles, paths.privkey], {hash: hashedFiles}),
		image: text('renewer-image', image ? imagePresent(image) : ['true']),
	};
}

/** sha256 of each file that has one, by path. */
export function fileHashes(states: FileStates): Record<string, string> {
	return Object.fromEntries(Object.entries(states).flatMap(([path, state]) => (state.sha256 ? [[path, state.sha256]] : [])));
}

export async function certificateFacts(shell: RemoteShell, root: string, hashedFiles: readonly string[], image: string | undefined, signal?: AbortSignal): Promise<CertificateFacts> {
	const found = await gatherFacts(shell, certificateFactSet(root, hashedFiles, image), {signal});
	const key = found.files?.[renewerPaths(root).privkey];
	return {
		chain: found.chain || undefined,
		keyPublic: found.keyPublic || undefined,
		// `MODE UID`, as decide compares it (`600 0`).
		keyMode: key && `${key.mode} ${key.owner.split(':')[0]}`,
		status: parseStatus(found.status),
		timerEnabled: found.timer === 'enabled',
		hashes: fileHashes(found.files ?? {}),
		imagePresent: Boolean(found.image),
	};
}
