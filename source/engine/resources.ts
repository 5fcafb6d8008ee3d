import type {Resources} from './types.js';

/** Lazily made resources of one run (the SSH session, say), disposed in reverse order when the run ends. */
export class RunResources implements Resources {
	private readonly made = new Map<string, Promise<unknown>>();
	private readonly disposers: Array<() => Promise<void> | void> = [];
	private readonly failed = new Set<string>();
	/** Makes still under way, each with its abort: a run that ends first must not wait for them, nor leak them. */
	private readonly pending = new Set<AbortController>();

	/**
	 * Made once per run, by the first caller that asks (a step, or the CLI starting the connection early: issue
	 * 11); every other caller waits on that same attempt. A failed make stays failed for the run: each later `get`
	 * rejects at once with the same error, instead of trying again (a silent server cost one 20 s timeout per step,
	 * a refused host key one question per step: issue 10 items 2, 3). A connection that drops later is the
	 * session's to re-make, not this. `make` gets a signal that `disposeAll` aborts while it is still under way.
	 */
	async get<T>(name: string, make: (signal: AbortSignal) => Promise<T>, dispose?: (value: T) => Promise<void> | void): Promise<T> {
		let pending = this.made.get(name) as Promise<T> | undefined;
		if (!pending) {
			const abort = new AbortController();
			this.pending.add(abort);
			pending = make(abort.signal);
			this.made.set(name, pending);
			pending.then(
				value => {
					this.pending.delete(abort);
					if (!dispose) {
						return;
					}
					if (abort.signal.aborted) {
						// Made after the run ended (the make ignored its signal): disposed at once, never kept.
						Promise.resolve()
							.then(async () => dispose(value))
							.catch(() => {});
					} else {
						this.disposers.push(() => dispose(value));
					}
				},
				() => {
					this.pending.delete(abort);
					// Cut by disposeAll: that run is over, and the next one (after a new port, say) starts clean.
					if (!abort.signal.aborted) {
						this.failed.add(name);
					}
				},
			);
		}
		return pending;
	}

	/** Whether a resource could not be made in this run: every step that needs it would fail the same way. */
	get anyFailed(): boolean {
		return this.failed.size > 0;
	}

	/**
	 * Disposes everything; returns the errors instead of throwing, so they never hide the run's own error. Makes
	 * still under way are aborted (a connection still logging in is cut: nothing keeps the process alive).
	 */
	async disposeAll(): Promise<unknown[]> {
		for (const abort of this.pending) {
			abort.abort(new Error('the run ended'));
		}
		this.pending.clear();
		const errors: unknown[] = [];
		for (const dispose of this.disposers.reverse()) {
			try {
				await dispose();
			} catch (error) {
				errors.push(error);
			}
		}
		this.disposers.length = 0;
		this.made.clear();
		this.failed.clear();
		return errors;
	}
}
