import {toShell, type Command} from '../../source/remote/command.js';
import {dpkgInterrupted, packageStatus} from '../../source/remote/commands/apt.js';
import {isActive, isEnabled} from '../../source/remote/commands/systemctl.js';
import {composeV1, composeVersion, dockerServer} from '../../source/remote/facts/docker.js';
import type {Fact} from '../../source/remote/facts/fact.js';
import {gatherFacts, type FactSet} from '../../source/remote/facts/gather.js';
import {osRelease} from '../../source/remote/facts/os-release.js';
import {labShell, type LabShell} from '../../source/remote/lab-session.js';
import {StepError, type Check, type Step, type StepContext} from '../../source/engine/types.js';
import {decideDocker, watchedPackages, type DockerFacts} from './decide.js';

/** Read-only facts of the docker step, beyond the shared ones: gathered in one round trip. */
function dockerFactSet(user: string) {
	const text = (name: string, command: Command): Fact<string> => ({name, command, parse: output => output.trim()});
	return {
		os: osRelease,
		packages: text('docker-packages', packageStatus(watchedPackages)),
		snap: text('snap-docker', ['snap', 'list', 'docker']),
		active: text('docker-active', isActive('docker')),
		enabled: text('docker-enabled', isEnabled('docker')),
		server: dockerServer,
		compose: composeVersion,
		composeV1,
		groups: text('user-groups', ['id', '-nG', user]),
		dpkgJournal: text('dpkg-interrupted', dpkgInterrupted()),
	} satisfies FactSet;
}

export async function dockerFacts(ctx: StepContext, shell: LabShell): Promise<DockerFacts> {
	const user = shell.session.target.username;
	const facts = await gatherFacts(shell, dockerFactSet(user), {signal: ctx.signal});
	if (!facts.os) {
		throw new StepError('Could not read /etc/os-release on the server.', 'Check the server runs Debian or Ubuntu.');
	}
	return {
		os: facts.os,
		packages: (facts.packages ?? '').split('\n').filter(line => / installed /.test(line)).map(line => line.split(' ')[0]!),
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

async function decide(ctx: StepContext, shell: LabShell) {
	const facts = await dockerFacts(ctx, shell);
	return decideDocker(facts, {source: ctx.config['docker.source'] as 'official' | 'distro', repository: ctx.config['docker.repository'] as string | undefined});
}

export const docker: Step = {
	id: 'docker',
	title: 'Docker',
	summary: 'Docker Engine and Compose v2 are installed, running, and usable by the deploy user',
	inputs: ['docker.source', 'docker.repository'],
	async check(ctx): Promise<Check> {
		const verdict = await decide(ctx, await labShell(ctx));
		return verdict.status === 'todo' ? {status: 'todo', changes: verdict.changes} : verdict;
	},
	async apply(ctx, io) {
		const shell = await labShell(ctx);
		const verdict = await decide(ctx, shell);
		if (verdict.status !== 'todo') {
			return;
		}
		for (const [index, command] of verdict.commands.entries()) {
			io.progress(index / verdict.commands.length, toShell(command, {redact: true}).slice(0, 60));
			io.line(`$ ${toShell(command, {redact: true})}`);
			await shell.run(command, {sudo: true, signal: ctx.signal, onLine: (line, stream) => io.line(line, stream)});
		}
		io.progress(1);
	},
};
