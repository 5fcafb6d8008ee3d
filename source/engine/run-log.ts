import {createWriteStream, mkdirSync, type WriteStream} from 'node:fs';
import path from 'node:path';
import type {Redactor} from './redact.js';
import type {EngineEvent} from './types.js';

/** One log file per run in `.labbox/logs/`: every event, command and output line, timed and redacted. */
export class RunLog {
	readonly path: string;
	private readonly stream: WriteStream;
	private readonly started = Date.now();
	/** Lines written in this tick, not yet redacted: see `write`. */
	private queued: string[] = [];

	constructor(
		directory: string,
		label: string,
		private readonly redactor: Redactor,
	) {
		mkdirSync(directory, {recursive: true, mode: 0o700});
		const stamp = new Date()
			.toISOString()
			.replaceAll(':', '-')
			.replace(/\.\d+Z$/, 'Z');
		this.path = path.join(directory, `${stamp}-${label}.log`);
		this.stream = createWriteStream(this.path, {flags: 'a', mode: 0o600});
	}

	/**
	 * A line from a step or the CLI (a command, its output): redacted here, together with the other lines of the
	 * same tick. A no-op's one round trip brings ~600 output lines: redacted one by one they cost a cold CLI about
	 * 10-15 ms, redacted and written as one text about 1 ms (issue 11, speed). Every line still gets its own time.
	 */
	write(line: string): void {
		this.queued.push(line);
		if (this.queued.length === 1) {
			setImmediate(this.flush);
		}
	}

	/** Writes the queued lines, redacted as one text (a secret or key block across lines is caught too). */
	private readonly flush = (): void => {
		if (this.queued.length === 0) {
			return;
		}
		const text = this.redactor.redact(this.queued.join('\n'));
		this.queued = [];
		this.append(...text.split('\n'));
	};

	/** Events come redacted from the runner (its one pass, issue 11 item 3): written as they are. */
	private append(...lines: string[]): void {
		const stamp = `${new Date().toISOString()} +${((Date.now() - this.started) / 1000).toFixed(3).padStart(9)}s`;
		this.stream.write(lines.map(line => `${stamp} ${line}\n`).join(''));
	}

	/** Turns an engine event into log lines (the same facts the screen shows, plus every output line). */
	event(event: EngineEvent): void {
		this.flush(); // the lines written before it come first
		switch (event.type) {
			case 'run-start': {
				this.append(`run ${event.mode}: ${event.selected.join(' ')}`);
				break;
			}
			case 'step-start': {
				this.append(`[${event.id}] start`);
				break;
			}
			case 'step-phase': {
				this.append(`[${event.id}] ${event.phase}`);
				break;
			}
			case 'step-check': {
				const {check} = event;
				const what =
					check.status === 'todo'
						? check.changes.join('; ')
						: check.status === 'blocked'
							? `${check.reason} (fix: ${check.fix})`
							: (check.detail ?? '');
				this.append(`[${event.id}] check: ${check.status}${event.inputsChanged ? ' (inputs changed)' : ''} ${what}`);
				break;
			}
			case 'line': {
				this.append(`[${event.id}] ${event.stream === 'stderr' ? '!' : '|'} ${event.text}`);
				break;
			}
			case 'progress': {
				this.append(`[${event.id}] progress ${Math.round(event.fraction * 100)}% ${event.label ?? ''}`);
				break;
			}
			case 'detail': {
				this.append(`[${event.id}] ${event.text}`);
				break;
			}
			case 'step-end': {
				this.append(
					`[${event.id}] ${event.result} in ${event.durationMs} ms: ${event.detail}${event.hint ? ` (hint: ${event.hint})` : ''}`,
				);
				break;
			}
			case 'run-end': {
				this.append(`run ${event.outcome}${event.retry ? `; retry with: ${event.retry}` : ''}`);
				break;
			}
		}
	}

	async close(): Promise<void> {
		this.flush();
		await new Promise<void>(resolve => {
			this.stream.end(resolve);
		});
	}
}
