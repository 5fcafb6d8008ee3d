import type {Resources} from './types.js';

/** Lazily made resources of one run (the SSH session, say), disposed in reverse order when the run ends. */
export class RunResources implements Resources {
	private readonly made = new Map<string, Promise<unknown>>();
	private readonly disposers: Array<() => Promise<void> | void> = [];
	private readonly failed = new Set<string>();

	/**
	 * Made once per run, by the first step that asks; every other step waits on that same attempt. A failed make
	 * stays failed for the run: each later `get` rejects at once with the same error, instead of trying again
	 * (a silent server cost one 20 s timeout per step, a refused host key one question per step: issue 10 items
	 * 2, 3). A connection that drops later is the session's to re-make, not this.
	 */
	async get<T>(name: string, make: () => Promise<T>, dispose?: (value: T) => Promise<void> | void): Promise<T> {
		let pending = this.made.get(name) as Promise<T> | undefined;
		if (!pending) {
			pending = make();
			this.made.set(name, pending);
			pending.then(
				value => {
					if (dispose) {
						this.disposers.push(() => dispose(value));
					}
				},
				() => this.failed.add(name),
			);
		}
		return pending;
	}

	/** Whether a resource could not be made in this run: every step that needs it would fail the same way. */
	get anyFailed(): boolean {
		return this.failed.size > 0;
	}

	/** Disposes everything; returns the errors instead of throwing, so they never hide the run's own error. */
	async disposeAll(): Promise<unknown[]> {
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
