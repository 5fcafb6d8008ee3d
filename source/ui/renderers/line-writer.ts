/**
 * Buffered line output for the plain and JSON renderers: lines are joined and written once per tick (or every
 * 64 KiB), so a step printing thousands of lines a second makes a few large writes, not thousands of small ones.
 */
const maxBuffered = 64 * 1024;

export class LineWriter {
	private buffer: string[] = [];
	private size = 0;
	private scheduled = false;
	private full = false;

	constructor(private readonly stdout: NodeJS.WritableStream) {}

	write(line: string): void {
		this.buffer.push(line);
		this.size += line.length + 1;
		if (this.size >= maxBuffered) {
			this.flush();
		} else if (!this.scheduled) {
			this.scheduled = true;
			setImmediate(() => {
				this.flush();
			});
		}
	}

	flush(): void {
		this.scheduled = false;
		if (this.buffer.length === 0) {
			return;
		}
		const text = this.buffer.join('\n') + '\n';
		this.buffer = [];
		this.size = 0;
		// A stream says false when its buffer is full: close() then waits for it to drain.
		this.full = this.stdout.write(text) === false;
	}

	/** Writes what is left and waits until the stream has taken it. */
	async close(): Promise<void> {
		this.flush();
		if (this.full) {
			await new Promise<void>(resolve => {
				this.stdout.once('drain', resolve);
			});
			this.full = false;
		}
	}
}
