/**
 * The output of the step that prints now, bounded: a push is amortised O(1) and memory stays under twice
 * `keep` lines, however many thousands of lines a second a remote command prints.
 */
export class TailBuffer {
	private lines: string[] = [];
	private ownerId: string | undefined;
	private total = 0;

	/** @param keep how many of the last lines must stay readable. */
	constructor(private readonly keep: number) {}

	/** The step whose lines these are. */
	get owner(): string | undefined {
		return this.ownerId;
	}

	/** How many lines the owner printed in all. */
	get count(): number {
		return this.total;
	}

	/** Forgets the lines and starts over for `owner` (or for nobody). */
	reset(owner: string | undefined): void {
		this.ownerId = owner;
		this.lines = [];
		this.total = 0;
	}

	/** Adds a line; a line from another step starts a new tail. */
	push(owner: string, text: string): void {
		if (owner !== this.ownerId) {
			this.reset(owner);
		}
		this.lines.push(text);
		this.total++;
		// Trim in batches rather than shift per line.
		if (this.lines.length >= this.keep * 2) {
			this.lines = this.lines.slice(-this.keep);
		}
	}

	/** The last `count` lines, oldest first (at most `keep`). */
	last(count: number): string[] {
		return this.lines.slice(-Math.min(count, this.keep));
	}
}
