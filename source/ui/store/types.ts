/** What the Ink components draw: immutable snapshots of a run, made by the run store outside React. */
import type {Check, EngineEvent, RunMode, StepPhase} from '../../engine/types.js';
import type {Question} from '../../config/question.js';
import type {PlanItem} from '../renderer.js';

/** One step as the screen shows it. */
export interface StepView {
	readonly id: string;
	readonly title: string;
	readonly phase: StepPhase;
	/** One line beside the title (the step's own detail, or its check's). */
	readonly detail?: string;
	/** `Date.now()` at step-start, for the live elapsed time. */
	readonly startedAt?: number;
	/** Set at step-end. */
	readonly durationMs?: number;
	readonly progress?: {readonly fraction: number; readonly label?: string};
	readonly check?: Check;
	readonly inputsChanged?: boolean;
	/** On failure (or blocked): what to do next. */
	readonly hint?: string;
	/** On failure: the last output lines (the outcome's, or the tail the screen had). */
	readonly output?: readonly string[];
}

/** The run's end event. */
export type RunEnd = Extract<EngineEvent, {type: 'run-end'}>;

/** A line written once above the live area (Ink `<Static>`): a finished step, an answer, a note. */
export type StaticItem =
	| {readonly kind: 'step'; readonly key: string; readonly step: StepView; readonly titleWidth: number}
	| {readonly kind: 'answer'; readonly key: string; readonly message: string; readonly shown: string}
	| {readonly kind: 'note'; readonly key: string; readonly text: string}
	/**
	 * The plan, printed once where the user can scroll it: drawn in the live area, a plan taller than the screen
	 * made Ink clear the terminal and its scroll-back on every redraw (issue 10 item 7).
	 */
	| {readonly kind: 'plan'; readonly key: string; readonly items: readonly PlanItem[]}
	/** How the run ended: failure panels and the summary, printed once below the last step (issue 10 item 7). */
	| {readonly kind: 'end'; readonly key: string; readonly end: RunEnd; readonly steps: readonly StepView[]; readonly logPath?: string};

/** What the user is being asked right now; `answer` settles the renderer's promise. */
export type PromptRequest =
	| {readonly kind: 'plan'; readonly items: readonly PlanItem[]; readonly answer: (start: boolean) => void}
	| {readonly kind: 'question'; readonly question: Question; readonly answer: (value: string) => void; readonly back?: () => void};

/** Everything the App draws, replaced as a whole at most every few dozen milliseconds. */
export interface RunSnapshot {
	readonly mode?: RunMode;
	/** All steps, in run order. */
	readonly steps: readonly StepView[];
	/** Append-only: Ink prints each item once. */
	readonly staticItems: readonly StaticItem[];
	/** How many steps (a prefix of `steps`) are already in `staticItems`. */
	readonly staticSteps: number;
	/** The width of the longest step title, so the phases line up. */
	readonly titleWidth: number;
	/** The step whose output is in `tail`. */
	readonly activeId?: string;
	/** The last output lines of the active step (bounded). */
	readonly tail: readonly string[];
	/** How many lines the active step printed in all. */
	readonly lineCount: number;
	readonly logPath?: string;
	readonly end?: RunEnd;
	readonly prompt?: PromptRequest;
	/** What labbox waits on outside the step rows (see Renderer.activity), since when (`Date.now()`). */
	readonly activity?: {readonly text: string; readonly since: number};
}
