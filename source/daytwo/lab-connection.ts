/**
 * The lab's connection for the day-two commands (issue 13): `labbox users`, `logs`, `destroy`, `upgrade` reach
 * the server as the steps do (lab.yaml, the pinned or known host key, the same session and redaction) but
 * outside a run of the steps. One home for that, so each command only says what it runs.
 */
import {loadConfig, secretValues, type LoadedConfig} from '../config/load.js';
import {Redactor} from '../engine/redact.js';
import {RunResources} from '../engine/resources.js';
import {RunLog} from '../engine/run-log.js';
import {stepContext} from '../engine/runner.js';
import type {Step, StepContext} from '../engine/types.js';
import {labShell, type LabShell} from '../remote/lab-session.js';
import {cannotAsk, configFlags, pathsFor, type GlobalFlags, type Io} from '../cli/context.js';
import type {LabPaths} from '../engine/paths.js';

/** The lab's configuration, read as every command reads it (no question: a missing value is a ConfigError). */
export async function labConfig(
	flags: GlobalFlags,
	options: Record<string, unknown>,
	io: Pick<Io, 'cwd' | 'env'>,
): Promise<{config: LoadedConfig['config']; paths: LabPaths; redactor: Redactor}> {
	const paths = pathsFor(flags, io as Io);
	const {config} = await loadConfig({paths, flags: configFlags(options), env: io.env});
	const redactor = new Redactor();
	for (const secret of secretValues(config)) {
		redactor.add(secret);
	}
	return {config, paths, redactor};
}

/** An open connection to the lab's server, with its log (`.labbox/logs/…-LABEL.log`, redacted). */
export interface LabConnection {
	readonly config: LoadedConfig['config'];
	readonly paths: LabPaths;
	readonly redactor: Redactor;
	readonly shell: LabShell;
	readonly log: RunLog;
	/** The lab's root on the server (`lab.root`). */
	readonly root: string;
	readonly signal: AbortSignal;
	/** Closes the session and the log; returns cleanup errors instead of throwing them. */
	close(): Promise<unknown[]>;
}

// The day-two commands are not steps; their log lines are labelled with the command's name.
const asStep = (label: string): Step => ({
	id: label,
	title: label,
	summary: label,
	check: async () => ({status: 'done'}),
	apply: async () => {},
});

/** Connects to the lab's server; `label` names the log file and its lines (`users`, `logs`...). */
export async function openLab(
	label: string,
	flags: GlobalFlags,
	options: Record<string, unknown>,
	io: Pick<Io, 'cwd' | 'env'>,
	signal = new AbortController().signal,
): Promise<LabConnection> {
	const {config, paths, redactor} = await labConfig(flags, options, io);
	const log = new RunLog(paths.logs, label, redactor);
	const resources = new RunResources();
	const ctx: StepContext = stepContext(
		{config, labDir: paths.dir, signal, log: line => log.write(line), prompt: async question => Promise.reject(cannotAsk(question))},
		asStep(label),
		new Map(),
		resources,
	);
	try {
		const shell = await labShell(ctx);
		return {
			config,
			paths,
			redactor,
			shell,
			log,
			signal,
			root: String(config['lab.root']),
			async close() {
				const errors = await resources.disposeAll();
				await log.close();
				return errors;
			},
		};
	} catch (error) {
		await resources.disposeAll();
		await log.close();
		throw error;
	}
}
