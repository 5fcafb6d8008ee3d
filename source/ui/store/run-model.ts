/**
 * The mutable state of one run, changed by engine events. Cheap per `line` event (an array push), so a step
 * printing thousands of lines a second costs no rendering here; the store decides when to snapshot it.
 */
import type {EngineEvent, StepOutcome} from '../../engine/types.js';
import type {PlanItem} from '../renderer.js';
import {isResult, stepName} from '../text.js';
import {TailBuffer} from './tail-buffer.js';
import type {RunEnd, RunSnapshot, StaticItem, StepView} from './types.js';

/** How many lines of a failed step's tail stand in for its output when the outcome has none. */
const failureLines = 15;

export class RunModel {
	private readonly steps = new Map<string, StepView>();
	private order: string[] = [];
	private readonly tail: TailBuffer;
	private readonly staticItems: StaticItem[] = [];
	private staticSteps = 0;
	private mode: RunSnapshot['mode'];
	private logPath: string | undefined;
	private end: RunEnd | undefined;
	private endPrinted = false;

	/** @param keepLines how many output lines of the active step are shown. */
	constructor(private readonly keepLines: number) {
		// Enough lines for the live tail and for a failure's output.
		this.tail = new TailBuffer(Math.max(keepLines, failureLines));
	}

	apply(event: EngineEvent, now: number): void {
		switch (event.type) {
			case 'run-start': {
				this.steps.clear();
				this.staticSteps = 0;
				// Only the steps this run runs: `labbox run homes` shows homes, not seven steps it did not select
				// as skipped (issue 10 item 21).
				const selected = event.steps.filter(step => event.selected.includes(step.id));
				this.order = selected.map(step => step.id);
				for (const step of selected) {
					this.steps.set(step.id, {id: step.id, title: stepName(step), phase: 'pending'});
				}
				this.mode = event.mode;
				this.logPath = event.logPath;
				this.end = undefined;
				this.endPrinted = false;
				this.tail.reset(undefined);
				break;
			}
			case 'step-start': {
				const step = this.step(event.id);
				this.update(event.id, {phase: step.phase === 'pending' || isResult(step.phase) ? 'checking' : step.phase, startedAt: now});
				this.tail.reset(event.id);
				break;
			}
			case 'step-phase': {
				this.update(event.id, {phase: event.phase});
				break;
			}
			case 'step-check': {
				const {check} = event;
				const detail = check.status === 'blocked' ? check.reason : (check.detail ?? this.step(event.id).detail);
				const hint = check.status === 'blocked' ? check.fix : undefined;
				this.update(event.id, {check, inputsChanged: event.inputsChanged, detail, hint});
				break;
			}
			case 'line': {
				this.tail.push(event.id, event.text);
				break;
			}
			case 'progress': {
				this.update(event.id, {progress: {fraction: event.fraction, label: event.label}});
				break;
			}
			case 'detail': {
				this.update(event.id, {detail: event.text});
				break;
			}
			case 'step-end': {
				this.endStep(event);
				break;
			}
			case 'run-end': {
				this.endRun(event);
				break;
			}
		}
		this.growStatic();
	}

	/** Adds a line above the live area (e.g. the accepted plan). */
	noteText(text: string): void {
		this.staticItems.push({kind: 'note', key: `note-${this.staticItems.length}`, text});
	}

	/** Prints the plan above the live area; only its go-ahead stays live. */
	notePlan(items: readonly PlanItem[]): void {
		this.staticItems.push({kind: 'plan', key: `plan-${this.staticItems.length}`, items});
	}

	/** Keeps an answered question above the live area; `shown` is already masked for secrets. */
	noteAnswer(message: string, shown: string): void {
		this.staticItems.push({kind: 'answer', key: `answer-${this.staticItems.length}`, message, shown});
	}

	snapshot(prompt: RunSnapshot['prompt']): RunSnapshot {
		return {
			mode: this.mode,
			steps: this.order.map(id => this.step(id)),
			staticItems: [...this.staticItems],
			staticSteps: this.staticSteps,
			titleWidth: this.titleWidth(),
			activeId: this.tail.owner,
			tail: this.tail.last(this.keepLines),
			lineCount: this.tail.count,
			logPath: this.logPath,
			end: this.end,
			prompt,
		};
	}

	private titleWidth(): number {
		return Math.max(0, ...this.order.map(id => this.step(id).title.length));
	}

	private step(id: string): StepView {
		let step = this.steps.get(id);
		if (!step) {
			// An event for a step run-start did not list: show it rather than drop it.
			step = {id, title: id, phase: 'pending'};
			this.steps.set(id, step);
			this.order.push(id);
		}
		return step;
	}

	private update(id: string, change: Partial<StepView>): void {
		this.steps.set(id, {...this.step(id), ...change});
	}

	private endStep(outcome: StepOutcome): void {
		const tail = outcome.id === this.tail.owner ? this.tail.last(failureLines) : [];
		const output = outcome.output ?? (outcome.result === 'failed' && tail.length > 0 ? tail : undefined);
		const {detail, durationMs, hint, result} = outcome;
		this.update(outcome.id, {phase: result, detail: detail || this.step(outcome.id).detail, durationMs, hint, output, progress: undefined});
		if (outcome.id === this.tail.owner) {
			this.tail.reset(undefined);
		}
	}

	private endRun(event: RunEnd): void {
		for (const outcome of event.outcomes) {
			if (!isResult(this.step(outcome.id).phase)) {
				this.endStep(outcome);
			}
		}
		// Steps the engine never ended: interrupted if they were running, else not run.
		for (const id of this.order) {
			const {phase} = this.step(id);
			if (!isResult(phase)) {
				this.update(id, {phase: phase === 'pending' ? 'skipped' : 'interrupted', progress: undefined});
			}
		}
		this.tail.reset(undefined);
		this.end = event;
	}

	/** Moves the finished prefix of the step list into the static items, in order, once each; then the run's end. */
	private growStatic(): void {
		while (this.staticSteps < this.order.length) {
			const step = this.step(this.order[this.staticSteps]!);
			if (!isResult(step.phase)) {
				break;
			}
			this.staticItems.push({kind: 'step', key: `step-${this.staticItems.length}`, step, titleWidth: this.titleWidth()});
			this.staticSteps++;
		}
		// The end is final: printed once like a finished step, so the live area is empty and Ink ends its last
		// frame with a newline (the shell's prompt starts on a line of its own), however long the summary is.
		if (this.end && !this.endPrinted && this.staticSteps === this.order.length) {
			this.endPrinted = true;
			const steps = this.order.map(id => this.step(id));
			this.staticItems.push({kind: 'end', key: `end-${this.staticItems.length}`, end: this.end, steps, logPath: this.logPath});
		}
	}
}
