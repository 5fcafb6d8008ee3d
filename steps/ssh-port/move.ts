/**
 * One safe move of sshd's ports (FIELD-NOTES "Safe order"): arm a revert on the server, write the drop-ins,
 * validate, open the firewall, restart, prove the new port by a login from the laptop, disarm.
 */
import type {Command} from '../../source/remote/command.js';
import type {Firewall} from '../../source/remote/facts/firewall.js';
import {fixFor} from '../../source/remote/errors.js';
import {openSession, type LabShell} from '../../source/remote/lab-session.js';
import {StepError, type StepContext, type StepIO} from '../../source/engine/types.js';
import {makeDirectory} from '../../source/remote/commands/files.js';
import {stepCommands} from '../../source/remote/step-commands.js';
import type {SshPortFacts} from './decide.js';
import {
	armRevert,
	clearRevert,
	disarmRevert,
	restartSshd,
	revertAfterSeconds,
	revertNow,
	revertScript,
	revertScriptText,
	revertUnit,
	socketConfig,
	socketDropIn,
	sshdConfig,
	sshdDropIn,
} from './files.js';

/** The facts a move needs: the step's, and the drop-ins as they were (the revert puts them back). */
export type MoveFacts = SshPortFacts & {readonly sshdDropIn?: string; readonly socketDropIn?: string};

/** Opens the port in the host firewall in use (a cloud provider's firewall is the user's to open). */
function openFirewall(kind: Firewall | undefined, port: number): Command[] {
	if (kind === 'ufw') {
		return [['ufw', 'allow', `${port}/tcp`]];
	}
	if (kind === 'firewalld') {
		return [
			['firewall-cmd', '--permanent', `--add-port=${port}/tcp`],
			['firewall-cmd', '--reload'],
		];
	}
	return [];
}

/**
 * Logs in from the laptop on `port` with the host key trusted on `previousPort`, and runs a command there. The
 * probe is closed on every path: an open one keeps its keepalive timer, and with it the CLI, alive after the run.
 */
export async function proveLogin(ctx: StepContext, port: number, previousPort: number): Promise<void> {
	const probe = await openSession(ctx, {port, previousPort});
	try {
		await probe.run(['true'], {signal: ctx.signal});
	} finally {
		await probe.close();
	}
}

/**
 * Issue 9 item 1: while a move is unconfirmed, the end of the run (Ctrl-C, a failure) undoes it at once, before
 * the session closes (a resource made after it is disposed before it); after a kill -9 the armed timer undoes
 * it, and the next run's check sees what is pending. `shell` is set while a move is unconfirmed.
 */
function unconfirmed(ctx: StepContext): Promise<{shell?: LabShell}> {
	return ctx.resources.get(
		'ssh-port-unconfirmed',
		async () => ({}) as {shell?: LabShell},
		async guard => {
			const shell_ = guard.shell;
			guard.shell = undefined;
			if (!shell_) {
				return;
			}
			const undone = await shell_
				.exec(revertNow(), {sudo: true, signal: AbortSignal.timeout(30_000)})
				.catch((error: unknown) => ({code: -1, stdout: '', stderr: String(error)}));
			if (undone.code !== 0) {
				throw new Error(
					`could not undo the unconfirmed SSH port change (${undone.stderr.trim() || `exit code ${undone.code}`}); ${revertUnit}.timer on the server undoes it by itself within ${revertAfterSeconds} s`,
				);
			}
			ctx.log('undid the unconfirmed SSH port change: sshd listens as before the move');
		},
	);
}

/** One safe move: arm the revert, write the drop-ins, validate, open the firewall, apply, prove from the laptop, disarm. */
export async function movePorts(ctx: StepContext, io: StepIO, shell_: LabShell, found: MoveFacts, ports: number[]): Promise<void> {
	const current = found.connectedOn;
	const commands = stepCommands(ctx, io, shell_);
	const run = async (command: Command) => commands.run(command);
	const {mode, unit} = found.start;
	const guard = await unconfirmed(ctx);
	const undo = async () => {
		// Failed here, it is tried again when the run ends, and the timer stays armed behind it.
		if ((await commands.exec(revertNow(), {untilDone: true})).code === 0) {
			guard.shell = undefined;
		}
	};
	// Said before the step ends as interrupted, so it is on the screen and in the log.
	const onInterrupt = () =>
		io.line(
			`Ctrl-C before port ${found.port} was confirmed: labbox undoes the change now (sshd back on ${found.listening.join(', ')}); if it cannot, the server does so by itself within ${revertAfterSeconds} s`,
		);
	await commands.sync([
		{
			path: revertScript,
			content: revertScriptText({sshd: found.sshdDropIn, socket: found.socketDropIn}, mode, unit),
			mode: '0700',
			owner: 'root:root',
		},
	]);
	guard.shell = shell_;
	ctx.signal.addEventListener('abort', onInterrupt, {once: true});
	try {
		await commands.exec(clearRevert());
		await run(armRevert());
		io.line(`armed: the server undoes this change by itself in ${revertAfterSeconds} s unless labbox confirms the new port`);
		const dropIns = [{path: sshdDropIn, content: sshdConfig(ports), mode: '0644', owner: 'root:root'}];
		if (mode === 'socket') {
			await run(makeDirectory(socketDropIn.replace(/\/[^/]+$/, '')));
			dropIns.push({path: socketDropIn, content: socketConfig(ports), mode: '0644', owner: 'root:root'});
		}
		await commands.sync(dropIns);
		const valid = await commands.exec(['sshd', '-t']);
		if (valid.code !== 0) {
			await undo();
			throw new StepError(
				`sshd refused the new configuration: ${valid.stderr.trim()}`,
				'Nothing was changed. Check /etc/ssh/sshd_config on the server.',
			);
		}
		for (const command of openFirewall(found.firewall, found.port)) {
			await run(command);
		}
		await run(restartSshd(mode, unit));
		try {
			await proveLogin(ctx, ports.includes(found.port) ? found.port : current, current);
		} catch (error) {
			if (ctx.signal.aborted) {
				throw error;
			}
			await undo();
			throw new StepError(
				`Could not log in on the new SSH port ${found.port}: ${(error instanceof Error ? error.message : String(error)).replace(/\.$/, '')}. The change was undone; port ${current} works as before.`,
				// The fix follows the actual error: a changed host key on the new port is no firewall problem (issue 10 item 8).
				fixFor(
					error,
					`Open ${found.port}/tcp in every firewall between you and the server (your cloud provider's security group or firewall too), then run \`labbox run ssh-port\`.`,
				),
			);
		}
		await run(disarmRevert());
		guard.shell = undefined;
	} finally {
		ctx.signal.removeEventListener('abort', onInterrupt);
	}
}
