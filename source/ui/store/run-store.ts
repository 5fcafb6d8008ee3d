/**
 * The bridge between engine events and React: events change a model outside React, and subscribers are told
 * at most once per interval (leading and trailing edge), so 20,000 lines make a handful of renders, not 20,000.
 * Used with `useSyncExternalStore` (see hooks/use-run-snapshot.ts).
 */
import type {EngineEvent} from '../../engine/types.js';
import type {PlanItem} from '../renderer.js';
import {RunModel} from './run-model.js';
import type {PromptRequest, RunSnapshot} from './types.js';

export interface RunStoreOptions {
	/** Minimum time between two snapshots, in ms. Default 80. */
	readonly intervalMs?: number;
	/** Output lines of the running step kept in memory and shown. Default 8. */
	readonly tailLines?: number;
	/** The clock, for tests. */
	readonly now?: () => number;
}

export class RunStore {
	private readonly model: RunModel;
	private readonly listeners = new Set<() => void>();
	private readonly intervalMs: number;
	private readonly now: () => number;
	private current: RunSnapshot;
	private prompt: PromptRequest | undefined;
	private activity: RunSnapshot['activity'];
	private timer: NodeJS.Timeout | undefined;
	private lastFlush = Number.NEGATIVE_INFINITY;

	constructor(options: RunStoreOptions = {}) {
		this.intervalMs = options.intervalMs ?? 80;
		this.now = options.now ?? Date.now;
		this.model = new RunModel(options.tailLines ?? 8);
		this.current = this.model.snapshot(undefined);
	}

	readonly subscribe = (listener: () => void): (() => void) => {
		this.listeners.add(listener);
		return () => {
			this.listeners.delete(listener);
		};
	};

	readonly getSnapshot = (): RunSnapshot => this.current;

	/** Takes one engine event (already redacted). Never renders synchronously. */
	handle(event: EngineEvent): void {
		this.model.apply(event, this.now());
		this.schedule();
	}

	/** Shows (or, with undefined, removes) what the user is asked. */
	setPrompt(prompt: PromptRequest | undefined): void {
		this.prompt = prompt;
		this.schedule();
	}

	/** Shows (or, with undefined, removes) the live activity line; its clock starts now. */
	setActivity(text: string | undefined): void {
		this.activity = text === undefined ? undefined : {text, since: this.now()};
		this.schedule();
	}

	get openPrompt(): PromptRequest | undefined {
		return this.prompt;
	}

	/** Writes a note above the live area. */
	noteText(text: string): void {
		this.model.noteText(text);
		this.schedule();
	}

	/** Prints the plan above the live area (the plan prompt then asks only for the go-ahead). */
	notePlan(items: readonly PlanItem[]): void {
		this.model.notePlan(items);
		this.schedule();
	}

	/** Keeps an answered question visible above the live area. */
	noteAnswer(message: string, shown: string): void {
		this.model.noteAnswer(message, shown);
		this.schedule();
	}

	/** Publishes the current state now (used before closing, so the final frame has everything). */
	flush(): void {
		if (this.timer) {
			clearTimeout(this.timer);
			this.timer = undefined;
		}
		this.lastFlush = this.now();
		this.current = {...this.model.snapshot(this.prompt), activity: this.activity};
		for (const listener of this.listeners) {
			listener();
		}
	}

	/** Stops the pending timer without publishing (after unmount). */
	dispose(): void {
		if (this.timer) {
			clearTimeout(this.timer);
			this.timer = undefined;
		}
		this.listeners.clear();
	}

	private schedule(): void {
		if (this.timer) {
			return;
		}
		const wait = Math.max(0, this.lastFlush + this.intervalMs - this.now());
		this.timer = setTimeout(() => {
			this.timer = undefined;
			this.flush();
		}, wait);
	}
}
