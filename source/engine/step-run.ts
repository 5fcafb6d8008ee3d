import {
	StepError,
	type Check,
	type EngineEvent,
	type RunMode,
	type Step,
	type StepContext,
	type StepIO,
	type StepOutcome,
	type StepPhase,
} from './types.js';

/** One step's turn in a run, as the runner hands it over. */
export interface StepRun {
	readonly step: Step;
	readonly mode: RunMode;
	/** Its inputs differ from those of its last success. */
	readonly inputsChanged: boolean;
	/** A step it depends on changed in this run. */
	readonly dependencyChanged: boolean;
	readonly context: StepContext;
	emit(event: EngineEvent): void;
	setPhase(phase: StepPhase): void;
	/** Apply ran (or began): the server may have changed, so the facts read before are stale. */
	applied?(): void;
	/** Awaited before apply begins: the runner puts on disk what --resume needs before the server changes. */
	beforeApply?(): Promise<void>;
}

/** How many output lines a failure keeps to show. */
const tailSize = 20;

export class Interrupted extends Error {}

/** Resolves with the promise, or rejects as soon as the run is aborted (a step that ignores the signal cannot hold Ctrl-C up). */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
	// The abandoned step may still reject later: that must not become an unhandled rejection.
	promise.catch(() => {});
	if (signal.aborted) {
		return Promise.reject(new Interrupted());
	}
	return new Promise<T>((resolve, reject) => {
		const onAbort = () => reject(new Interrupted());
		signal.addEventListener('abort', onAbort, {once: true});
		promise.then(
			value => {
				signal.removeEventListener('abort', onAbort);
				resolve(value);
			},
			(error: unknown) => {
				signal.removeEventListener('abort', onAbort);
				reject(signal.aborted ? new Interrupted() : error);
			},
		);
	});
}

function describe(check: Check): string {
	switch (check.status) {
		case 'done': {
			return check.detail ?? 'already so';
		}
		case 'todo': {
			return check.detail ?? check.changes.join('; ');
		}
		case 'blocked': {
			return check.reason;
		}
	}
}

/** Runs check → apply → verify for one step and says how it ended; never throws. */
export async function runOneStep(run: StepRun): Promise<{outcome: StepOutcome; kept?: Record<string, unknown>}> {
	const {step, context, emit, setPhase} = run;
	const started = Date.now();
	const tail: string[] = [];
	let detail = '';
	let kept: Record<string, unknown> | undefined;
	const ctx: StepContext = {
		...context,
		keep: data => (kept = {...kept, ...data}),
		activity: text => emit({type: 'detail', id: step.id, text}),
	};
	const io: StepIO = {
		line(text, stream = 'stdout') {
			tail.push(text);
			if (tail.length > tailSize) {
				tail.shift();
			}
			emit({type: 'line', id: step.id, text, stream});
		},
		progress(fraction, label) {
			emit({type: 'progress', id: step.id, fraction: Math.min(1, Math.max(0, fraction)), label});
		},
		detail(text) {
			detail = text;
			emit({type: 'detail', id: step.id, text});
		},
	};
	const end = (result: StepOutcome['result'], text: string, extra: Partial<StepOutcome> = {}) => {
		const outcome: StepOutcome = {id: step.id, result, detail: text, durationMs: Date.now() - started, ...extra};
		emit({type: 'step-end', ...outcome});
		return {outcome, kept};
	};

	emit({type: 'step-start', id: step.id});
	try {
		setPhase('checking');
		const check = await untilAborted(step.check(ctx), ctx.signal);
		const reapply = run.inputsChanged || run.dependencyChanged;
		emit({type: 'step-check', id: step.id, check, inputsChanged: reapply});
		if (check.status === 'blocked') {
			return end('failed', check.reason, {hint: check.fix});
		}
		if (run.mode === 'plan') {
			return end(check.status === 'done' && !reapply ? 'ok' : 'skipped', describe(check));
		}
		// `labbox run` re-checks on the server whatever the record says, and changes only what its check finds
		// to do: a step found done is `ok`, never a `changed` that changed nothing (issue 10 item 10).
		const redo = Boolean(step.apply) && reapply;
		if (check.status === 'done' && !redo) {
			return end('ok', run.mode === 'run' ? `re-checked, nothing to change: ${describe(check)}` : describe(check));
		}
		if (!step.apply) {
			return end('failed', `${describe(check)}: this step cannot change it`, {hint: 'See the log, then run the step again.'});
		}
		setPhase('applying');
		await run.beforeApply?.();
		run.applied?.();
		const applied = await untilAborted(step.apply(ctx, io), ctx.signal);
		run.applied?.();
		setPhase('verifying');
		const verified = await untilAborted((step.verify ?? step.check).call(step, ctx), ctx.signal);
		if (verified.status !== 'done') {
			const why = verified.status === 'todo' ? `still to do: ${verified.changes.join('; ')}` : verified.reason;
			return end('failed', `applied, but the check does not pass: ${why}`, {
				hint: verified.status === 'blocked' ? verified.fix : `See the log, then run the step again.`,
				output: [...tail],
			});
		}
		// Applied only because its inputs or a dependency changed, and it found the server already so (issue 10 item 10).
		if (applied === 'unchanged' && check.status === 'done') {
			return end('ok', `re-checked, nothing to change: ${detail || verified.detail || describe(check)}`);
		}
		return end('changed', detail || verified.detail || describe(check));
	} catch (error) {
		if (error instanceof Interrupted || ctx.signal.aborted) {
			return end('interrupted', 'interrupted', {output: [...tail]});
		}
		const message = error instanceof Error ? error.message : String(error);
		ctx.log(`error: ${error instanceof Error && error.stack ? error.stack : message}`);
		const hint = error instanceof StepError ? error.hint : undefined;
		const output = error instanceof StepError && error.output ? [...error.output] : [...tail];
		return end('failed', message, {
			hint,
			output,
			...(error instanceof StepError && error.usage ? {usage: true} : {}),
			...(error instanceof StepError && error.question ? {question: error.question} : {}),
		});
	}
}
