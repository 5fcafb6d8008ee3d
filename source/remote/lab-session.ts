/**
 * The lab's SSH session as a run resource: made from the configuration on first use (ssh config alias, keys,
 * host key policy, passphrase and sudo password asked when needed), shared by every step of the run, closed at
 * its end. Each step gets a view that writes every command, its output and exit code to the run's log.
 */
import {readFile} from 'node:fs/promises';
import {labFile} from '../engine/paths.js';
import type {Resources, StepContext} from '../engine/types.js';
import {toShell, type Command} from './command.js';
import {CommandFailedError} from './errors.js';
import {lastLines} from './line-splitter.js';
import {checkHostKey, hostKeyAlgorithms} from './host-key-check.js';
import {defaultKnownHostsFile, knownKeyTypes, readKnownHosts} from './known-hosts.js';
import type {ConnectOptions, ExecOptions, ExecResult, RemoteShell, Session} from './session.js';
import {defaultKeyFiles} from './ssh-config.js';
import {hostSettings} from './ssh-host-settings.js';
import type {UploadOptions} from './upload.js';

/** Where and as whom to connect, after ~/.ssh/config: lab.yaml's explicit values win over the alias's. */
export async function sshTarget(config: Readonly<Record<string, unknown>>, labDir: string) {
	const alias = String(config['server.host']);
	const settings = await hostSettings(alias);
	return {
		host: settings.hostName,
		port: (config['server.port'] as number | undefined) ?? settings.port ?? 22,
		username: (config['server.user'] as string | undefined) ?? settings.user ?? 'root',
		identityFiles: config['server.identityFile'] ? [labFile(labDir, String(config['server.identityFile']))] : settings.identityFiles,
		identitiesOnly: settings.identitiesOnly,
	};
}

/**
 * What opening the session needs of a step's context; when the run opens it before any step asks
 * (`connectEarly`), of the run's.
 */
export type SessionContext = Pick<StepContext, 'config' | 'labDir' | 'interactive' | 'prompt' | 'log' | 'activity'>;

/** The first key file that exists, asking for its passphrase when it is encrypted. */
async function privateKey(ctx: SessionContext, files: readonly string[]): Promise<Pick<ConnectOptions, 'privateKey' | 'passphrase'>> {
	for (const file of files.length > 0 ? files : await defaultKeyFiles()) {
		const key = await readFile(file).catch(() => undefined);
		if (!key) {
			continue;
		}
		const {default: ssh2} = await import('ssh2');
		const parsed = ssh2.utils.parseKey(key);
		if (!(parsed instanceof Error)) {
			return {privateKey: key};
		}
		if (/passphrase/i.test(parsed.message)) {
			const passphrase =
				(ctx.config['server.keyPassphrase'] as string | undefined) ??
				(await ctx.prompt({
					key: 'server.keyPassphrase',
					kind: 'secret',
					message: `Passphrase for ${file}`,
					validate: input => (input === '' ? 'Type the passphrase (it is not stored).' : undefined),
				}));
			return {privateKey: key, passphrase};
		}
	}
	return {};
}

/**
 * Opens a session from the configuration. `port` and `previousPort` serve the ssh-port step: connecting on
 * the new port must show the key already trusted on the old one, not a new host to ask about. `signal` cuts
 * the login while it is under way.
 */
export async function openSession(
	ctx: SessionContext,
	moved: {readonly port?: number; readonly previousPort?: number} = {},
	signal?: AbortSignal,
): Promise<Session> {
	const {config} = ctx;
	const knownHostsFile = defaultKnownHostsFile();
	// Together (issue 11, speed): OpenSSH's `ssh -G` runs in two processes of its own while ssh2 loads, on first
	// use (not needed for --help, steps or status), and known_hosts is read.
	const [configured, {Session}, knownHosts] = await Promise.all([
		sshTarget(config, ctx.labDir),
		import('./session.js'),
		readKnownHosts(knownHostsFile),
	]);
	const target = {...configured, ...(moved.port ? {port: moved.port} : {})};
	const key = await privateKey(ctx, target.identityFiles);
	// Shown live, with the seconds so far: a silent server otherwise means a blank screen (issue 10 item 3).
	const connecting = () => ctx.activity?.(`Connecting to ${target.host}:${target.port}…`);
	connecting();
	const session = await Session.connect(
		{
			host: target.host,
			port: target.port,
			username: target.username,
			...key,
			agent: target.identitiesOnly ? undefined : process.env.SSH_AUTH_SOCK,
			password: config['server.password'] as string | undefined,
			sudoPassword: config['server.sudoPassword'] as string | undefined,
			// After a port move, ask for the key type trusted on the previous port: the same key must answer there.
			hostKeyAlgorithms: hostKeyAlgorithms(
				knownKeyTypes(knownHosts, target.host, target.port, ...(moved.previousPort ? [moved.previousPort] : [])),
			),
			hostVerifier: checkHostKey({
				target,
				knownHostsFile,
				pinned: config['server.hostKey'] as string | undefined,
				previousPort: moved.previousPort,
				labPorts: [configured.port, Number(config['ssh.port'] ?? 22)],
				// Nobody to ask (--yes, no terminal): no confirm, so the check ends with the key to pin (issue 9 gap 2).
				confirm: ctx.interactive
					? async fingerprint => {
							// Asked with no connection open (see openClient): the person may take minutes.
							const trusted = await ctx.prompt({
								key: 'server.hostKey',
								kind: 'confirm',
								message: `The server ${target.host}:${target.port} is not known yet. Its host key is ${fingerprint}. Trust it?`,
								help: 'Compare it with the fingerprint your provider shows (or `ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub` on the server).',
								defaultValue: 'false',
								validate: () => undefined,
							});
							connecting();
							return trusted === 'true';
						}
					: undefined,
			}),
			onNotice: message => ctx.log(`ssh: ${message}`),
		},
		signal,
	);
	// One line per login in the run's log: a no-op run logs in once (issue 11).
	ctx.log(`ssh: logged in to ${target.host}:${target.port} as ${target.username}`);
	return session;
}

/** One step's view of the shared session: logs every command (redacted), its output and exit code. */
export class LabShell implements RemoteShell {
	constructor(
		readonly session: Session,
		private readonly log: (line: string) => void,
	) {}

	async exec(command: Command, options: ExecOptions = {}): Promise<ExecResult> {
		const started = Date.now();
		this.log(`$ ${options.sudo ? '(root) ' : ''}${toShell(command, {redact: true})}`);
		const onLine = (line: string, stream: 'stdout' | 'stderr') => {
			this.log(`${stream === 'stderr' ? '!' : '|'} ${line}`);
			options.onLine?.(line, stream);
		};
		try {
			const result = await this.session.exec(command, {...options, onLine});
			this.log(`exit ${result.code} in ${Date.now() - started} ms`);
			return result;
		} catch (error) {
			this.log(`failed in ${Date.now() - started} ms: ${error instanceof Error ? error.message : String(error)}`);
			throw error;
		}
	}

	async run(command: Command, options: ExecOptions = {}): Promise<ExecResult> {
		const result = await this.exec(command, options);
		if (result.code !== 0) {
			throw new CommandFailedError(toShell(command, {redact: true}), result.code, lastLines(`${result.stdout}\n${result.stderr}`));
		}
		return result;
	}

	async upload(
		file: string,
		content: string | Buffer,
		options: UploadOptions & {sudo?: boolean; signal?: AbortSignal} = {},
	): Promise<void> {
		this.log(`upload ${file} (${Buffer.byteLength(content)} bytes, mode ${options.mode ?? '0644'})`);
		await this.session.upload(file, content, options);
	}
}

/**
 * A session the run began before any step asked (`connectEarly`): what it says (`Connecting to…` live, the
 * `ssh: logged in` line) waits for the first step that uses it and is said through that step, as if the step had
 * opened it.
 */
class EarlySession implements SessionContext {
	private step: Pick<StepContext, 'log' | 'activity'> | undefined;
	private readonly lines: string[] = [];
	private saying: string | undefined;
	private settled = false;

	constructor(
		readonly config: SessionContext['config'],
		readonly labDir: string,
		readonly prompt: SessionContext['prompt'],
	) {}

	/** Nobody can answer: the session starts early only when no question could come (see connectEarly). */
	readonly interactive = false;

	log = (line: string) => (this.step ? this.step.log(line) : this.lines.push(line));

	activity = (text: string) => {
		this.saying = text;
		this.step?.activity?.(text);
	};

	/** The first step that uses the session: it hears what was said so far, and what comes next. */
	adopt(step: Pick<StepContext, 'log' | 'activity'>): void {
		if (this.step) {
			return;
		}
		this.step = step;
		if (!this.settled && this.saying) {
			step.activity?.(this.saying);
		}
		for (const line of this.lines.splice(0)) {
			step.log(line);
		}
	}

	/** Marks the login as over: a step adopting later has no `Connecting to…` to show. */
	settle(): void {
		this.settled = true;
	}
}

const early = new WeakMap<Resources, EarlySession>();
const sessionName = 'ssh';

/** Opens the run's session (once per run) and closes it at the run's end. */
function runSession(resources: Resources, ctx: SessionContext): Promise<Session> {
	return resources.get(
		sessionName,
		signal => openSession(ctx, {}, signal),
		async opened => opened.close(),
	);
}

/**
 * Begins logging in now, before the steps ask (issue 11, speed): the TCP connection, key exchange and login
 * wait on the server while labbox loads and reads its files. Only where no question can come up (the caller
 * checks: --yes, or no terminal), so the session is the one the first step would open, with the same errors;
 * a run that ends before using it cuts it (RunResources aborts what is still being made).
 */
export function connectEarly(resources: Resources, run: Pick<SessionContext, 'config' | 'labDir' | 'prompt'>): Promise<void> {
	const session = new EarlySession(run.config, run.labDir, run.prompt);
	early.set(resources, session);
	// A failure is the first step's to report, as if it had connected itself (RunResources keeps it). The promise
	// (settled either way, never rejected) is for tests: the run does not wait on it.
	return runSession(resources, session).then(
		() => session.settle(),
		() => session.settle(),
	);
}

/** The run's session, connected on first use; a dropped connection is re-made on the next use. */
export async function labShell(ctx: StepContext): Promise<LabShell> {
	const opening = runSession(ctx.resources, ctx);
	early.get(ctx.resources)?.adopt(ctx);
	return new LabShell(await opening, ctx.log);
}
