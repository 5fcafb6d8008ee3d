/**
 * The facts of a run's steps, gathered together (issue 11: one round trip to know the server): the first check
 * that asks reads the facts of its step and of every later selected step at once; once a step has changed the
 * server, what was read before is stale, and the next step that asks reads its own and the later ones again.
 */
import type {Step, StepContext} from './types.js';

/** Reads the declared facts of these steps (in one round trip), by step id. */
export type GatherSteps = (ctx: StepContext, steps: readonly Step[]) => Promise<ReadonlyMap<string, Readonly<Record<string, unknown>>>>;

export class FactBatch {
	private read: Promise<ReadonlyMap<string, Readonly<Record<string, unknown>>>> | undefined;
	private covered = new Set<string>();
	/** How many times the server was asked (for tests and the log). */
	gathered = 0;

	constructor(
		/** The selected steps, in run order. */
		private readonly steps: readonly Step[],
		private readonly gather: GatherSteps,
	) {}

	/** The facts of `step`: from the batch when it is fresh, else from a new batch of it and every later step. */
	async of(step: Step, ctx: StepContext): Promise<Readonly<Record<string, unknown>>> {
		if (!step.facts) {
			return {};
		}
		if (!this.read || !this.covered.has(step.id)) {
			const from = Math.max(
				0,
				this.steps.findIndex(item => item.id === step.id),
			);
			const later = [step, ...this.steps.slice(from + 1).filter(item => item.facts && item.id !== step.id)];
			this.covered = new Set(later.map(item => item.id));
			this.gathered++;
			const read = this.gather(ctx, later);
			// A failed read (a dropped connection) is not kept: the next step asks again.
			read.catch(() => this.read === read && this.stale());
			this.read = read;
		}
		return (await this.read).get(step.id) ?? {};
	}

	/** Something on the server changed (a step applied): every fact read so far is stale. */
	stale(): void {
		this.read = undefined;
		this.covered = new Set();
	}
}
