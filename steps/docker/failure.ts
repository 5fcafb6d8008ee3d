/** What a failed install command tells the user: which address did not answer, or a full disk (issue 9 items 6, 9). */
import {toShell, type Command} from '../../source/remote/command.js';
import type {CommandFailedError} from '../../source/remote/errors.js';
import type {DiskFree} from '../../source/remote/facts/disk-free.js';
import {diskFullError, networkFailure, noSpaceLeft, unreachableError} from '../../source/remote/output-errors.js';
import type {StepError} from '../../source/engine/types.js';
import {estimates} from '../../source/images/space.js';
import type {DockerWanted} from './decide.js';
import {repositoryKeyUrl} from './decide.js';

/**
 * The StepError for a failed install command, or undefined when its output names no cause we know (the command's
 * own error then stands). `system` is the free space where packages are installed, read after the failure.
 */
export function installFailure(
	command: Command,
	error: CommandFailedError,
	wanted: DockerWanted,
	system?: DiskFree,
): StepError | undefined {
	const output = error.output ?? [];
	if (noSpaceLeft(output)) {
		return diskFullError('installing Docker', '/usr', system, estimates.dockerInstall, output);
	}
	const rendered = toShell(command);
	const network = networkFailure(output);
	const repository = wanted.source === 'official' ? wanted.repository : undefined;
	const checkRepository =
		'Check docker.repository in lab.yaml (the URL Docker\'s "Install Docker Engine" guide gives for your distribution), and that the server reaches it: a firewall, proxy or DNS on the way may drop it (try `curl -I URL` on the server). Then `labbox run docker`.';
	if (repository && command[0] === 'curl') {
		return unreachableError("fetch Docker's repository key", repositoryKeyUrl(repository), network, checkRepository, output);
	}
	if (network && /\bapt-get\b/.test(rendered)) {
		const host = repository ? new URL(repository).host : undefined;
		const ours = host !== undefined && (network.address ?? '').includes(host);
		return unreachableError(
			'download packages',
			network.address ?? 'a package repository',
			network,
			ours
				? checkRepository
				: "Check that the server reaches its distribution's package mirror (the addresses in /etc/apt/sources.list and /etc/apt/sources.list.d/), then `labbox run docker`.",
			output,
		);
	}
	return undefined;
}
