import type {LabConfig} from '../config/fields.js';
import type {Question} from '../config/question.js';
import {FactBatch, type GatherSteps} from './fact-batch.js';
import {fingerprint} from './fingerprint.js';
import type {Redactor} from './redact.js';
import {RunResources} from './resources.js';
import {saveState, type LabState, type StepRecord} from './state.js';
import {runOneStep, type StepRun} from './step-run.js';
import type {
	EngineEvent,
	EngineListener,
	Resources,
	RunMode,
	Step,
	StepContext,
	StepOutcome,
	StepPhase,
	UntrustedCertificate,
} from './types.js';

/** The SSH session's fact gatherer, loaded on first use (the SSH modules are not needed for --help or status --no-live). */
const gatherOverSsh: GatherSteps = async (ctx, steps) => (await import('../remote/facts/step-facts.js')).gatherStepFacts(ctx, steps);

export interface RunOptions {
	/** Every step, in order. */
	readonly steps: readonly Step[];
	readonly mode: RunMode;
	/** For `run`: the ids to run (validated by the CLI). */
	readonly only?: readonly string[];
	/** Resolved: every default filled (config/resolve.ts merge(), or resolvedConfig()). */
	readonly config: LabConfig;
	readonly stateFile: string;
	/** The lab folder (StepContext.labDir). */
	readonly labDir: string;
	/** StepContext.interactive; false when absent. */
	readonly interactive?: boolean;
	readonly state: LabState;
	readonly redactor: Redactor;
	readonly signal: AbortSignal;
	readonly prompt: (question: Question) => Promise<string>;
	/** Saves values to lab.yaml (the CLI's); absent in tests that do not need it. */
	readonly updateConfig?: (values: Readonly<Record<string, unknown>>) => Promise<void>;
	readonly listeners: readonly EngineListener[];
	/** Writes to the run's log only. */
	readonly log?: (line: string) => void;
	readonly logPath?: string;
	/** How the user calls labbox for this folder, e.g. `labbox --dir ~/lab`: used in retry hints. */
	readonly command: string;
	/** The exact command that continues this run (default: `command --resume`), flags the user gave kept. */
	readonly resumeCommand?: string;
	/**
	 * The run's resources when the caller owns them (the plan and the run it starts share one SSH login: issue
	 * 11); the caller then disposes them. Absent: made here and disposed at the run's end.
	 */
	readonly resources?: RunResources;
	/** Reads the steps' declared facts; the SSH session's gatherer when absent. */
	readonly gather?: GatherSteps;
}

export interface RunSummary {
	readonly outcome: 'done' | 'failed' | 'interrupted';
	readonly outcomes: readonly StepOutcome[];
	readonly state: LabState;
	/**
	 * The outcome that ended the run before its other steps: any failure or interruption; under plan only one
	 * after which no other check could run (see `endsRun`).
	 */
	readonly stoppedBy?: StepOutcome;
}

/** The ids a mode runs: everything, the named ones, or what the last run was running. */
export function selectSteps(options: Pick<RunOptions, 'steps' | 'mode' | 'only' | 'state'>): string[] {
	const all = options.steps.map(step => step.id);
	if (options.mode === 'run') {
		return all.filter(id => options.only?.includes(id));
	}
	if (options.mode === 'resume' && options.state.lastRun) {
		return all.filter(id => options.state.lastRun!.selected.includes(id));
	}
	return all;
}

/** What a step's context is made of, besides the run's shared values and resources. */
export type ContextOptions = Pick<
	RunOptions,
	'config' | 'labDir' | 'interactive' | 'signal' | 'prompt' | 'log' | 'updateConfig' | 'gather'
> & {readonly planning?: boolean};

/**
 * The context one step gets (the runner's, and `labbox status`'s health checks). Its facts come from `batch`,
 * the run's; without one (status), they are read for this step alone.
 */
export function stepContext(
	options: ContextOptions,
	step: Step,
	shared: Map<string, unknown>,
	resources: Resources,
	batch?: FactBatch,
): StepContext {
	const facts = batch ?? new FactBatch([step], options.gather ?? gatherOverSsh);
	const ctx: StepContext = {
		// Read through the context the step was called with (its live activity shows a connection being made).
		facts(this: StepContext | undefined) {
			return facts.of(step, this ?? ctx);
		},
		config: options.config,
		labDir: options.labDir,
		interactive: options.interactive ?? false,
		planning: options.planning ?? false,
		signal: options.signal,
		shared,
		resources,
		log: line => options.log?.(`[${step.id}] ${line}`),
		prompt: options.prompt,
		keep: () => {},
		updateConfig: async values => options.updateConfig?.(values),
	};
	return ctx;
}

/**
 * When a step has written values to lab.yaml (e.g. ssh-port: `server.port` 2222, proven by logging in there),
 * the records that were current under the old values are current under the new ones: the next run must not
 * see their inputs as changed (connect would re-apply only because the port it connects on moved).
 */
export function carryForward(
	state: LabState,
	steps: readonly Step[],
	config: Readonly<Record<string, unknown>>,
	written: Readonly<Record<string, unknown>>,
): LabState {
	if (Object.keys(written).length === 0) {
		return state;
	}
	const after = {...config, ...written};
	const records = {...state.steps};
	for (const step of steps) {
		const record = records[step.id];
		if (record?.fingerprint !== undefined && record.fingerprint === fingerprint(config, step.inputs)) {
			records[step.id] = {...record, fingerprint: fingerprint(after, step.inputs)};
		}
	}
	return {...state, steps: records};
}

/**
 * The runner: it, not the step, decides. For each selected step: check, apply only when needed (or when
 * asked to with `run`, or when its inputs or a dependency changed), verify, record; events go to every listener.
 * The state file is written atomically (a kill -9 leaves it resumable) when the run starts, before a step's apply
 * (with `current` and every record ended before), when a step that applied or did not end ok ends, and at the
 * run's end. A step found done only refreshes its record in memory until the next write, so a no-op run writes
 * twice, not twice a step (issue 11, speed): everything --resume needs is on disk before the server changes.
 */
export async function runSteps(options: RunOptions): Promise<RunSummary> {
	const selected = selectSteps(options);
	let state: LabState = options.state;
	const resources = options.resources ?? new RunResources();
	const batch = new FactBatch(
		options.steps.filter(step => selected.includes(step.id)),
		options.gather ?? gatherOverSsh,
	);
	const shared = new Map<string, unknown>();
	const outcomes: StepOutcome[] = [];
	const changedThisRun = new Set<string>();
	// The one redaction pass of an event (issue 11 item 3); the last step-end as emitted is what gets recorded.
	let ended: StepOutcome | undefined;
	const emit = (event: EngineEvent) => {
		const clean = options.redactor.redactEvent(event);
		if (clean.type === 'step-end') {
			const {type: _type, ...outcome} = clean;
			ended = outcome;
		}
		for (const listener of options.listeners) {
			listener(clean);
		}
	};
	// Values steps wrote to lab.yaml during this run (ssh-port's new port): what was proven holds under them too.
	const written: Record<string, unknown> = {};
	const contextOptions: ContextOptions = {
		...options,
		planning: options.mode === 'plan',
		updateConfig: async values => {
			await options.updateConfig?.(values);
			Object.assign(written, values);
		},
	};
	const write = async (next: LabState) => {
		// Records hold the outcomes as emitted (redacted) and what steps `keep` (never secrets: see StepContext.keep).
		state = carryForward(next, options.steps, options.config, written);
		await saveState(options.stateFile, state);
	};

	const planOnly = options.mode === 'plan';
	emit({
		type: 'run-start',
		mode: options.mode,
		steps: options.steps.map(({id, title}) => ({id, title})),
		selected,
		logPath: options.logPath,
	});
	if (!planOnly) {
		await write({...state, lastRun: {mode: options.mode, selected, startedAt: new Date().toISOString()}});
	}

	let stopped: 'failed' | 'interrupted' | undefined;
	let stoppedBy: StepOutcome | undefined;
	for (const step of options.steps) {
		if (!selected.includes(step.id)) {
			continue;
		}
		if (stoppedBy) {
			const detail = planOnly ? `not checked: ${stoppedBy.id} ${stoppedBy.result}` : `not run: an earlier step ${stoppedBy.result}`;
			emit({type: 'step-end', id: step.id, result: 'skipped', detail, durationMs: 0});
			outcomes.push(ended!);
			continue;
		}
		const record: StepRecord | undefined = state.steps[step.id];
		const print = fingerprint(options.config, step.inputs);
		const run: StepRun = {
			step,
			mode: options.mode,
			inputsChanged: record?.fingerprint !== undefined && record.fingerprint !== print,
			dependencyChanged: (step.dependsOn ?? []).some(id => changedThisRun.has(id)),
			context: stepContext(contextOptions, step, shared, resources, batch),
			emit,
			applied: () => batch.stale(),
			setPhase: (phase: StepPhase) => emit({type: 'step-phase', id: step.id, phase}),
		};
		// `current` goes on disk only when the step starts changing the server (issue 11, speed): see `runSteps`.
		let wroteCurrent = false;
		const beforeApply = async () => {
			wroteCurrent = true;
			await write({...state, lastRun: {...state.lastRun!, current: step.id}});
		};
		const {kept} = await runOneStep(planOnly ? run : {...run, beforeApply});
		// runOneStep always ends with its step-end event: the outcome as emitted, redacted.
		const outcome = ended!;
		outcomes.push(outcome);
		if (outcome.result === 'changed') {
			changedThisRun.add(step.id);
		}
		if (!planOnly) {
			const success = outcome.result === 'ok' || outcome.result === 'changed';
			const next: StepRecord = {
				result: outcome.result,
				at: new Date().toISOString(),
				durationMs: outcome.durationMs,
				detail: outcome.detail,
				// Only a success vouches for its inputs; a failure keeps the last good fingerprint.
				fingerprint: success ? print : record?.fingerprint,
				data: kept ?? record?.data,
			};
			const {current: _current, ...lastRun} = state.lastRun!;
			const recorded: LabState = {...state, lastRun, steps: {...state.steps, [step.id]: next}};
			// A step that only checked and found its work done changed nothing: its record waits for the next write.
			if (wroteCurrent || outcome.result !== 'ok') {
				await write(recorded);
			} else {
				state = recorded;
			}
		}
		if (outcome.result === 'failed' || outcome.result === 'interrupted') {
			stopped = outcome.result;
			if (endsRun(outcome, planOnly, resources)) {
				stoppedBy = outcome;
			}
		}
	}

	// Resources the caller owns (a plan's session, kept for the run it starts) are the caller's to dispose.
	const disposeErrors = options.resources ? [] : await resources.disposeAll();
	for (const error of disposeErrors) {
		options.log?.(`cleanup failed: ${String(error)}`);
	}
	const outcome = stopped ?? (planOnly && outcomes.some(o => o.result === 'failed') ? 'failed' : 'done');
	if (!planOnly) {
		await write({...state, lastRun: {...state.lastRun!, endedAt: new Date().toISOString(), outcome}});
	}
	const retry = outcome === 'done' || planOnly ? undefined : (options.resumeCommand ?? `${options.command} --resume`);
	const url = typeof shared.get('url') === 'string' ? (shared.get('url') as string) : undefined;
	// Set with the URL by the step that makes the lab answer (stack): a certificate browsers refuse is said there.
	const untrusted = url === undefined ? undefined : (shared.get('untrusted') as UntrustedCertificate | undefined);
	emit({type: 'run-end', outcome, outcomes, logPath: options.logPath, retry, url, untrusted});
	return {outcome, outcomes, state, stoppedBy};
}

/**
 * Whether the run goes no further after this failure. A run stops at its first failure. A plan checks on past a
 * failed check, unless no other check could run either: the user declined what the run needs (`usage`), or a
 * resource every step shares (the connection) could not be made. The other steps then wait on that one
 * failure instead of each repeating it (issue 10 items 2, 3).
 */
function endsRun(outcome: StepOutcome, planOnly: boolean, resources: RunResources): boolean {
	return !planOnly || outcome.result === 'interrupted' || outcome.usage === true || resources.anyFailed;
}
