/**
 * The step contract and the engine's events: the only types the steps, the engine and the UI share.
 * Nothing here imports React or runs a command.
 */
import type {ConfigKey, LabConfig} from '../config/fields.js';
import type {Question} from '../config/question.js';
import type {FactInput, FactSet} from '../remote/facts/gather.js';

/** What a read-only `check` found. */
export type Check =
	/** Already so: nothing to do. `detail` is one line for the screen. */
	| {readonly status: 'done'; readonly detail?: string}
	/** Not yet so: `changes` lists, one line each, what `apply` would change. */
	| {readonly status: 'todo'; readonly changes: readonly string[]; readonly detail?: string}
	/** Cannot go on: `reason` says why, `fix` what the user should do. */
	| {readonly status: 'blocked'; readonly reason: string; readonly fix: string};

/**
 * The result a step ends a run with, as recorded in the state file.
 * - `ok`: it was already so (check said done), nothing changed.
 * - `changed`: apply ran and verify passed.
 * - `failed`: check was blocked, apply threw, or verify did not pass.
 * - `skipped`: not run (an earlier step failed, or it was not selected).
 * - `interrupted`: aborted (Ctrl-C, lost connection) while running.
 */
export type StepResult = 'ok' | 'changed' | 'failed' | 'skipped' | 'interrupted';

/** Where a step is while a run goes on (the UI shows these; only results are recorded). */
export type StepPhase = 'pending' | 'checking' | 'applying' | 'verifying' | StepResult;

/** What the runner hands a step: the resolved configuration and shared, lazily made resources. */
export interface StepContext {
	/** The resolved configuration (lab.yaml + env + flags + answers), secrets included; typed by the schema. */
	readonly config: LabConfig;
	/** Aborted on Ctrl-C: steps pass it to every remote command. */
	readonly signal: AbortSignal;
	/** The lab folder on the laptop (where lab.yaml is): local files a step reads or keeps resolve from here. */
	readonly labDir: string;
	/** Only asked what it would do (`labbox plan`, the plan screen): a check starts nothing on the server, not even briefly. */
	readonly planning: boolean;
	/** A person watches in a terminal and can answer or press Ctrl-C (no --yes, not CI): waits may be open-ended. */
	readonly interactive: boolean;
	/**
	 * The values of the facts this step declares (`Step.facts`), by their keys: read with every other selected
	 * step's in one round trip before the checks, read again once a step has changed the server (issue 11).
	 */
	facts(): Promise<Readonly<Record<string, unknown>>>;
	/** Values a step leaves for later steps of the same run (e.g. the server's facts). */
	readonly shared: Map<string, unknown>;
	/** Lazily made resources (e.g. the SSH session), closed by the runner when the run ends. */
	readonly resources: Resources;
	/** Writes a line to the run's log only (redacted), not to the screen. */
	log(line: string): void;
	/**
	 * Says what the step waits on right now, shown live with the seconds so far (`Connecting to HOST:PORT…`),
	 * also while the plan is checked; the next call replaces it. Emitted as a `detail` event. Absent where nobody
	 * watches (`labbox status`'s health checks, tests).
	 */
	activity?(text: string): void;
	/**
	 * Asks the user one question mid-run (e.g. "trust this host key?"). Under `--yes` or without a terminal
	 * it rejects with a StepError naming the lab.yaml key to set instead.
	 */
	prompt(question: Question): Promise<string>;
	/** Keeps values with this step's result in the state file (e.g. the server's facts); never secrets. */
	keep(data: Readonly<Record<string, unknown>>): void;
	/** Writes values to lab.yaml for the next runs (e.g. the new SSH port); this run's config is unchanged. */
	updateConfig(values: Readonly<Record<string, unknown>>): Promise<void>;
}

/** Resources shared by the steps of one run; each is made on first use and disposed at the end. */
export interface Resources {
	/** Made by the first caller; `make`'s signal is aborted when the run ends before it is made. */
	get<T>(name: string, make: (signal: AbortSignal) => Promise<T>, dispose?: (value: T) => Promise<void> | void): Promise<T>;
}

/** What `apply` may report while it works. */
export interface StepIO {
	/** One line of output (from a remote command, say): shown in the live tail and logged. */
	line(text: string, stream?: 'stdout' | 'stderr'): void;
	/** Progress of the step, 0..1, with an optional label ("120 MB of 300 MB"). */
	progress(fraction: number, label?: string): void;
	/** Replaces the step's one-line detail shown beside it. */
	detail(text: string): void;
}

/** A failure with a hint for the user; any step or helper may throw it. */
export class StepError extends Error {
	/**
	 * The run cannot go on until the user decides otherwise or changes lab.yaml (they refused the server's host
	 * key, say): the run ends at once, also under plan, with the usage exit code (2), nothing more tried.
	 */
	readonly usage: boolean;

	/** The lab.yaml key whose answer may fix this (a refused connection: `server.port`); the wizard asks it. */
	readonly question?: string;

	constructor(
		message: string,
		/** What the user should do next. */
		readonly hint?: string,
		/** The last output lines that explain the failure. */
		readonly output?: readonly string[],
		options: {readonly usage?: boolean; readonly question?: string} = {},
	) {
		super(message);
		this.name = 'StepError';
		this.usage = options.usage ?? false;
		this.question = options.question;
	}
}

/** One idempotent piece of the lab (see shared/DESIGN.md "Each step is one idempotent module"). */
export interface Step {
	/** Stable id, used in `labbox run ID` and in the state file. */
	readonly id: string;
	/** Short title for the screen. */
	readonly title: string;
	/** One line for `labbox steps`. */
	readonly summary: string;
	/** Ids of the steps whose changes make this one be checked and applied again. */
	readonly dependsOn?: readonly string[];
	/** The config keys this step uses: their values make its input fingerprint. */
	readonly inputs?: readonly ConfigKey[];
	/**
	 * The facts its check needs from the server, as data (pyinfra): the engine gathers those of every selected
	 * step in one round trip, and `ctx.facts()` gives them back by the same keys (issue 11).
	 */
	facts?(input: FactInput): FactSet;
	/** Read-only: is it already so? */
	check(ctx: StepContext): Promise<Check>;
	/**
	 * Make it so; safe to run again at any point, also after being killed half-way. Absent when check does all
	 * the work and only says done or blocked (connect): such a step is `ok` even under `labbox run`.
	 */
	// biome-ignore lint/suspicious/noConfusingVoidType: most applies return nothing; `unchanged` is the exception.
	apply?(ctx: StepContext, io: StepIO): Promise<ApplyResult | void>;
	/** After apply; defaults to check. */
	verify?(ctx: StepContext): Promise<Check>;
	/**
	 * Read-only and quick, for `labbox status`: is what this step made still well, live (a certificate that
	 * renews, a lab that answers)? Only asked of steps recorded as done.
	 */
	health?(ctx: StepContext): Promise<Health>;
}

/**
 * What `apply` may answer besides nothing (it changed the server): `unchanged`, it found nothing to change. That
 * happens when it runs only because its inputs or a dependency changed while its check said done (a check may not
 * see every input, so the runner applies anyway): the step is then `ok`, not a `changed` that changed nothing
 * (issue 10 item 10).
 */
export type ApplyResult = 'unchanged';

/** A step's live health: one line, and whether it is well. */
export interface Health {
	readonly ok: boolean;
	readonly text: string;
	/**
	 * Working, but a risk the user chose or should know (no backups): shown with its own mark and counted apart,
	 * never as healthy, and not a failure (`ok` stays true, so `labbox status` exits as it would without it).
	 */
	readonly warning?: boolean;
}

/** How the runner was asked to run. */
export type RunMode = 'setup' | 'run' | 'resume' | 'plan';

/** The end of one step, as emitted and recorded. */
export interface StepOutcome {
	readonly id: string;
	readonly result: StepResult;
	/** One line for the screen. */
	readonly detail: string;
	readonly durationMs: number;
	/** On failure: what to do next. */
	readonly hint?: string;
	/** On failure: the last output lines. */
	readonly output?: readonly string[];
	/** On failure: the user's decision or lab.yaml must change before anything can run (StepError.usage). */
	readonly usage?: boolean;
	/** On failure: the lab.yaml key whose answer may fix it (StepError.question), for the wizard to ask. */
	readonly question?: string;
}

/** What the engine tells the renderers; they subscribe and never call back into the engine. */
export type EngineEvent =
	| {
			readonly type: 'run-start';
			readonly mode: RunMode;
			readonly steps: ReadonlyArray<{readonly id: string; readonly title: string}>;
			/** Ids that will run this time (others are shown as skipped). */
			readonly selected: readonly string[];
			readonly logPath?: string;
	  }
	| {readonly type: 'step-start'; readonly id: string}
	| {readonly type: 'step-phase'; readonly id: string; readonly phase: StepPhase}
	| {readonly type: 'step-check'; readonly id: string; readonly check: Check; readonly inputsChanged: boolean}
	| {readonly type: 'line'; readonly id: string; readonly text: string; readonly stream: 'stdout' | 'stderr'}
	| {readonly type: 'progress'; readonly id: string; readonly fraction: number; readonly label?: string}
	| {readonly type: 'detail'; readonly id: string; readonly text: string}
	| ({readonly type: 'step-end'} & StepOutcome)
	| {
			readonly type: 'run-end';
			readonly outcome: 'done' | 'failed' | 'interrupted';
			readonly outcomes: readonly StepOutcome[];
			readonly logPath?: string;
			/** The exact command to retry or resume, when the run did not finish. */
			readonly retry?: string;
			/** The lab's URL, once it exists. */
			readonly url?: string;
			/** Why browsers will not trust the lab's certificate, and how to get one they do (issue 10 item 6). */
			readonly untrusted?: UntrustedCertificate;
	  };

/** A certificate browsers refuse (Let's Encrypt's staging CA, self-signed): said under the lab's URL. */
export interface UntrustedCertificate {
	/** Why, in a few words: `its certificate is self-signed`. */
	readonly why: string;
	/** The change and the command that get a trusted one. */
	readonly fix: string;
}

export type EngineListener = (event: EngineEvent) => void;
