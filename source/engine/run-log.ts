import {createWriteStream, mkdirSync, type WriteStream} from 'node:fs';
import path from 'node:path';
import type {Redactor} from './redact.js';
import type {EngineEvent} from './types.js';

/** One log file per run in `.labbox/logs/`: every event, command and output line, timed and redacted. */
export class RunLog {
	readonly path: string;
	private readonly stream: WriteStream;
	private readonly started = Date.now();

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

	/** A line from a step or the CLI (a command, its output): redacted here. */
	write(line: string): void {
		this.append(this.redactor.redact(line));
	}

	/** Events come redacted from the runner (its one pass, issue 11 item 3): written as they are. */
	private append(line: string): void {
		const elapsed = ((Date.now() - this.started) / 1000).toFixed(3).padStart(9);
		this.stream.write(`${new Date().toISOString()} +${elapsed}s ${line}\n`);
	}

	/** Turns an engine event into log lines (the same facts the screen shows, plus every output line). */
	event(event: EngineEvent): void {
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
		await new Promise<void>(resolve => {
			this.stream.end(resolve);
		});
	}
}
