/**
 * `labbox logs [SERVICE|USER] [--follow] [--since 1h]` (issue 13 item 2): one of the lab's logs, streamed from
 * the server line by line through the same redaction as the run logs (the lab's secrets and anything that looks
 * like a token become ***). Read-only. Exit 0 done (or --follow ended with Ctrl-C), 1 the log could not be
 * read, 2 bad usage or configuration.
 */
import {ConfigError} from '../config/resolve.js';
import {logsCommand, logSource, parseSince} from '../daytwo/log-sources.js';
import {openLab, type LabConnection} from '../daytwo/lab-connection.js';
import {toShell} from '../remote/command.js';
import {withoutEscapes} from '../remote/line-splitter.js';
import {commandFailed, exitCode, type GlobalFlags, type Io} from './context.js';

export interface LogsOptions extends Record<string, unknown> {
	readonly follow?: boolean;
	readonly since?: string;
}

export async function showLogs(word: string | undefined, flags: GlobalFlags, options: LogsOptions, io: Io): Promise<number> {
	const source = logSource(word);
	const since = options.since === undefined ? undefined : parseSince(options.since);
	const problem = 'problem' in source ? source.problem : typeof since === 'object' ? since.problem : undefined;
	if (problem) {
		io.stderr.write(`${problem}\n`);
		return exitCode.usage;
	}
	const controller = new AbortController();
	const onInterrupt = () => controller.abort();
	process.on('SIGINT', onInterrupt);
	let lab: LabConnection | undefined;
	try {
		lab = await openLab('logs', flags, options, io, controller.signal);
		const command = logsCommand(source as Exclude<typeof source, {problem: string}>, lab.root, {
			follow: options.follow,
			sinceSeconds: since as number | undefined,
		});
		lab.log.write(`$ ${toShell(command, {redact: true})}`);
		const redact = lab.redactor;
		const result = await lab.shell.exec(command, {
			sudo: true,
			signal: controller.signal,
			// Every line through the one redaction, as the run logs (never a secret on the screen).
			onLine: line => io.stdout.write(`${redact.redact(withoutEscapes(line))}\n`),
		});
		if (result.code !== 0) {
			const missing = /No such container/i.test(result.stderr) && word !== undefined;
			io.stderr.write(
				missing
					? `${word} has no notebook server on the server now (it is removed when it stops, and its log with it).\n`
					: `The log could not be read (exit code ${result.code}).\n`,
			);
			return exitCode.failed;
		}
		return exitCode.done;
	} catch (error) {
		if (controller.signal.aborted) {
			return exitCode.done; // Ctrl-C ends a --follow: that is how it is meant to end.
		}
		if (error instanceof ConfigError) {
			io.stderr.write(`The configuration needs attention:\n${error.problems.map(item => `  • ${item.message}`).join('\n')}\n`);
			return exitCode.usage;
		}
		return commandFailed(error, io, text => lab?.redactor.redact(text) ?? text);
	} finally {
		process.off('SIGINT', onInterrupt);
		await lab?.close();
	}
}
