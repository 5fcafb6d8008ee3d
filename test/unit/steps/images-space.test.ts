// Issue 9 item 9: a full disk was reported as a registry problem, and found only by a failing pull after Docker
// was installed. The space decision (before any change) and the mapping of Docker's own words.
import {describe, expect, it} from 'vitest';
import {CommandFailedError} from '../../../source/remote/errors.js';
import {hubImage} from '../../../source/templates/lab-files.js';
import {imageFailure, registryOf} from '../../../steps/images/failure.js';
import {estimates, spaceNeeds, spaceVerdict} from '../../../source/images/space.js';

const gib = 1024 ** 3;
const images = {
	singleuser: 'quay.io/jupyter/scipy-notebook:2025-12-31',
	hub: 'quay.io/jupyterhub/jupyterhub:5.4.6',
	hubBuild: true,
	nginx: 'nginx:1.28.0-alpine',
};
const root = {mount: '/', total: 20 * gib, available: 0.8 * gib};

describe('the space the lab still needs', () => {
	it("counts Docker's install and every image a fresh server lacks, each at its estimate", () => {
		expect(spaceNeeds(images, new Set(), false)).toEqual([
			{what: "Docker's install", bytes: estimates.dockerInstall, on: 'system'},
			{what: images.singleuser, bytes: 5 * gib, on: 'docker'},
			{what: images.nginx, bytes: estimates.nginx, on: 'docker'},
			{what: images.hub, bytes: estimates.hub, on: 'docker'},
			{what: `the hub built as ${hubImage(images)}`, bytes: estimates.hubBuild, on: 'docker'},
		]);
		// Docker there, everything pulled but the notebook image: only that.
		const present = new Set([images.nginx, hubImage(images)]);
		expect(spaceNeeds(images, present, true)).toEqual([{what: images.singleuser, bytes: 5 * gib, on: 'docker'}]);
	});

	it('is blocked with the numbers and the fix when it does not fit (0.8 GiB free, as in the issue)', () => {
		const verdict = spaceVerdict(spaceNeeds(images, new Set(), false), {docker: root, system: root, dataRoot: '/var/lib/docker'});
		expect(verdict).toEqual({
			reason:
				"Not enough disk space: 0.8 GiB is free on /, where Docker stores images (/var/lib/docker), but about 6.7 GiB is needed (Docker's install 0.6 GiB, quay.io/jupyter/scipy-notebook:2025-12-31 5.0 GiB, nginx:1.28.0-alpine 0.1 GiB, quay.io/jupyterhub/jupyterhub:5.4.6 0.6 GiB, the hub built as " +
				`${hubImage(images)} 0.4 GiB)`,
			fix: 'Make room for at least 5.9 GiB more on / (remove what you do not need, or grow the disk), then run labbox again. The sizes are labbox\'s estimates per image (README, "Disk space").',
		});
	});

	it('passes when it fits, when nothing is left to do, or when the space could not be read', () => {
		const big = {...root, available: 50 * gib};
		expect(spaceVerdict(spaceNeeds(images, new Set(), false), {docker: big, system: big, dataRoot: '/var/lib/docker'})).toBeUndefined();
		expect(spaceVerdict([], {docker: root, system: root, dataRoot: '/var/lib/docker'})).toBeUndefined();
		expect(spaceVerdict(spaceNeeds(images, new Set(), false), {dataRoot: '/var/lib/docker'})).toBeUndefined();
	});

	it("counts each filesystem's own share when Docker's data root is a disk of its own", () => {
		const docker = {mount: '/var/lib/docker', total: 1 * gib, available: 0.9 * gib};
		const system = {mount: '/', total: 20 * gib, available: 10 * gib};
		const verdict = spaceVerdict(spaceNeeds(images, new Set(), false), {docker, system, dataRoot: '/var/lib/docker'});
		expect(verdict?.reason).toMatch(
			/^Not enough disk space: 0\.9 GiB is free on \/var\/lib\/docker, where Docker stores images \(\/var\/lib\/docker\), but about 6\.1 GiB is needed \(quay/,
		);
		// The install alone fits on /, the images alone would fit on a big data root.
		expect(
			spaceVerdict(spaceNeeds(images, new Set(), false), {docker: {...docker, available: 7 * gib}, system, dataRoot: '/var/lib/docker'}),
		).toBeUndefined();
		expect(
			spaceVerdict(spaceNeeds(images, new Set(), false), {
				docker: {...docker, available: 7 * gib},
				system: {...system, available: 0.2 * gib},
				dataRoot: '/var/lib/docker',
			})?.reason,
		).toBe(
			"Not enough disk space: 0.2 GiB is free on /, where packages are installed, but about 0.6 GiB is needed (Docker's install 0.6 GiB)",
		);
	});
});

describe('a failed pull or build', () => {
	const failed = (output: string[]) => new CommandFailedError('docker pull x', 1, output);

	it('that ran out of space says so, with the free space where Docker stores images, not a hint about image names', () => {
		const error = imageFailure(
			{kind: 'pull', image: images.singleuser},
			failed([
				'a2b9c3d4e5f6: Extracting  1.2GB/1.9GB',
				'failed to register layer: write /opt/conda/lib/libLLVM.so.15: no space left on device',
			]),
			{mount: '/', total: 20 * gib, available: 0.01 * gib, dataRoot: '/var/lib/docker'},
			5 * gib,
		);
		expect(error.message).toBe(
			'The server\'s disk is full: pulling quay.io/jupyter/scipy-notebook:2025-12-31 stopped with "no space left on device". 0.0 GiB of 20.0 GiB is free on / (which holds /var/lib/docker); about 5.0 GiB is needed.',
		);
		expect(error.hint).not.toMatch(/registry|images\.\*/);
		expect(error.hint).toMatch(/Make room on \//);
	});

	it('that found no registry names the registry and how it failed', () => {
		const error = imageFailure(
			{kind: 'pull', image: '192.0.2.10:5000/lab/singleuser:1'},
			failed(['Error response from daemon: Get "https://192.0.2.10:5000/v2/": dial tcp 192.0.2.10:5000: i/o timeout']),
		);
		expect(error.message).toBe(
			'The server could not reach the registry 192.0.2.10:5000 to pull 192.0.2.10:5000/lab/singleuser:1: no answer in time.',
		);
		expect(error.hint).toMatch(/reaches the registry 192\.0\.2\.10:5000/);
		// As dockerd said it in the world (a registry that drops packets, 15 s).
		expect(
			imageFailure(
				{kind: 'pull', image: '192.0.2.10:5000/lab/singleuser:1'},
				failed(['Error response from daemon: Get "https://192.0.2.10:5000/v2/": context deadline exceeded']),
			).message,
		).toBe(error.message);
	});

	it('for any other reason keeps the old message and hint', () => {
		expect(
			imageFailure(
				{kind: 'pull', image: 'nginx:nope'},
				failed(['Error response from daemon: manifest for nginx:nope not found: manifest unknown']),
			).message,
		).toBe('Could not pull nginx:nope (exit code 1).');
	});

	it('reads the registry from a reference', () => {
		expect([
			registryOf('quay.io/jupyter/x:1'),
			registryOf('localhost/x'),
			registryOf('10.0.0.12:5000/a/b:1'),
			registryOf('nginx:1'),
			registryOf('jupyter/x:1'),
		]).toEqual(['quay.io', 'localhost', '10.0.0.12:5000', undefined, undefined]);
	});
});
