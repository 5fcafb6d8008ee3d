/** Docker image commands, used by the images step and the space check (kamal `commands/docker.rb`): values, run elsewhere. */
import {any, chain, combine, group, quiet, write, type Command} from '../command.js';
import {lines, type Fact} from '../facts/fact.js';

/** Prints each image's id when every reference is present; fails when one is not (and prints the others' ids). */
export function inspectImage(...images: readonly string[]): Command {
	return ['docker', 'image', 'inspect', '--format', '{{.Id}}', ...images];
}

/**
 * Which of these references the server has: `present *` when it has them all, from ONE docker client (every
 * no-op run: issue 11, speed), else `present REF` for each it has, asked one by one (docker names the missing
 * ones only in its error messages, which differ between versions).
 */
function presentImages(images: readonly string[]): Command {
	const found = (references: readonly string[], mark: string) =>
		combine(write(quiet(inspectImage(...references)), '/dev/null'), ['echo', 'present', mark]);
	return any(found(images, '*'), group(chain(...images.map(image => found([image], image)))));
}

/**
 * Whether the server has this reference (a pinned tag: present means present at that version). Facts of the same
 * `among` list share one command, which a round trip of facts runs once.
 */
export function imagePresent(image: string, among: readonly string[] = [image]): Fact<boolean> {
	return {
		name: `image ${image}`,
		command: presentImages(among.includes(image) ? among : [...among, image]),
		parse: output => lines(output).some(line => line === 'present *' || line === `present ${image}`),
	};
}

/** Pulls a reference; its status lines feed the progress bar. */
export function pullImage(image: string): Command {
	return ['docker', 'pull', image];
}

/** Builds an image from a Dockerfile given on stdin (no build context: the hub's Dockerfile needs none). */
export function buildImage(image: string): Command {
	return ['docker', 'build', '--tag', image, '-'];
}
