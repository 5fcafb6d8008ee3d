/** Turns a byte stream into lines as they come: split on \n, keep the partial last line until more arrives. */
import {StringDecoder} from 'node:string_decoder';

/** Feeds chunks in; calls `onLine` for each complete line (without \n or \r); `end()` flushes the rest. */
export class LineSplitter {
	private readonly decoder = new StringDecoder('utf8');
	private partial = '';
	/** Everything received, decoded. */
	text = '';

	constructor(private readonly onLine: (line: string) => void) {}

	push(chunk: Buffer): void {
		const text = this.decoder.write(chunk);
		this.text += text;
		const parts = (this.partial + text).split('\n');
		this.partial = parts.pop()!;
		for (const line of parts) {
			this.onLine(line.replace(/\r$/, ''));
		}
	}

	end(): void {
		const rest = this.partial + this.decoder.end();
		this.text += rest.slice(this.partial.length);
		this.partial = '';
		if (rest !== '') {
			this.onLine(rest.replace(/\r$/, ''));
		}
	}
}

/** The last `count` non-empty lines of an output, for error messages. */
export function lastLines(output: string, count = 20): string[] {
	return output
		.split('\n')
		.filter(line => line.trim() !== '')
		.slice(-count);
}

// Terminal escapes in remote output: Compose clears the line before each log line even without a terminal.
const escapes = /\x1b\[[0-9;?]*[A-Za-z]/g;

/** A line of remote output without terminal escapes (colours, line clearing). */
export function withoutEscapes(text: string): string {
	return text.replaceAll(escapes, '');
}
