/** Docker image commands, used by the images step and the space check (kamal `commands/docker.rb`): values, run elsewhere. */
import type {Command} from '../command.js';
import type {Fact} from '../facts/fact.js';

/** Prints the image id when the reference is present; fails (nothing on stdout) when it is not. */
export function inspectImage(image: string): Command {
	return ['docker', 'image', 'inspect', '--format', '{{.Id}}', image];
}

/** Whether the server has this reference (a pinned tag: present means present at that version). */
export function imagePresent(image: string): Fact<boolean> {
	return {name: `image ${image}`, command: inspectImage(image), parse: output => /^sha256:[0-9a-f]{64}$/m.test(output)};
}

/** Pulls a reference; its status lines feed the progress bar. */
export function pullImage(image: string): Command {
	return ['docker', 'pull', image];
}

/** Builds an image from a Dockerfile given on stdin (no build context: the hub's Dockerfile needs none). */
export function buildImage(image: string): Command {
	return ['docker', 'build', '--tag', image, '-'];
}
