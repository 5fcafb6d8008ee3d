import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {toShell} from '../../../source/remote/command.js';
import {hubImage} from '../../../source/templates/lab-files.js';
import {buildImage, imagePresent, inspectImage, pullImage} from '../../../source/remote/commands/docker-images.js';
import {describeAction, environmentsNote, imageActions, watchedImages} from '../../../source/images/plan.js';
import {buildStep, PullProgress} from '../../../steps/images/progress.js';
import {root} from '../../helpers/labbox-process.js';

const folder = path.join(root, 'test/fixtures/steps/images');
const cases = readdirSync(folder)
	.filter(file => file.endsWith('.json'))
	.map(file => [file, JSON.parse(readFileSync(path.join(folder, file), 'utf8'))] as const);

describe('images', () => {
	// HUB in a fixture stands for the built hub's tag, which is the hash of its Dockerfile.
	it.each(cases)('%s: present images in, actions out', (_file, fixture) => {
		const hub = hubImage(fixture.images);
		const present = new Set<string>(fixture.present.map((image: string) => (image === 'HUB' ? hub : image)));
		const actions = imageActions(fixture.images, present).map(describeAction);
		expect(actions).toEqual(fixture.actions.map((line: string) => line.replace('HUB', hub)));
	});

	it('names the environments in its detail, and nothing without images.choices (issue 14 item 2)', () => {
		const images = {singleuser: 'a:1', hub: 'b:1', hubBuild: false, nginx: 'c:1'};
		expect(environmentsNote(images)).toBe('');
		expect(
			environmentsNote({
				...images,
				choices: [
					{name: 'SciPy', image: 'a:1'},
					{name: 'R', image: 'd:1'},
				],
			}),
		).toBe(' (environments: SciPy, R)');
		expect(
			watchedImages({
				...images,
				choices: [
					{name: 'SciPy', image: 'a:1'},
					{name: 'R', image: 'd:1'},
				],
			}),
		).toEqual(['a:1', 'd:1', 'c:1', 'b:1']);
	});

	it('watches the built hub and its base, each reference once', () => {
		const images = {singleuser: 'a:1', hub: 'b:1', hubBuild: true, nginx: 'a:1'};
		expect(watchedImages(images)).toEqual(['a:1', hubImage(images), 'b:1']);
	});

	it('builds the commands', () => {
		expect(toShell(inspectImage('quay.io/jupyter/scipy-notebook:2025-12-31'))).toBe(
			"docker image inspect --format '{{.Id}}' quay.io/jupyter/scipy-notebook:2025-12-31",
		);
		expect(toShell(pullImage('10.0.0.12:5000/labbox-world/hub:1'))).toBe('docker pull 10.0.0.12:5000/labbox-world/hub:1');
		expect(toShell(buildImage('labbox-hub:0123456789ab'))).toBe('docker build --tag labbox-hub:0123456789ab -');
	});

	it('reads presence from docker image inspect: one docker client for all the images when the server has them all (issue 11)', () => {
		const among = ['a:1', 'nginx:1.28.0-alpine', 'b:1'];
		const fact = imagePresent('nginx:1.28.0-alpine', among);
		expect(toShell(fact.command)).toBe(
			"docker image inspect --format '{{.Id}}' a:1 nginx:1.28.0-alpine b:1 2>/dev/null > /dev/null && echo present '*' || " +
				"{ docker image inspect --format '{{.Id}}' a:1 2>/dev/null > /dev/null && echo present a:1 ; " +
				"docker image inspect --format '{{.Id}}' nginx:1.28.0-alpine 2>/dev/null > /dev/null && echo present nginx:1.28.0-alpine ; " +
				"docker image inspect --format '{{.Id}}' b:1 2>/dev/null > /dev/null && echo present b:1 ; }",
		);
		// The facts of the same list share the command: a round trip of facts runs it once.
		expect(toShell(imagePresent('a:1', among).command)).toBe(toShell(fact.command));
		expect(fact.parse('present *\n')).toBe(true);
		expect(fact.parse('present a:1\npresent nginx:1.28.0-alpine\n')).toBe(true);
		expect(fact.parse('present a:1\npresent nginx:1.28.0-alpine-slim\n')).toBe(false);
		expect(fact.parse('')).toBe(false);
		expect(toShell(imagePresent('c:1', ['a:1']).command)).toContain("inspect --format '{{.Id}}' a:1 c:1 2>/dev/null");
	});

	// Issue 11: the one docker image inspect for all, run on a world server (Docker 26.1.5): docker exits non-zero
	// when one reference is missing, and the others are then asked one by one.
	it.each(readdirSync(path.join(root, 'test/fixtures/steps/images-inspect')))('reads a world server: %s', file => {
		const fixture = JSON.parse(readFileSync(path.join(root, 'test/fixtures/steps/images-inspect', file), 'utf8')) as {
			among: string[];
			command: string;
			output: string;
			present: Record<string, boolean>;
		};
		for (const [image, present] of Object.entries(fixture.present)) {
			const fact = imagePresent(image, fixture.among);
			expect(toShell(fact.command)).toBe(fixture.command);
			expect(fact.parse(fixture.output)).toBe(present);
		}
	});

	it('turns docker pull lines into layer progress and bytes', () => {
		const progress = new PullProgress();
		const seen: string[] = [];
		for (const line of readFileSync(path.join(folder, 'pull-output.txt'), 'utf8').split('\n')) {
			if (progress.feed(line)) {
				seen.push(`${progress.fraction.toFixed(2)} ${progress.label}`);
			}
		}
		expect(seen).toEqual([
			'0.00 0 of 1 layers',
			'0.00 0 of 2 layers',
			'0.33 1 of 3 layers',
			'0.33 1 of 3 layers',
			'0.43 1 of 3 layers, 1 of 25 MB',
			'0.67 1 of 3 layers, 1 of 25 MB',
			'0.67 1 of 3 layers, 1 of 25 MB',
			'0.77 2 of 3 layers, 1 of 25 MB',
			'0.77 2 of 3 layers, 12 of 25 MB',
			'0.90 2 of 3 layers, 12 of 25 MB',
			'0.95 2 of 3 layers, 25 of 25 MB',
			'1.00 3 of 3 layers, 25 of 25 MB',
		]);
		expect(progress.feed('Digest: sha256:abc')).toBe(false);
	});

	it('reads build steps from the classic builder and BuildKit', () => {
		expect(buildStep('Step 2/2 : RUN python3 -m pip install')).toBe(0.5);
		expect(buildStep('#6 [2/2] RUN python3 -m pip install --no-cache-dir')).toBe(0.5);
		expect(buildStep('Collecting dockerspawner==14.0.0')).toBeUndefined();
	});
});
