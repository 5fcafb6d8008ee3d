/** What a failed pull or build tells the user: the real cause when Docker's output names one (issue 9 items 6, 9). */
import {StepError} from '../../source/engine/types.js';
import type {CommandFailedError} from '../../source/remote/errors.js';
import type {DiskFree} from '../../source/remote/facts/disk-free.js';
import {dockerDataRoot} from '../../source/remote/facts/docker.js';
import {diskFullError, networkFailure, noSpaceLeft, unreachableError} from '../../source/remote/output-errors.js';
import type {ImageAction} from '../../source/images/plan.js';

/** The registry of a reference: its first part when that names a host (has a dot or a port, or is localhost). */
export function registryOf(image: string): string | undefined {
	const first = image.split('/')[0]!;
	return image.includes('/') && (/[.:]/.test(first) || first === 'localhost') ? first : undefined;
}

/**
 * A failed pull or build as a StepError. `disk` is the space where Docker stores images, read after the failure;
 * `needed` the estimate for this image (space.ts).
 */
export function imageFailure(
	action: ImageAction,
	error: CommandFailedError,
	disk?: DiskFree & {readonly dataRoot?: string},
	needed?: number,
): StepError {
	const output = error.output ?? [];
	const doing = `${action.kind === 'pull' ? 'pulling' : 'building'} ${action.image}`;
	if (noSpaceLeft(output)) {
		return diskFullError(doing, disk?.dataRoot ?? dockerDataRoot, disk, needed, output);
	}
	const network = action.kind === 'pull' ? networkFailure(output) : undefined;
	if (network) {
		const registry = registryOf(action.image);
		const where = registry ? `the registry ${registry}` : 'Docker Hub';
		return unreachableError(
			`pull ${action.image}`,
			where,
			network,
			network.reason === 'the certificate is not trusted'
				? `Put the registry's CA certificate in /etc/docker/certs.d/${registry ?? 'HOST:PORT'}/ca.crt on the server, then \`labbox --resume\`.`
				: `Check the image name in lab.yaml's images.* keys, and that the server reaches ${where} (a firewall, proxy or DNS on the way); then \`labbox --resume\`.`,
			output,
		);
	}
	const hint =
		action.kind === 'pull'
			? `Check that ${action.image} exists (name and tag in lab.yaml's images.* keys), that the server reaches its registry, and that it trusts the registry's certificate (/etc/docker/certs.d/HOST:PORT/ca.crt).`
			: "Check the output above: the build installs the hub's Python packages, so the server must reach the Python package index.";
	return new StepError(`Could not ${action.kind} ${action.image} (exit code ${error.code}).`, hint, output);
}
