import {raw, shell, toShell, type Command} from '../../source/remote/command.js';
import type {Fact} from '../../source/remote/facts/fact.js';
import {firewall, type Firewall} from '../../source/remote/facts/firewall.js';
import {gatherFacts} from '../../source/remote/facts/gather.js';
import {sshdPorts, sshdStart} from '../../source/remote/facts/sshd.js';
import {fixFor} from '../../source/remote/errors.js';
import {labShell, openSession, type LabShell} from '../../source/remote/lab-session.js';
import {StepError, type Check, type Step, type StepContext, type StepIO} from '../../source/engine/types.js';
import {revertAfterSeconds, revertScript, revertScriptText, revertUnit, socketConfig, socketDropIn, sshdConfig, sshdDropIn} from './files.js';

const absent = '@@labbox-absent@@';
const fileFact = (name: string, path: string): Fact<string | undefined> => ({
	name,
	command: shell([raw(`if [ -e '${path}' ]; then cat '${path}'; else echo '${absent}'; fi`)]),
	parse: output => (output.trim() === absent ? undefined : output),
});
const text = (name: string, command: Command): Fact<string> => ({name, command, parse: output => output.trim()});

/** The ports in a `systemctl show ssh.socket -p Listen --value` answer (`[::]:22 (Stream)`, one per line). */
export function socketPorts(output: string): number[] {
	return [...output.matchAll(/:(\d+) \(Stream\)/g)].map(match => Number(match[1]));
}

/** The programs holding a port, from `ss -Hltnp` (`users:(("nginx",pid=1,fd=6))`). */
export function portHolders(output: string): string[] {
	return [...new Set([...output.matchAll(/\(\("([^"]+)"/g)].map(match => match[1]!))];
}

async function facts(ctx: StepContext, shell_: LabShell) {
	const port = Number(ctx.config['ssh.port']);
	const found = await gatherFacts(
		shell_,
		{
			start: sshdStart,
			sshdPorts,
			socketListen: text('ssh-socket-listen', ['systemctl', 'show', 'ssh.socket', '-p', 'Listen', '--value']),
			firewall,
			sshdDropIn: fileFact('sshd-drop-in', sshdDropIn),
			socketDropIn: fileFact('socket-drop-in', socketDropIn),
			holders: text('port-holders', ['ss', '-Hltnp', `sport = :${port}`]),
		},
		{signal: ctx.signal},
	);
	if (!found.start) {
		throw new StepError('Could not tell how sshd is started on the server (neither ssh.service nor ssh.socket is active).', 'Check `systemctl status ssh` on the server.');
	}
	const listening = found.start.mode === 'socket' ? socketPorts(found.socketListen ?? '') : (found.sshdPorts ?? []);
	return {...found, start: found.start, listening, port};
}

type Facts = Awaited<ReturnType<typeof facts>>;

function wantedPorts(ctx: StepContext, found: Facts): number[] {
	const closeOld = ctx.config['ssh.closeOldPort'] === true;
	return closeOld ? [found.port] : [...new Set([...found.listening, found.port])];
}

function same(a: readonly number[], b: readonly number[]): boolean {
	return a.length === b.length && [...a].sort().every((port, index) => port === [...b].sort()[index]);
}

/** Opens the port in the host firewall in use (a cloud provider's firewall is the user's to open). */
function openFirewall(kind: Firewall | undefined, port: number): Command[] {
	if (kind === 'ufw') {
		return [['ufw', 'allow', `${port}/tcp`]];
	}
	if (kind === 'firewalld') {
		return [['firewall-cmd', '--permanent', `--add-port=${port}/tcp`], ['firewall-cmd', '--reload']];
	}
	return [];
}

export const sshPort: Step = {
	id: 'ssh-port',
	title: 'SSH port',
	summary: 'sshd listens on the chosen port, and the user can log in on it, without ever being locked out',
	inputs: ['ssh.port', 'ssh.closeOldPort'],
	async check(ctx): Promise<Check> {
		const found = await facts(ctx, await labShell(ctx));
		if ([80, 443].includes(found.port)) {
			return {status: 'blocked', reason: `ssh.port ${found.port} is needed by the lab's web server`, fix: 'Choose another ssh.port in lab.yaml, e.g. 2222.'};
		}
		const holders = portHolders(found.holders ?? '').filter(name => name !== 'sshd' && name !== 'systemd');
		if (holders.length > 0 && !found.listening.includes(found.port)) {
			return {status: 'blocked', reason: `Port ${found.port} is already used on the server by ${holders.join(', ')}`, fix: 'Choose another ssh.port in lab.yaml, or stop that program on the server.'};
		}
		const wanted = wantedPorts(ctx, found);
		if (same(found.listening, wanted)) {
			return {status: 'done', detail: `sshd listens on ${wanted.join(', ')}`};
		}
		const changes = [`sshd listens on ${wanted.join(' and ')} (now ${found.listening.join(', ') || 'unknown'}), started by ${found.start.unit}`];
		if (found.firewall && found.firewall !== 'none') {
			changes.push(`open ${found.port}/tcp in ${found.firewall}`);
		}
		return {status: 'todo', changes};
	},
	async apply(ctx, io) {
		const shell_ = await labShell(ctx);
		const found = await facts(ctx, shell_);
		const current = shell_.session.target.port;
		const beside = [...new Set([...found.listening, found.port])];
		// First add the new port beside the old ones; close the old ones only once the new one is proven.
		if (!same(found.listening, beside)) {
			await movePorts(ctx, io, shell_, found, beside, current);
		} else if (current !== found.port) {
			// Already listening (a run again, or a move made by hand): prove the login there, touch nothing.
			await proveLogin(ctx, found.port, current);
		}
		const closeOld = ctx.config['ssh.closeOldPort'] === true || (await agreesToClose(ctx, found));
		if (closeOld && !same(found.listening, [found.port])) {
			await movePorts(ctx, io, shell_, await facts(ctx, shell_), [found.port], current);
		}
		// The next runs connect on the new port; a yes given here is kept, so they do not reopen the old one.
		await ctx.updateConfig({'server.port': found.port, ...(closeOld ? {'ssh.closeOldPort': true} : {})});
		io.detail(`sshd listens on ${closeOld ? found.port : [...new Set([...found.listening, found.port])].join(', ')}; lab.yaml now connects on ${found.port}`);
	},
};

/**
 * Logs in from the laptop on `port` with the host key trusted on `previousPort`, and runs a command there. The
 * probe is closed on every path: an open one keeps its keepalive timer, and with it the CLI, alive after the run.
 */
async function proveLogin(ctx: StepContext, port: number, previousPort: number): Promise<void> {
	const probe = await openSession(ctx, {port, previousPort});
	try {
		await probe.run(['true'], {signal: ctx.signal});
	} finally {
		await probe.close();
	}
}

/** Asks whether to close the old port now that the new one works; no terminal (--yes) means no. */
async function agreesToClose(ctx: StepContext, found: Facts): Promise<boolean> {
	const old = found.listening.filter(port => port !== found.port);
	if (old.length === 0) {
		return false;
	}
	const answer = await ctx
		.prompt({key: 'ssh.closeOldPort', kind: 'confirm', message: `Port ${found.port} works. Close the old SSH port ${old.join(', ')} now?`, defaultValue: 'false', validate: () => undefined})
		.catch(() => 'false');
	return answer === 'true';
}

/** One safe move: arm the revert, write the drop-ins, validate, open the firewall, apply, prove from the laptop, disarm. */
async function movePorts(ctx: StepContext, io: StepIO, shell_: LabShell, found: Facts, ports: number[], current: number): Promise<void> {
	const run = async (command: Command) => {
		io.line(`$ ${toShell(command, {redact: true})}`);
		await shell_.run(command, {sudo: true, signal: ctx.signal, onLine: (line, stream) => io.line(line, stream)});
	};
	const {mode, unit} = found.start;
	const revertNow = async () => {
		await shell_.exec(['sh', revertScript], {sudo: true});
		await shell_.exec(['systemctl', 'stop', `${revertUnit}.timer`], {sudo: true});
	};
	await shell_.upload(revertScript, revertScriptText({sshd: found.sshdDropIn, socket: found.socketDropIn}, mode, unit), {mode: '0700', sudo: true});
	await shell_.exec(shell([raw(`systemctl stop ${revertUnit}.timer ${revertUnit}.service 2>/dev/null; systemctl reset-failed ${revertUnit}.service ${revertUnit}.timer 2>/dev/null; true`)]), {sudo: true});
	await run(['systemd-run', `--unit=${revertUnit}`, `--on-active=${revertAfterSeconds}`, '/bin/sh', revertScript]);
	io.line(`armed: the server undoes this change by itself in ${revertAfterSeconds} s unless labbox confirms the new port`);
	await shell_.upload(sshdDropIn, sshdConfig(ports), {mode: '0644', sudo: true});
	if (mode === 'socket') {
		await run(['mkdir', '-p', socketDropIn.replace(/\/[^/]+$/, '')]);
		await shell_.upload(socketDropIn, socketConfig(ports), {mode: '0644', sudo: true});
	}
	const valid = await shell_.exec(['sshd', '-t'], {sudo: true});
	if (valid.code !== 0) {
		await revertNow();
		throw new StepError(`sshd refused the new configuration: ${valid.stderr.trim()}`, 'Nothing was changed. Check /etc/ssh/sshd_config on the server.');
	}
	for (const command of openFirewall(found.firewall, found.port)) {
		await run(command);
	}
	await run(mode === 'socket' ? shell([raw('systemctl daemon-reload && systemctl restart ssh.socket')]) : ['systemctl', 'restart', unit]);
	try {
		await proveLogin(ctx, ports.includes(found.port) ? found.port : current, current);
	} catch (error) {
		await revertNow();
		throw new StepError(
			`Could not log in on the new SSH port ${found.port}: ${(error instanceof Error ? error.message : String(error)).replace(/\.$/, '')}. The change was undone; port ${current} works as before.`,
			// The fix follows the actual error: a changed host key on the new port is no firewall problem (issue 10 item 8).
			fixFor(error, `Open ${found.port}/tcp in every firewall between you and the server (your cloud provider's security group or firewall too), then run \`labbox run ssh-port\`.`),
		);
	}
	await run(shell([raw(`systemctl stop ${revertUnit}.timer; rm -f ${revertScript}`)]));
}
