import type {LabConfig} from '../../source/config/fields.js';
import {shownCommand, type Command} from '../../source/remote/command.js';
import {dpkgInterrupted, packageStatus} from '../../source/remote/commands/apt.js';
import {composeV1, composeVersion, dockerServer} from '../../source/remote/facts/docker.js';
import type {Fact} from '../../source/remote/facts/fact.js';
import {gatherFacts, type FactSet, type Gathered} from '../../source/remote/facts/gather.js';
import {osRelease} from '../../source/remote/facts/os-release.js';
import {activeState, enabledState} from '../../source/remote/facts/systemd.js';
import {labShell, type LabShell} from '../../source/remote/lab-session.js';
import {stepCommands} from '../../source/remote/step-commands.js';
import {StepError, type Check, type Step, type StepContext} from '../../source/engine/types.js';
import {spaceBlocked, spaceFacts} from '../../source/images/space-check.js';
import {CommandFailedError} from '../../source/remote/errors.js';
import {diskFree} from '../../source/remote/facts/disk-free.js';
import {noSpaceLeft} from '../../source/remote/output-errors.js';
import {decideDocker, watchedPackages, type DockerFacts, type DockerWanted} from './decide.js';
import {installFailure} from './failure.js';

/** Read-only facts of the docker step, beyond the shared ones: gathered in one round trip. */
function dockerFactSet(user: string) {
	const text = (name: string, command: Command): Fact<string> => ({name, command, parse: output => output.trim()});
	return {
		os: osRelease,
		packages: text('docker-packages', packageStatus(watchedPackages)),
		snap: text('snap-docker', ['snap', 'list', 'docker']),
		active: activeState('docker-active', 'docker.service'),
		enabled: enabledState('docker-enabled', 'docker.service'),
		server: dockerServer,
		compose: composeVersion,
		composeV1,
		groups: text('user-groups', ['id', '-nG', user]),
		dpkgJournal: text('dpkg-interrupted', dpkgInterrupted()),
	} satisfies FactSet;
}

export async function dockerFacts(ctx: StepContext, shell: LabShell): Promise<DockerFacts> {
	const user = shell.session.target.username;
	return readDockerFacts(await gatherFacts(shell, dockerFactSet(user), {signal: ctx.signal}), user);
}

/** The gathered facts as the decision takes them. */
export function readDockerFacts(facts: Gathered<ReturnType<typeof dockerFactSet>>, user: string): DockerFacts {
	if (!facts.os) {
		throw new StepError('Could not read /etc/os-release on the server.', 'Check the server runs Debian or Ubuntu.');
	}
	return {
		os: facts.os,
		packages: (facts.packages ?? '')
			.split('\n')
			.filter(line => / installed /.test(line))
			.map(line => line.split(' ')[0]!),
		snapDocker: /^docker\s/m.test(facts.snap ?? ''),
		active: facts.active === 'active',
		enabled: facts.enabled === 'enabled',
		server: facts.server ?? false,
		compose: facts.compose ?? false,
		composeV1: facts.composeV1 ?? false,
		user,
		userInDockerGroup: (facts.groups ?? '').split(/\s+/).includes('docker'),
		dpkgInterrupted: (facts.dpkgJournal ?? '') !== '',
	};
}

function wanted(ctx: Pick<StepContext, 'config'>): DockerWanted {
	return {source: ctx.config['docker.source'] ?? 'distro', repository: ctx.config['docker.repository']};
}

/**
 * The check, pure: the facts (the docker step's and the space ones), the configuration and the SSH user in, a
 * check out (issue 11).
 */
export function checkDocker(facts: Readonly<Record<string, unknown>>, config: LabConfig, user: string): Check {
	const verdict = decideDocker(readDockerFacts(facts as Gathered<ReturnType<typeof dockerFactSet>>, user), wanted({config}));
	if (verdict.status !== 'todo') {
		return verdict;
	}
	// Installing Docker on a disk too small for the images only moves the failure later (issue 9 item 9).
	return spaceBlocked(facts, config) ?? {status: 'todo', changes: verdict.changes};
}

async function decide(ctx: StepContext, shell: LabShell) {
	return decideDocker(await dockerFacts(ctx, shell), wanted(ctx));
}

/** A failed install command with its real cause (an address that did not answer, a full disk), else as it failed. */
async function failure(ctx: StepContext, shell: LabShell, command: Command, error: unknown): Promise<unknown> {
	if (!(error instanceof CommandFailedError)) {
		return error;
	}
	const system = noSpaceLeft(error.output ?? [])
		? (await gatherFacts(shell, {system: diskFree('/usr', 'system-disk-free')}, {signal: ctx.signal}).catch(() => undefined))?.system
		: undefined;
	return installFailure(command, error, wanted(ctx), system) ?? error;
}

export const docker: Step = {
	id: 'docker',
	title: 'Docker',
	summary: 'Docker Engine and Compose v2 are installed, running, and usable by the deploy user',
	inputs: ['docker.source', 'docker.repository'],
	facts: ({config, target}) => ({...dockerFactSet(target.username), ...spaceFacts(config)}),
	async check(ctx): Promise<Check> {
		const shell = await labShell(ctx);
		return checkDocker(await ctx.facts(), ctx.config, shell.session.target.username);
	},
	async apply(ctx, io) {
		const shell = await labShell(ctx);
		const verdict = await decide(ctx, shell);
		if (verdict.status !== 'todo') {
			// Already so (applied only because its inputs changed): nothing changed (issue 10 item 10); blocked: verify says why.
			return verdict.status === 'done' ? 'unchanged' : undefined;
		}
		const commands = stepCommands(ctx, io, shell);
		for (const [index, command] of verdict.commands.entries()) {
			// No bar: apt says nothing of how far it is, and a count of commands stood at 33% through the whole
			// install; the command in words, with its elapsed time, says what happens (issue 10 item 13).
			io.detail(`${index + 1} of ${verdict.commands.length}: ${shownCommand(command)}`);
			await commands.run(command).catch(async (error: unknown) => {
				throw await failure(ctx, shell, command, error);
			});
		}
		// The last command was a live label, not the result: the verify's `Docker 26.1, Compose 2.x` says what is now.
		io.detail('');
	},
};
