/**
 * Runs `make` once per key within this process, however many callers ask at the same time (the
 * world builds images in parallel, and several images share a parent). A failure is not kept.
 */
export function onceByKey<T>(): (key: string, make: () => Promise<T>) => Promise<T> {
	const pending = new Map<string, Promise<T>>();
	return (key, make) => {
		const known = pending.get(key);
		if (known) return known;
		const started = make();
		pending.set(key, started);
		started.catch(() => pending.delete(key));
		return started;
	};
}
