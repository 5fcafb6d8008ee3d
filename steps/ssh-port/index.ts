import type {LabConfig} from '../../source/config/fields.js';
import type {Command} from '../../source/remote/command.js';
import {readFileOr} from '../../source/remote/commands/files.js';
import type {Fact} from '../../source/remote/facts/fact.js';
import {firewall} from '../../source/remote/facts/firewall.js';
import {gatherFacts, type FactSet, type Gathered} from '../../source/remote/facts/gather.js';
import {pendingRevert, revertScriptFact, revertUnitsFact, sshdPorts, sshdStart} from '../../source/remote/facts/sshd.js';
import {unitFact} from '../../source/remote/facts/systemd.js';
import {labShell, type LabShell} from '../../source/remote/lab-session.js';
import {stepCommands} from '../../source/remote/step-commands.js';
import {StepError, type Check, type Step, type StepContext} from '../../source/engine/types.js';
import {decideSshPort, same, type SshPortFacts} from './decide.js';
import {revertNow, revertScript, revertUnit, socketDropIn, sshdDropIn} from './files.js';
import {movePorts, proveLogin} from './move.js';

export {portHolders} from './decide.js';

const absent = '@@labbox-absent@@';
const fileFact = (name: string, path: string): Fact<string | undefined> => ({
	name,
	command: readFileOr(path, absent),
	parse: output => (output.trim() === absent ? undefined : output),
});
const text = (name: string, command: Command): Fact<string> => ({name, command, parse: output => output.trim()});

/** The ports of ssh.socket's listeners (`[::]:22 (Stream)`, one per line). */
export function socketPorts(output: string): number[] {
	return [...output.matchAll(/:(\d+) \(Stream\)/g)].map(match => Number(match[1]));
}

/** The ssh-port step's facts, as data: how sshd is started, where it listens, what holds the port, a pending revert. */
export function sshPortFactSet(config: LabConfig) {
	const port = config['ssh.port'];
	return {
		start: sshdStart,
		sshdPorts,
		socketListen: unitFact('ssh-socket-listen', ['ssh.socket'], states => states.get('ssh.socket')!.listen.join('\n')),
		firewall,
		sshdDropIn: fileFact('sshd-drop-in', sshdDropIn),
		socketDropIn: fileFact('socket-drop-in', socketDropIn),
		holders: text('port-holders', ['ss', '-Hltnp', `sport = :${port}`]),
		revertScript: revertScriptFact(revertScript),
		revertUnits: revertUnitsFact(revertUnit),
	} satisfies FactSet;
}

/** The gathered facts as the decision takes them; `connectedOn` is the port this run's session uses. */
export function readSshPortFacts(found: Gathered<ReturnType<typeof sshPortFactSet>>, config: LabConfig, connectedOn: number) {
	const port = config['ssh.port'];
	if (!found.start) {
		throw new StepError(
			'Could not tell how sshd is started on the server (neither ssh.service nor ssh.socket is active).',
			'Check `systemctl status ssh` on the server.',
		);
	}
	const revert = pendingRevert(found.revertScript, found.revertUnits);
	if (revert === undefined) {
		throw new StepError(
			'Could not tell whether an SSH port change is waiting to be undone on the server.',
			`Check \`systemctl status ${revertUnit}.timer\` on the server.`,
		);
	}
	const listening = found.start.mode === 'socket' ? socketPorts(found.socketListen ?? '') : (found.sshdPorts ?? []);
	const closeOld = config['ssh.closeOldPort'] === true;
	return {...found, start: found.start, revert, listening, port, closeOld, connectedOn} satisfies SshPortFacts;
}

async function facts(ctx: StepContext, shell_: LabShell) {
	return readSshPortFacts(
		await gatherFacts(shell_, sshPortFactSet(ctx.config), {signal: ctx.signal}),
		ctx.config,
		shell_.session.target.port,
	);
}

export const sshPort: Step = {
	id: 'ssh-port',
	title: 'SSH port',
	summary: 'sshd listens on the chosen port, and the user can log in on it, without ever being locked out',
	inputs: ['ssh.port', 'ssh.closeOldPort'],
	facts: ({config}) => sshPortFactSet(config),
	async check(ctx): Promise<Check> {
		const shell_ = await labShell(ctx);
		const found = (await ctx.facts()) as Gathered<ReturnType<typeof sshPortFactSet>>;
		return decideSshPort(readSshPortFacts(found, ctx.config, shell_.session.target.port));
	},
	async apply(ctx, io) {
		const shell_ = await labShell(ctx);
		const commands = stepCommands(ctx, io, shell_);
		let found = await facts(ctx, shell_);
		if (found.revert) {
			// Issue 9 item 1: a change an interrupted run left unconfirmed is undone first (the server's own revert,
			// run now), then made again and proven below; the timer would otherwise undo it behind lab.yaml's back.
			// Not stopped half-way by Ctrl-C: the revert is short, and cut between its files and its restart it would
			// leave sshd's configuration and its listening ports apart.
			await commands.run(revertNow(), {untilDone: true});
			found = await facts(ctx, shell_);
		}
		const current = found.connectedOn;
		const beside = [...new Set([...found.listening, found.port])];
		// First add the new port beside the old ones; close the old ones only once the new one is proven.
		if (!same(found.listening, beside)) {
			await movePorts(ctx, io, shell_, found, beside);
		} else if (current !== found.port) {
			// Already listening (a run again, or a move made by hand): prove the login there, touch nothing.
			await proveLogin(ctx, found.port, current);
		}
		// The next runs connect on the new port, written as soon as it is proven and before an old port closes
		// (issue 9 item 1): the port lab.yaml names then answers before and after any revert the server may run.
		await ctx.updateConfig({'server.port': found.port});
		// Whether to close the old port was asked in the wizard, before the plan (issue 10 item 9).
		const closeOld = found.closeOld;
		if (closeOld && !same(found.listening, [found.port])) {
			await movePorts(ctx, io, shell_, await facts(ctx, shell_), [found.port]);
		}
		io.detail(`sshd listens on ${closeOld ? found.port : beside.join(', ')}; lab.yaml now connects on ${found.port}`);
	},
};
