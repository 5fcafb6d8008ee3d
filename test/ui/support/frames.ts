/** Helpers for Ink tests (FIELD-NOTES: wait a tick after render, poll frames until they match). */
import {EventEmitter} from 'node:events';
import {renderToString} from 'ink';
import type {ReactNode} from 'react';

export const keys = {
	enter: '\r',
	escape: '\u001B',
	down: '\u001B[B',
	up: '\u001B[A',
	backspace: '\u007F',
	ctrlC: '\u0003',
} as const;

/** Lets Ink mount and subscribe to stdin before keys are written. */
export async function tick(ms = 0): Promise<void> {
	await new Promise(resolve => {
		setTimeout(resolve, ms);
	});
}

/** Polls `read()` until `matches` holds; fails with the last text seen. */
export async function waitFor(read: () => string | undefined, matches: (text: string) => boolean, timeoutMs = 3000): Promise<string> {
	const deadline = Date.now() + timeoutMs;
	let text = read() ?? '';
	while (!matches(text)) {
		if (Date.now() > deadline) {
			throw new Error(`Timed out waiting for the frame; last one was:\n${text}`);
		}
		await tick(10);
		text = read() ?? '';
	}
	return text;
}

/** Without colours or cursor moves, for asserting on what a terminal shows. */
export function stripAnsi(text: string): string {
	// eslint-disable-next-line no-control-regex
	return text.replace(/\u001B(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007]*\u0007|[@-Z\\-_])/g, '');
}

/** A terminal's stdout for `createRenderer`: records every write. */
export class FakeStdout extends EventEmitter {
	readonly writes: string[] = [];
	readonly isTTY = true;
	columns = 100;
	rows = 40;

	write = (chunk: string, callback?: () => void): boolean => {
		this.writes.push(String(chunk));
		callback?.();
		return true;
	};

	/** Everything written, colours and cursor moves removed. */
	text(): string {
		return stripAnsi(this.writes.join(''));
	}

	asStream(): NodeJS.WriteStream {
		return this as unknown as NodeJS.WriteStream;
	}
}

/** A terminal's stdin for `createRenderer` (as ink-testing-library's, which it does not export). */
export class FakeStdin extends EventEmitter {
	isTTY: boolean | undefined;
	private data: string | null = null;

	/** @param isTTY `pipe`: undefined, as Node reports it for a pipe. */
	constructor(isTTY: boolean | 'pipe' = true) {
		super();
		this.isTTY = isTTY === 'pipe' ? undefined : isTTY;
	}

	write(data: string): void {
		this.data = data;
		this.emit('readable');
		this.emit('data', data);
	}

	read = (): string | null => {
		const {data} = this;
		this.data = null;
		return data;
	};

	setEncoding(): void {}
	setRawMode(): void {}
	resume(): void {}
	pause(): void {}
	ref(): void {}
	unref(): void {}

	asStream(): NodeJS.ReadStream {
		return this as unknown as NodeJS.ReadStream;
	}
}

/** Ink's `renderToString`, colours removed. */
export function draw(node: ReactNode, columns = 80): string {
	return stripAnsi(renderToString(node, {columns}));
}
