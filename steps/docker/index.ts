import {toShell, quiet} from '../../source/remote/command.js';
import {packageStatus} from '../../source/remote/commands/apt.js';
import {isActive, isEnabled} from '../../source/remote/commands/systemctl.js';
import {composeV1, composeVersion, dockerServer} from '../../source/remote/facts/docker.js';
import type {Fact} from '../../source/remote/facts/fact.js';
import {osRelease} from '../../source/remote/facts/os-release.js';
import {labShell, type LabShell} from '../../source/remote/lab-session.js';
import {StepError, type Check, type Step, type StepContext} from '../../source/engine/types.js';
import {decideDocker, watchedPackages, type DockerFacts} from './decide.js';

async function fact<T>(shell: LabShell, ctx: StepContext, item: Fact<T>): Promise<T | undefined> {
	const result = await shell.exec(quiet(item.command), {sudo: true, signal: ctx.signal});
	return item.parse(result.stdout);
}

/** Everything the decision needs, read in parallel over the one connection (read-only). */
export async function dockerFacts(ctx: StepContext, shell: LabShell): Promise<DockerFacts> {
	const user = shell.session.target.username;
	const text = async (command: Parameters<LabShell['exec']>[0]) => (await shell.exec(quiet(command), {sudo: true, signal: ctx.signal})).stdout.trim();
	const [os, packages, snap, active, enabled, server, compose, v1, groups] = await Promise.all([
		fact(shell, ctx, osRelease),
		text(packageStatus(watchedPackages)),
		text(['snap', 'list', 'docker']),
		text(isActive('docker')),
		text(isEnabled('docker')),
		fact(shell, ctx, dockerServer),
		fact(shell, ctx, composeVersion),
		fact(shell, ctx, composeV1),
		text(['id', '-nG', user]),
	]);
	if (!os) {
		throw new StepError('Could not read /etc/os-release on the server.', 'Check the server runs Debian or Ubuntu.');
	}
	return {
		os,
		packages: packages.split('\n').filter(line => / installed /.test(line)).map(line => line.split(' ')[0]!),
		snapDocker: /^docker\s/m.test(snap),
		active: active === 'active',
		enabled: enabled === 'enabled',
		server: server ?? false,
		compose: compose ?? false,
		composeV1: v1 ?? false,
		user,
		userInDockerGroup: groups.split(/\s+/).includes('docker'),
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
	dependsOn: ['connect'],
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
