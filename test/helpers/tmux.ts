import {readdirSync, readFileSync} from 'node:fs';
import {setTimeout as sleep} from 'node:timers/promises';
import {execa} from 'execa';
import {processAlive} from '../../source/engine/process-alive.js';

/** A real terminal: a detached tmux session running one command; keys go in, the screen comes out. */
export class TmuxTerminal {
	private constructor(readonly name: string) {}

	static async start(
		command: string,
		options: {cwd: string; env?: Record<string, string>; width?: number; height?: number},
	): Promise<TmuxTerminal> {
		const name = `labbox-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
		const env = Object.entries(options.env ?? {})
			.map(([key, value]) => `${key}=${JSON.stringify(value)}`)
			.join(' ');
		// A person at a terminal has no CI variable: the tmux server may carry the test run's (CI=true), which
		// would make labbox non-interactive. `; sleep` keeps the pane (and its last screen) after the program exits, so the test can read it.
		await execa('tmux', [
			'new-session',
			'-d',
			'-s',
			name,
			'-x',
			String(options.width ?? 110),
			'-y',
			String(options.height ?? 40),
			'-c',
			options.cwd,
			`env -u CI ${env} ${command}; echo "EXIT=$?"; sleep 600`,
		]);
		return new TmuxTerminal(name);
	}

	async screen(): Promise<string> {
		const {stdout} = await execa('tmux', ['capture-pane', '-p', '-J', '-S', '-200', '-t', this.name]);
		return stdout;
	}

	/** The screen with its colour and style escapes (tmux capture-pane -e). */
	async styled(): Promise<string> {
		const {stdout} = await execa('tmux', ['capture-pane', '-p', '-e', '-t', this.name]);
		return stdout;
	}

	/** Everything the pane holds, scroll-back included, one row per line (as the terminal drew it: no joining). */
	async scrollback(): Promise<string> {
		const {stdout} = await execa('tmux', ['capture-pane', '-p', '-S', '-', '-t', this.name]);
		return stdout;
	}

	/** Waits (bounded) until the screen matches: 45 s by default, since a busy CI machine took over 20 s to draw a plan. */
	async waitFor(pattern: RegExp, timeoutMs = 45_000): Promise<string> {
		const until = Date.now() + timeoutMs;
		let last = '';
		while (Date.now() < until) {
			last = await this.screen();
			if (pattern.test(last)) {
				return last;
			}
			await sleep(100);
		}
		throw new Error(`the terminal never showed ${pattern} within ${timeoutMs} ms; it shows:\n${last}`);
	}

	/** Types text literally, then the named keys (Enter, Down...). */
	async type(text: string, ...keys: string[]): Promise<void> {
		if (text) {
			await execa('tmux', ['send-keys', '-t', this.name, '-l', text]);
		}
		for (const key of keys) {
			await execa('tmux', ['send-keys', '-t', this.name, key]);
		}
	}

	/** Types as a person does: one key at a time, `msPerKey` apart, then the named keys after a short pause. */
	async typeLikeAPerson(text: string, ...keys: string[]): Promise<void> {
		for (const char of text) {
			await execa('tmux', ['send-keys', '-t', this.name, '-l', char]);
			await sleep(40 + Math.floor(Math.random() * 80));
		}
		await sleep(250);
		for (const key of keys) {
			await execa('tmux', ['send-keys', '-t', this.name, key]);
		}
	}

	/**
	 * Ends the session and waits (bounded) until every process it ran has exited: a labbox that is still
	 * shutting down holds the lab folder's lock, and the next terminal on the same folder would find it busy.
	 */
	async close(): Promise<void> {
		const {stdout} = await execa('tmux', ['display-message', '-p', '-t', this.name, '#{pane_pid}'], {reject: false});
		const processes = descendants(Number(stdout.trim()));
		await execa('tmux', ['kill-session', '-t', this.name], {reject: false});
		const until = Date.now() + 15_000;
		while (processes.some(processAlive) && Date.now() < until) {
			await sleep(50);
		}
	}
}

/** The process and all its descendants, read from /proc (Linux, where the tests run). */
function descendants(pid: number): number[] {
	if (!Number.isInteger(pid) || pid <= 0) {
		return [];
	}
	const children = new Map<number, number[]>();
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) {
			continue;
		}
		try {
			// The parent pid is the 4th field, after the command in parentheses (which may hold spaces).
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
		} catch {
			// The process ended while we read.
		}
	}
	const all = [pid];
	for (let index = 0; index < all.length; index++) {
		all.push(...(children.get(all[index]) ?? []));
	}
	return all;
}
