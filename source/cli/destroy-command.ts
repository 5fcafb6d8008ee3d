/**
 * `labbox destroy [--purge]` (issue 13 item 3): the plan first (what runs on the server and what stays), then
 * the lab's containers, units and timers go; lab.root stays unless --purge, which asks for the domain typed. The
 * records of the steps whose work is gone are dropped, so `labbox status` does not call the lab well and
 * `labbox` brings it back. Exit 0 done (or declined), 1 a command failed (the rest was not run), 2 usage or
 * configuration, 130 Ctrl-C.
 */
import {ConfigError} from '../config/resolve.js';
import {acquireLock, LockHeldError} from '../engine/lock.js';
import {loadState, saveState} from '../engine/state.js';
import {toShell} from '../remote/command.js';
import {withoutEscapes} from '../remote/line-splitter.js';
import {confirmPlan, confirmTyped} from '../daytwo/confirm.js';
import {destroyCommands, destroyPlan, labOnServer, parseLabOnServer} from '../daytwo/destroy-plan.js';
import {openLab, type LabConnection} from '../daytwo/lab-connection.js';
import {commandFailed, exitCode, invocation, type GlobalFlags, type Io} from './context.js';
import {commandLine} from './invocation.js';

/** The steps whose work destroy removes (their records go); with --purge also the folders'. */
const undone = (purge: boolean) => ['certificate', 'stack', ...(purge ? ['homes'] : [])];

export async function destroyCommand(flags: GlobalFlags, options: Record<string, unknown> & {purge?: boolean}, io: Io): Promise<number> {
	const purge = Boolean(options.purge);
	let lab: LabConnection | undefined;
	let release: (() => Promise<void>) | undefined;
	try {
		lab = await openLab('destroy', flags, options, io);
		const found = parseLabOnServer((await lab.shell.run(labOnServer(lab.root), {sudo: true, signal: lab.signal})).stdout);
		const domain = String(lab.config.domain);
		const again = `${commandLine(invocation(flags, options, io), 'destroy')}${purge ? ' --purge' : ''}`;
		const answer = await confirmPlan(destroyPlan(found, lab.root, purge), {
			yes: flags.yes,
			io,
			question: `Remove the lab ${domain} from the server?`,
		});
		if (answer !== 'yes') {
			io[answer === 'cannot-ask' ? 'stderr' : 'stdout'].write(
				answer === 'cannot-ask'
					? `Nothing was changed: without a terminal, add --yes to go ahead (${again} --yes).\n`
					: 'Nothing was changed.\n',
			);
			return answer === 'no' ? exitCode.done : answer === 'interrupted' ? exitCode.interrupted : exitCode.usage;
		}
		if (purge) {
			// Deleting every home cannot be undone: the domain typed, never only --yes.
			const typed = await confirmTyped(
				`This deletes ${lab.root} and every home in it. Type the lab's domain (${domain}) to go on:`,
				domain,
				io,
			);
			if (typed !== 'yes') {
				io.stderr.write(
					typed === 'cannot-ask'
						? `Nothing was changed: --purge asks for the domain to be typed, in a terminal.\n`
						: 'Nothing was changed.\n',
				);
				return typed === 'interrupted' ? exitCode.interrupted : typed === 'cannot-ask' ? exitCode.usage : exitCode.done;
			}
		}
		release = await acquireLock(lab.paths.lock, 'labbox destroy');
		for (const command of destroyCommands(found, lab.root, purge)) {
			const shown = toShell(command, {redact: true});
			io.stdout.write(`$ ${shown}\n`);
			const result = await lab.shell.exec(command, {
				sudo: true,
				signal: lab.signal,
				onLine: line => io.stdout.write(`  ${lab!.redactor.redact(withoutEscapes(line))}\n`),
			});
			if (result.code !== 0) {
				io.stderr.write(
					`This command failed (exit code ${result.code}); the ones after it were not run. See the output above, then run \`${again}\` again.\n`,
				);
				return exitCode.failed;
			}
		}
		const state = await loadState(lab.paths.state);
		const steps = Object.fromEntries(Object.entries(state.steps).filter(([id]) => !undone(purge).includes(id)));
		await saveState(lab.paths.state, {...state, steps});
		const {port} = lab.shell.session.target; // the port labbox reached sshd on just now
		io.stdout.write(
			[
				`The lab ${domain} is removed from the server: no container, unit or timer of it is left.`,
				purge
					? `${lab.root} was deleted.`
					: `Kept: ${lab.root} (homes, shared, datasets, the hub database, certificates). \`${commandLine(invocation(flags, options, io))}\` brings the lab back.`,
				`Not changed: sshd stays on port ${port}, Docker stays installed, and the images stay.`,
			].join('\n') + '\n',
		);
		return exitCode.done;
	} catch (error) {
		if (error instanceof ConfigError) {
			io.stderr.write(
				`The configuration needs attention (nothing was changed):\n${error.problems.map(item => `  • ${item.message}`).join('\n')}\n`,
			);
			return exitCode.usage;
		}
		if (error instanceof LockHeldError) {
			io.stderr.write(`${error.message}\n`);
			return exitCode.failed;
		}
		return commandFailed(error, io, text => lab?.redactor.redact(text) ?? text);
	} finally {
		await release?.();
		await lab?.close();
	}
}
