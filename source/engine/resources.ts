import type {Resources} from './types.js';

/** Lazily made resources of one run (the SSH session, say), disposed in reverse order when the run ends. */
export class RunResources implements Resources {
	private readonly made = new Map<string, Promise<unknown>>();
	private readonly disposers: Array<() => Promise<void> | void> = [];

	async get<T>(name: string, make: () => Promise<T>, dispose?: (value: T) => Promise<void> | void): Promise<T> {
		let pending = this.made.get(name) as Promise<T> | undefined;
		if (!pending) {
			pending = make();
			this.made.set(name, pending);
			// A failed make is forgotten, so the next step may try again (e.g. after a dropped connection).
			pending.then(
				value => {
					if (dispose) {
						this.disposers.push(() => dispose(value));
					}
				},
				() => this.made.delete(name),
			);
		}
		return pending;
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
		return errors;
	}
}
