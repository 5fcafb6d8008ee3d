import {readFileSync} from 'node:fs';
import {Command, CommanderError, Option} from 'commander';
import {fields} from '../config/fields.js';
import {envName, flagName} from '../config/resolve.js';
import type {Step} from '../engine/types.js';
import {packageFile} from '../package-files.js';
import {exitCode, type GlobalFlags, type Io} from './context.js';
import {helpAfter} from './help.js';
import {launcher} from './invocation.js';
import {addDayTwoCommands} from './daytwo-commands.js';
import {stepsReport} from './reports.js';
import {didYouMean} from './suggest.js';
import type {RunCommandOptions} from './run-command.js';

/** Loaded on demand: Ink, React and ssh2 are not needed for --help, steps or status (cold start). */
async function runCommand(options: RunCommandOptions, io: Io): Promise<number> {
	const {runCommand: run} = await import('./run-command.js');
	return run(options, io);
}

/** The version in our package.json. */
function ownVersion(): string {
	try {
		const manifest = JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as {name?: string; version: string};
		if (manifest.name === 'lab-in-a-box') {
			return manifest.version;
		}
	} catch {}
	return 'unknown';
}

const readersWatched = new WeakSet<NodeJS.WriteStream>();

/**
 * `labbox --help | head`: a reader that stops reading is not an error. Its EPIPE, unhandled, crashed labbox with
 * a stack trace (seen walking the CLI); other write errors still surface.
 */
function ignoreClosedReader(stream: NodeJS.WriteStream): void {
	if (readersWatched.has(stream) || typeof stream.on !== 'function') {
		return; // main() runs more than once in one process in tests
	}
	readersWatched.add(stream);
	stream.on('error', (error: NodeJS.ErrnoException) => {
		if (error.code !== 'EPIPE') {
			throw error;
		}
	});
}

/** Adds one `--flag` per configuration key (the same schema as lab.yaml, the variables and the wizard). */
function withConfigOptions(command: Command): Command {
	for (const field of fields) {
		const flag = `--${flagName(field.key)}`;
		// A boolean is a switch (issue 10 item 22): `--ssh-close-old-port`, and `--no-ssh-close-old-port` to say false.
		const option = new Option(field.parse === 'boolean' ? flag : `${flag} <value>`, `${field.description} (${envName(field.key)})`);
		command.addOption(option.hideHelp(Boolean(field.secret)));
		if (field.parse === 'boolean') {
			command.addOption(new Option(`--no-${flagName(field.key)}`).hideHelp());
		}
	}
	return command;
}

/** Runs labbox with these arguments; returns the exit code (0 done, 1 a step failed, 2 usage, 130 interrupted). */
export async function main(argv: readonly string[], overrides: Partial<Io> = {}): Promise<number> {
	const io: Omit<Io, 'steps' | 'launcher'> & {steps?: Io['steps']; launcher?: string} = {
		stdout: process.stdout,
		stderr: process.stderr,
		stdin: process.stdin,
		env: process.env,
		cwd: process.cwd(),
		...overrides,
	};
	ignoreClosedReader(io.stdout);
	const launch = io.launcher ?? launcher(io.env, process.argv[1], io.cwd);
	// NO_COLOR (no-color.org): Ink's colour library reads only FORCE_COLOR, when Ink loads, after this (issue 10 item 19).
	if (io.env.NO_COLOR && process.env.FORCE_COLOR === undefined) {
		process.env.FORCE_COLOR = '0';
	}
	// The lab's steps (and through them ssh2, node:https, node:dns...) load only for a command that uses them.
	const withSteps = async (): Promise<Io> => ({...io, launcher: launch, steps: io.steps ?? (await import('../../steps/index.js')).steps});
	let code: number = exitCode.done;
	const program = new Command('labbox')
		.description('Turn one fresh Linux server into a multi-user JupyterHub lab, over SSH.')
		.version(ownVersion(), '-V, --version')
		.option('--dir <dir>', 'the lab folder (default: the current one)')
		.option('--config <file>', 'the configuration file (default: lab.yaml in the lab folder)')
		.option('-y, --yes', 'never prompt: a missing or invalid value is an error naming the key')
		.option(
			'--plain',
			'line-by-line output (the default without a terminal or when CI is set); in a terminal it still asks, on plain lines',
		)
		.option('--json', 'one JSON event per line on stdout, for scripts (never asks)')
		.option('--verbose', 'show every output line')
		.option('--resume', 'continue the last run where it stopped')
		.exitOverride()
		.configureOutput({writeOut: text => io.stdout.write(text), writeErr: text => io.stderr.write(text)})
		// Spelled as labbox was started (issue 10 item 5): after `npm start -- stauts`, `labbox` is not on the PATH.
		.showHelpAfterError(`(run ${launch} --help for usage)`);
	const flags = () => program.opts<GlobalFlags>();
	const unknownIds = (ids: readonly string[], steps: Io['steps']) => ids.filter(id => !steps.some(step => step.id === id));

	const commandNames = () => program.commands.map(command => command.name());
	program.addHelpText('after', helpAfter.labbox);
	// The default command takes every word commander does not know: a typo (`labbox stauts`) lands here.
	withConfigOptions(
		program.command('setup', {isDefault: true}).description('the wizard: ask what is missing, show the plan, run every step'),
	)
		.allowExcessArguments()
		.addHelpText('after', helpAfter.setup)
		.action(async (options: Record<string, unknown>, command: Command) => {
			const [word] = command.args;
			if (word !== undefined) {
				io.stderr.write(
					`labbox: unknown command '${word}'.${didYouMean(word, commandNames())}\nThe commands are: ${commandNames().join(', ')} (${launch} --help tells more).\n`,
				);
				code = exitCode.usage;
				return;
			}
			code = await runCommand({mode: flags().resume ? 'resume' : 'setup', flags: flags(), options}, await withSteps());
		});
	withConfigOptions(
		program
			.command('run')
			.argument('<step...>', 'step ids (see labbox steps)')
			.description('check these steps again on the server (whatever the record says) and change what is not so')
			.addHelpText('after', helpAfter.run),
	).action(async (ids: string[], options: Record<string, unknown>) => {
		const full = await withSteps();
		const unknown = unknownIds(ids, full.steps);
		if (unknown.length > 0) {
			const stepIds = full.steps.map((step: Step) => step.id);
			const hints = unknown.map(id => didYouMean(id, stepIds)).join('');
			io.stderr.write(`Unknown step ${unknown.join(', ')}.${hints} The steps are: ${stepIds.join(', ')}\n`);
			code = exitCode.usage;
			return;
		}
		code = await runCommand({mode: 'run', flags: flags(), options, only: ids}, full);
	});
	withConfigOptions(
		program
			.command('resume')
			.description('continue the last run where it stopped (same as --resume)')
			.addHelpText('after', helpAfter.resume),
	).action(async (options: Record<string, unknown>) => {
		code = await runCommand({mode: 'resume', flags: flags(), options}, await withSteps());
	});
	withConfigOptions(
		program.command('plan').description('ask the server what each step would change; change nothing').addHelpText('after', helpAfter.plan),
	).action(async (options: Record<string, unknown>) => {
		code = await runCommand({mode: 'plan', flags: flags(), options}, await withSteps());
	});
	withConfigOptions(
		program.command('status').description("each step's recorded state, and the lab's live health (certificate, renewal, https)"),
	)
		.option('--no-live', 'only the recorded state, without asking the server or the lab')
		.addHelpText('after', helpAfter.status)
		.action(async (options: Record<string, unknown>) => {
			const {statusCommand} = await import('./status-command.js'); // ssh2 only when the lab is asked
			code = await statusCommand(flags(), options, await withSteps());
		});
	addDayTwoCommands(program, {io: {...io, launcher: launch} as Io, flags, withSteps, runCommand, setCode: value => (code = value)});
	// Issue 12: backups with a proven restore (source/cli/backup-commands.ts, loaded on use).
	const backups = () => import('./backup-commands.js');
	withConfigOptions(
		program.command('backup').description('take one backup of the lab now, with live progress').addHelpText('after', helpAfter.backup),
	).action(async (options: Record<string, unknown>) => {
		code = await (await backups()).backupCommand(flags(), options, await withSteps());
	});
	withConfigOptions(
		program.command('backups').description("list the lab's snapshots: time, size, what they hold").addHelpText('after', helpAfter.backups),
	).action(async (options: Record<string, unknown>) => {
		code = await (await backups()).backupsCommand(flags(), options, await withSteps());
	});
	withConfigOptions(program.command('restore').description('restore the lab, or one home, from a backup (a plan first)'))
		.option('--user <name>', "restore this user's home only (the hub keeps running)")
		.option('--snapshot <id>', 'the snapshot to restore (default: the newest; labbox backups lists them)')
		.option('--to <dir>', 'restore into this folder on the server instead, changing nothing of the lab')
		.addHelpText('after', helpAfter.restore)
		.action(async (options: Record<string, unknown> & {user?: string; snapshot?: string; to?: string}) => {
			code = await (await backups()).restoreCommand(flags(), options, await withSteps());
		});
	program
		.command('steps')
		.description('the step ids, in order, with one line each')
		.addHelpText('after', helpAfter.steps)
		.action(async () => {
			io.stdout.write(stepsReport((await withSteps()).steps));
		});

	try {
		await program.parseAsync([...argv], {from: 'user'});
	} catch (error) {
		if (error instanceof CommanderError) {
			return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0
				? exitCode.done
				: exitCode.usage;
		}
		io.stderr.write(`labbox: ${error instanceof Error ? error.message : String(error)}\n`);
		return exitCode.failed;
	}
	return code;
}
