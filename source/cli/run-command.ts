import {existsSync} from 'node:fs';
import {mkdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {accountKeyFile} from '../acme/account-key.js';
import {saveValues} from '../config/files.js';
import {fieldByKey} from '../config/fields.js';
import {loadConfig, QuestionsStopped, secretValues, type LoadedConfig} from '../config/load.js';
import {connectPortQuestion} from '../config/questions.js';
import type {Question} from '../config/question.js';
import {ConfigError} from '../config/resolve.js';
import {acquireLock, LockHeldError} from '../engine/lock.js';
import type {LabPaths} from '../engine/paths.js';
import {Redactor} from '../engine/redact.js';
import {RunResources} from '../engine/resources.js';
import {RunLog} from '../engine/run-log.js';
import {runSteps, selectSteps} from '../engine/runner.js';
import {loadState, type LabState} from '../engine/state.js';
import {connectEarly} from '../remote/lab-session.js';
import {defaultKeyFiles, listHostAliases, readSshConfig} from '../remote/ssh-config.js';
import type {EngineEvent, RunMode, Step, StepOutcome} from '../engine/types.js';
import {chooseRendererKind, createRenderer, type PlanItem, type Renderer} from '../ui/renderer.js';
import {stepName, wrapWords} from '../ui/text.js';
import {cannotAsk, configFlags, exitCode, interactive, invocation, pathsFor, type GlobalFlags, type Io} from './context.js';
import {whatYouNeed} from './help.js';
import {commandLine, spellCommands} from './invocation.js';

/** The wizard's first words in a new lab folder: what is needed, and that nothing changes before the plan. */
const firstContact = [
	'labbox sets up a JupyterHub lab on your server.',
	whatYouNeed,
	'Nothing on the server changes until you have seen the plan and pressed Enter; Ctrl-C keeps your answers.',
].join(' ');

export interface RunCommandOptions {
	readonly mode: RunMode;
	readonly flags: GlobalFlags;
	/** The command's own options (config flags among them). */
	readonly options: Record<string, unknown>;
	/** For `run`: the step ids. */
	readonly only?: readonly string[];
	/**
	 * The run's record, when not the lab's own state file: commands that run steps of their own (backup, restore)
	 * keep theirs apart, so a setup run's `--resume` still finds its run (issue 12 item 4).
	 */
	readonly stateFile?: string;
	/**
	 * Whether a terminal run asks the setup wizard's questions for what lab.yaml lacks (and makes the lab folder):
	 * by default only setup does. `labbox restore` shows its plan as setup does but never asks them: a missing key
	 * is an error naming it, exit 2, as under --yes (polish item 3).
	 */
	readonly wizard?: boolean;
}

/** `labbox`, `labbox run`, `labbox --resume` and `labbox plan`: load config, lock, (plan,) run, report. */
export async function runCommand({mode, flags, options, only, stateFile, wizard}: RunCommandOptions, io: Io): Promise<number> {
	const paths = pathsFor(flags, io);
	const statePath = stateFile ?? paths.state;
	const tty = interactive(flags, io);
	// Every command the screen names is written as the user started labbox, with the flags they gave (item 5).
	const spoken = invocation(flags, options, io);
	const hints = (text: string) => spellCommands(text, spoken);
	const redactor = new Redactor();
	const controller = new AbortController();
	const onInterrupt = () => {
		if (controller.signal.aborted) {
			process.exit(exitCode.interrupted); // A second Ctrl-C: the user means it.
		}
		controller.abort();
	};
	// `plan` prints a report, never the live UI.
	const kind =
		mode === 'plan' && !flags.json
			? 'plain'
			: chooseRendererKind({plain: flags.plain, json: flags.json, isTTY: Boolean(io.stdout.isTTY), ci: Boolean(io.env.CI)});
	const canAsk = tty && !flags.yes;
	const setsUp = mode === 'setup' && (wizard ?? true);
	const renderer = await createRenderer(kind, {
		stdout: io.stdout,
		stdin: io.stdin,
		verbose: flags.verbose,
		onInterrupt,
		redact: text => redactor.redact(text),
		hints,
		canPrompt: canAsk && mode !== 'plan',
	});
	process.on('SIGINT', onInterrupt);
	let release: (() => Promise<void>) | undefined;
	let log: RunLog | undefined;
	const resources = new RunResources();
	try {
		if (setsUp) {
			await mkdir(paths.dir, {recursive: true}); // `labbox --dir ~/my-lab` makes the lab's folder.
			// lab.yaml is safe to commit; the secrets, the ACME account key and the run's state are not.
			await writeFile(path.join(paths.dir, '.gitignore'), `secrets.env\n${accountKeyFile}\n.labbox/\n`, {flag: 'wx'}).catch(() => {});
		}
		if (setsUp && canAsk && !existsSync(paths.config)) {
			// First contact: what the user needs, before the first question (issue 10 item 22).
			renderer.note(firstContact);
		}
		const loaded = await loadConfig({
			paths,
			flags: configFlags(options),
			env: io.env,
			ask: setsUp && canAsk ? question => renderer.ask(question) : undefined,
			suggestions: setsUp && canAsk ? await wizardSuggestions() : undefined,
			tell: text => renderer.note(text),
		});
		for (const secret of secretValues(loaded.config)) {
			redactor.add(secret);
		}
		const state = await loadState(statePath);
		if (mode === 'resume' && !state.lastRun) {
			await renderer.close();
			io.stderr.write(`Nothing to resume: no run has started in ${paths.dir} yet. Run \`${commandLine(spoken)}\` to start one.\n`);
			return exitCode.usage;
		}
		const prompt = (question: Question) => (canAsk ? renderer.ask(question) : Promise.reject(cannotAsk(question)));
		if (mode !== 'plan') {
			release = await acquireLock(paths.lock, ['labbox', mode, ...(only ?? [])].join(' '));
		}
		if (!canAsk && selectSteps({steps: io.steps, mode, only, state}).some(id => io.steps.find(step => step.id === id)?.facts)) {
			// Logging in waits on the server: begun now (the folder is ours), it goes on while the rest starts (issue 11,
			// speed). Only when nobody can be asked (a host key, a passphrase): it is then the session the first step
			// would open, with the same errors.
			void connectEarly(resources, {config: loaded.config, labDir: paths.dir, prompt});
		}
		log = new RunLog(paths.logs, mode, redactor);
		let common = {
			// One SSH login for the plan and the run it starts (issue 11); disposed below, once both are over.
			resources,
			steps: io.steps,
			config: loaded.config,
			stateFile: statePath,
			labDir: paths.dir,
			interactive: canAsk,
			redactor,
			signal: controller.signal,
			log: (line: string) => log!.write(line),
			logPath: log.path,
			command: spoken.head,
			resumeCommand: commandLine(spoken, '--resume'),
			updateConfig: (values: Readonly<Record<string, unknown>>) => saveValues(paths.config, paths.secrets, {...values}),
			prompt,
		};
		if (mode === 'plan' || (mode === 'setup' && canAsk)) {
			let planned = await planItems({...common, state}, renderer);
			// Nothing answers on the port labbox connected to: ask the one sshd listens on, then check again (issue
			// 10 item 11). Not when a flag or variable gave the port: the next run would take that one again.
			while (
				mode === 'setup' &&
				canAsk &&
				planned.stoppedBy?.question === 'server.port' &&
				!['flag', 'env'].includes(loaded.sources['server.port'] ?? '')
			) {
				const config = await askConnectPort(common.config, planned.stoppedBy, loaded.sources, renderer, paths).catch((error: unknown) => {
					if (controller.signal.aborted) {
						return undefined;
					}
					throw error;
				});
				if (!config) {
					await renderer.close();
					io.stdout.write('Nothing was changed.\n');
					return exitCode.interrupted;
				}
				// The failed connection to the old port is forgotten: the next check logs in on the new one.
				await resources.disposeAll();
				common = {...common, config};
				planned = await planItems({...common, state}, renderer);
			}
			const {items, stoppedBy} = planned;
			if (stoppedBy) {
				// Nothing else could be checked (the connection failed, a host key was refused): say it once, offer no start.
				await renderer.close();
				if (stoppedBy.result === 'interrupted') {
					io.stdout.write('Nothing was changed.\n');
					return exitCode.interrupted;
				}
				io.stderr.write(
					stoppedReport(
						{...stoppedBy, detail: hints(stoppedBy.detail), hint: stoppedBy.hint && hints(stoppedBy.hint)},
						io.steps,
						log.path,
						commandLine(spoken),
						io.stderr.isTTY ? io.stderr.columns : undefined,
					),
				);
				return stoppedBy.usage ? exitCode.usage : exitCode.failed;
			}
			if (mode === 'setup' && items.length > 0 && items.every(item => item.check.status === 'done' && !item.inputsChanged)) {
				// Nothing to do: no `Enter to start` for a run that would only say so again (issue 10 item 21).
				await renderer.close();
				io.stdout.write(hints(`Nothing to change: all ${items.length} steps are already done. \`labbox status\` shows how the lab is.\n`));
				return exitCode.done;
			}
			const go = await renderer.confirmPlan(items);
			if (mode === 'plan') {
				return items.some(item => item.check.status === 'blocked') ? exitCode.failed : exitCode.done;
			}
			if (!go) {
				await renderer.close();
				io.stdout.write('Nothing was changed.\n');
				// Declining the plan is a choice (0); Ctrl-C on it is an interruption (130).
				return controller.signal.aborted ? exitCode.interrupted : exitCode.done;
			}
		}
		const summary = await runSteps({
			...common,
			mode,
			only,
			state,
			listeners: [event => renderer.handle(event), event => log!.event(event)],
		});
		if (summary.stoppedBy?.usage) {
			return exitCode.usage;
		}
		return summary.outcome === 'done' ? exitCode.done : summary.outcome === 'interrupted' ? exitCode.interrupted : exitCode.failed;
	} catch (caught) {
		await renderer.close();
		if (caught instanceof QuestionsStopped && controller.signal.aborted) {
			// Ctrl-C at a question: what was answered is saved; the next wizard asks the rest (issue 10 item 4).
			const said = `Interrupted: ${savedAnswers(caught.answered)} \`${commandLine(spoken)}\` asks what is left.`;
			io.stdout.write(`${wrapWords(said, io.stdout.isTTY ? io.stdout.columns : undefined).join('\n')}\n`);
			return exitCode.interrupted;
		}
		const error = caught instanceof QuestionsStopped ? caught.reason : caught;
		if (error instanceof ConfigError) {
			const missing = error.problems.some(problem => problem.message.includes(' is missing: '));
			const next = missing && !setsUp ? `\nRun \`${commandLine(spoken)}\` in a terminal to be asked for what is missing.\n` : '';
			io.stderr.write(
				`The configuration needs attention (nothing was run):\n${error.problems.map(problem => `  • ${problem.message}`).join('\n')}\n${next}`,
			);
			return exitCode.usage;
		}
		if (error instanceof LockHeldError) {
			io.stderr.write(`${error.message}\n`);
			return exitCode.failed;
		}
		io.stderr.write(
			`labbox: ${hints(redactor.redact(error instanceof Error ? error.message : String(error)))}${log ? `\nLog: ${log.path}` : ''}\n`,
		);
		log?.write(`error: ${error instanceof Error ? error.stack : String(error)}`);
		return exitCode.failed;
	} finally {
		process.off('SIGINT', onInterrupt);
		for (const error of await resources.disposeAll()) {
			log?.write(`cleanup failed: ${String(error)}`);
		}
		await renderer.close();
		await log?.close();
		await release?.();
	}
}

/** `Your 3 answers are saved in lab.yaml (the secret in secrets.env, mode 0600).` */
function savedAnswers(keys: readonly string[]): string {
	if (keys.length === 0) {
		return 'nothing was answered yet.';
	}
	const secrets = keys.filter(key => fieldByKey.get(key)?.secret).length;
	const where =
		secrets === keys.length
			? 'secrets.env (mode 0600)'
			: secrets > 0
				? `lab.yaml (${secrets === 1 ? 'the secret' : 'the secrets'} in secrets.env, mode 0600)`
				: 'lab.yaml';
	return `your ${keys.length === 1 ? 'answer is' : `${keys.length} answers are`} saved in ${where};`;
}

/**
 * Asks the port sshd listens on after a refused connection and saves it as server.port. An `ssh.port` equal to
 * the refused port meant "keep sshd where it is" (the wizard's own words), so it follows the new port.
 */
async function askConnectPort(
	config: LoadedConfig['config'],
	refused: StepOutcome,
	sources: LoadedConfig['sources'],
	renderer: Renderer,
	paths: LabPaths,
): Promise<LoadedConfig['config']> {
	const old = Number(config['server.port'] ?? 22);
	const port = Number(await renderer.ask(connectPortQuestion(config, refused.detail)));
	const keep = config['ssh.port'] === old && !['flag', 'env'].includes(sources['ssh.port'] ?? '');
	const values = {'server.port': port, ...(keep ? {'ssh.port': port} : {})};
	await saveValues(paths.config, paths.secrets, values);
	if (keep) {
		renderer.note(`sshd stays on port ${port} (ssh.port: ${port} in lab.yaml).`);
	}
	return {...config, ...values};
}

/** Defaults the wizard offers from this laptop: ~/.ssh/config aliases and key files. */
export async function wizardSuggestions() {
	const [aliases, keys] = await Promise.all([readSshConfig().then(listHostAliases, () => []), defaultKeyFiles().catch(() => [])]);
	return {
		'server.host': {help: aliases.length > 0 ? `Aliases in your ~/.ssh/config: ${aliases.join(', ')}` : undefined},
		// The key lab.yaml (or a flag) names is the one used, not the ones found in ~/.ssh (issue 10 item 18).
		'server.user': {
			value: 'root',
			help: (config: Readonly<Record<string, unknown>>) =>
				config['server.identityFile'] !== undefined
					? `Logging in with ${String(config['server.identityFile'])} (server.identityFile).`
					: keys.length > 0
						? `Logging in with ${keys.join(', ')} (or your SSH agent).`
						: 'No key found in ~/.ssh: the SSH agent or server.password is used.',
		},
	};
}

/**
 * Runs every step's read-only check and collects what the plan screen shows; what a check waits on (the
 * connection) is shown live meanwhile. `stoppedBy`: the failure after which nothing else could be checked.
 */
async function planItems(
	options: Omit<Parameters<typeof runSteps>[0], 'mode' | 'listeners'> & {state: LabState},
	renderer: Renderer,
): Promise<{items: PlanItem[]; stoppedBy?: StepOutcome}> {
	const items: PlanItem[] = [];
	const listener = (event: EngineEvent) => {
		const step = options.steps.find(item => item.id === ('id' in event ? event.id : undefined));
		if (!step) {
			return;
		}
		const lastResult = options.state.steps[step.id]?.result;
		if (event.type === 'step-start' || event.type === 'detail') {
			renderer.activity(event.type === 'detail' ? event.text : `Checking ${stepName(step)}…`);
		} else if (event.type === 'step-end') {
			renderer.activity(undefined);
		}
		if (event.type === 'step-check') {
			items.push({id: step.id, title: step.title, check: event.check, inputsChanged: event.inputsChanged, lastResult});
		} else if (event.type === 'step-end' && !items.some(item => item.id === step.id)) {
			// The check itself failed (e.g. the server is unreachable): show why.
			items.push({
				id: step.id,
				title: step.title,
				check: {status: 'blocked', reason: event.detail, fix: event.hint ?? 'See the log.'},
				inputsChanged: false,
				lastResult,
			});
		}
	};
	const {stoppedBy} = await runSteps({...options, mode: 'plan', listeners: [listener]});
	return {items, stoppedBy};
}

/**
 * A plan that could not go on, in a few lines: what failed, the fix, that nothing was changed, the log;
 * wrapped between words to the terminal's width, so no command or key to copy is cut in two.
 */
function stoppedReport(outcome: StepOutcome, steps: readonly Step[], logPath: string, retry: string, width: number | undefined): string {
	const step = steps.find(item => item.id === outcome.id);
	const title = step ? stepName(step) : outcome.id;
	const lines = [
		...wrapWords(`✖ ${title}: ${outcome.detail}`, width, '  '),
		...(outcome.hint ? wrapWords(`  Fix: ${outcome.hint}`, width, '  ') : []),
		'Nothing was changed.',
		// The same command again, as the user started it, once the fix is made (issue 10 item 5).
		`Retry: ${retry}`,
		`Log: ${logPath}`,
	];
	return `${lines.join('\n')}\n`;
}
