/**
 * Progress from Docker's own output: `docker pull` prints one status line per layer event (and, when it
 * reports them, byte counts); `docker build` prints its steps (`Step 2/3`, BuildKit `[2/3]`).
 */

// How far a layer is at each status `docker pull` prints (download is most of the time).
const layerWeights: ReadonlyArray<readonly [RegExp, number]> = [
	[/^(Pulling fs layer|Waiting)$/, 0],
	[/^Downloading/, 0.3],
	[/^(Verifying Checksum|Download complete)$/, 0.7],
	[/^Extracting/, 0.85],
	[/^(Pull complete|Already exists)$/, 1],
];

const units: Readonly<Record<string, number>> = {B: 1, kB: 1e3, KB: 1e3, MB: 1e6, GB: 1e9};
const byteCount = /([\d.]+)\s*([kKMG]?B)\/([\d.]+)\s*([kKMG]?B)/;

/** Where one pull is: each layer's share done and the bytes Docker reported, if any. */
export class PullProgress {
	private readonly layers = new Map<string, number>();
	private readonly bytes = new Map<string, {done: number; total: number}>();

	/** Reads one output line; returns true when it changed the progress. */
	feed(line: string): boolean {
		const match = /^([0-9a-f]{12}): (.+)$/.exec(line.trim());
		if (!match) {
			return false;
		}
		const [, layer, status] = match as unknown as [string, string, string];
		const weight = layerWeights.find(([pattern]) => pattern.test(status))?.[1];
		if (weight === undefined) {
			return false;
		}
		this.layers.set(layer, Math.max(weight, this.layers.get(layer) ?? 0));
		const counted = byteCount.exec(status);
		if (counted) {
			const [, done, doneUnit, total, totalUnit] = counted as unknown as string[];
			this.bytes.set(layer, {done: Number(done) * units[doneUnit!]!, total: Number(total) * units[totalUnit!]!});
		}
		return true;
	}

	/** 0..1 over the layers seen so far. */
	get fraction(): number {
		const weights = [...this.layers.values()];
		return weights.length === 0 ? 0 : weights.reduce((sum, weight) => sum + weight, 0) / weights.length;
	}

	/** `3 of 7 layers`, and `120 MB of 300 MB` when Docker reported bytes. */
	get label(): string {
		const done = [...this.layers.values()].filter(weight => weight === 1).length;
		const layers = `${done} of ${this.layers.size} layers`;
		if (this.bytes.size === 0) {
			return layers;
		}
		const sum = (key: 'done' | 'total') => [...this.bytes.values()].reduce((total, entry) => total + entry[key], 0);
		return `${layers}, ${megabytes(sum('done'))} of ${megabytes(sum('total'))} MB`;
	}
}

const megabytes = (bytes: number) => Math.round(bytes / 1e6);

/** The fraction of a build from one output line (`Step 2/4 :` or BuildKit's `[2/4]`), if it tells. */
export function buildStep(line: string): number | undefined {
	const match = /^Step (\d+)\/(\d+) :/.exec(line) ?? /^#\d+ \[(?:[\w-]+ )?(\d+)\/(\d+)\]/.exec(line);
	return match ? (Number(match[1]) - 1) / Number(match[2]) : undefined;
}
