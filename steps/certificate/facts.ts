/** The certificate step's facts: what the server holds, read in one round trip (the private key never leaves it). */
import type {LabConfig} from '../../source/config/fields.js';
import {quiet, type Command} from '../../source/remote/command.js';
import type {Fact} from '../../source/remote/facts/fact.js';
import {fileStates, type FileStates} from '../../source/remote/facts/file-state.js';
import {gatherFacts} from '../../source/remote/facts/gather.js';
import {enabledState} from '../../source/remote/facts/systemd.js';
import type {RemoteShell} from '../../source/remote/session.js';
import type {CertificateFacts, RenewalStatus} from './decide.js';
import {defaultRenewerImage, renewerFiles, renewerPaths, renewerTimer} from '../../source/templates/renewer.js';
import {imagePresent} from '../../source/remote/commands/docker-images.js';
import {factImages, renewerImage} from '../../source/images/fact-images.js';

const text = (name: string, command: Command): Fact<string> => ({name, command, parse: output => output.trim()});

/** renewal.json, or nothing when it is missing or not JSON. */
export function parseStatus(output: string | undefined): RenewalStatus | undefined {
	try {
		return output ? (JSON.parse(output) as RenewalStatus) : undefined;
	} catch {
		return undefined;
	}
}

const noImage: Fact<boolean> = {name: 'renewer-image', command: ['true'], parse: () => false};

/** The read-only commands of the certificate's facts. */
export function certificateFactSet(root: string, hashedFiles: readonly string[], image: string | undefined, among?: readonly string[]) {
	const paths = renewerPaths(root);
	return {
		chain: text('fullchain', quiet(['cat', paths.fullchain])),
		// -P '': never a passphrase prompt; the public half only is printed.
		keyPublic: text('privkey-public', quiet(['ssh-keygen', '-y', '-P', '', '-f', paths.privkey])),
		status: text('renewal-status', quiet(['cat', paths.status])),
		timer: enabledState('renewer-timer', renewerTimer),
		// The one read of remote files' state (issue 11 item 1): the renewer's files and the key's mode and owner.
		files: fileStates([...hashedFiles, paths.privkey], {hash: hashedFiles}),
		// With the images step's (factImages): one docker client for every image of a no-op run (issue 11).
		image: image ? imagePresent(image, among) : noImage,
	};
}

/**
 * The certificate step's facts as the configuration alone decides them (issue 11: read with every other step's):
 * with letsencrypt, the hashes of every renewer file and the renewer image.
 */
export function certificateFactsFor(config: LabConfig) {
	const root = config['lab.root'];
	if (config['certificate.mode'] !== 'letsencrypt') {
		return certificateFactSet(root, [], undefined);
	}
	const image = renewerImage(config) ?? defaultRenewerImage;
	// Only the paths matter here; they are those certificatePlan uploads (the contents are compared by hash).
	const files = renewerFiles({
		root,
		domains: [],
		email: '',
		directoryUrl: '',
		renewDays: 0,
		ca: config['certificate.caFile'] ? 'ca' : undefined,
		image,
	});
	return certificateFactSet(root, [...files.map(file => file.path), renewerPaths(root).accountKey], image, factImages(config));
}

/** sha256 of each file that has one, by path. */
export function fileHashes(states: FileStates): Record<string, string> {
	return Object.fromEntries(Object.entries(states).flatMap(([path, state]) => (state.sha256 ? [[path, state.sha256]] : [])));
}

export async function certificateFacts(
	shell: RemoteShell,
	root: string,
	hashedFiles: readonly string[],
	image: string | undefined,
	signal?: AbortSignal,
): Promise<CertificateFacts> {
	return readCertificateFacts(await gatherFacts(shell, certificateFactSet(root, hashedFiles, image), {signal}), root);
}

/** The gathered facts as the decision takes them. */
export function readCertificateFacts(gathered: Readonly<Record<string, unknown>>, root: string): CertificateFacts {
	const found = gathered as Partial<{
		[K in keyof ReturnType<typeof certificateFactSet>]: K extends 'files' ? FileStates : K extends 'image' ? boolean : string;
	}>;
	const key = found.files?.[renewerPaths(root).privkey];
	return {
		chain: found.chain || undefined,
		keyPublic: found.keyPublic || undefined,
		// `MODE UID`, as decide compares it (`600 0`).
		keyMode: key && `${key.mode} ${key.owner.split(':')[0]}`,
		status: parseStatus(found.status),
		timerEnabled: found.timer === 'enabled',
		hashes: fileHashes(found.files ?? {}),
		imagePresent: found.image === true,
	};
}
