/**
 * `labbox status`: each step's recorded state, then the lab's live health (the certificate and its renewal
 * on the server, https://NAME/hub/health from here), asked of the steps recorded as done. Read-only; it never
 * prompts. A warning (no backups) has its own mark, `!`, and is counted apart from the well checks, but fails
 * nothing. Exit 0 when all is well, 1 when a step failed or was cut off or a health check fails, 2 when the
 * configuration needs attention.
 */
import {loadConfig, secretValues, type LoadedConfig} from '../config/load.js';
import {ConfigError} from '../config/resolve.js';
import {checkHealth, healthSteps} from '../engine/health.js';
import {Redactor} from '../engine/redact.js';
import {loadState} from '../engine/state.js';
import {cannotAsk, configFlags, exitCode, invocation, pathsFor, type GlobalFlags, type Io} from './context.js';
import {spellCommands} from './invocation.js';
import {liveReport, statusReport} from './reports.js';

export async function statusCommand(flags: GlobalFlags, options: Record<string, unknown> & {live?: boolean}, io: Io): Promise<number> {
	const paths = pathsFor(flags, io);
	const state = await loadState(paths.state);
	const spoken = invocation(flags, options, io);
	// Every `labbox …` a line names is spelled as this user runs labbox (issue 10 item 5).
	const hints = (text: string) => spellCommands(text, spoken);
	const width = io.stdout.isTTY ? io.stdout.columns : undefined;
	io.stdout.write(hints(statusReport(io.steps, state, paths.dir, {width})));
	// A step that failed or was cut off is a lab that is not well, whatever the live checks say (issue 10 item 20).
	const unfinished =
		!state.lastRun?.outcome || io.steps.some(step => ['failed', 'interrupted'].includes(state.steps[step.id]?.result ?? ''));
	const recorded = state.lastRun && unfinished ? exitCode.failed : exitCode.done;
	if (options.live === false || healthSteps(io.steps, state).length === 0) {
		return recorded;
	}
	let config: LoadedConfig['config'];
	try {
		config = (await loadConfig({paths, flags: configFlags(options), env: io.env})).config;
	} catch (error) {
		if (error instanceof ConfigError) {
			io.stderr.write(
				`Live health not checked: the configuration needs attention:\n${error.problems.map(problem => `  • ${problem.message}`).join('\n')}\n`,
			);
			return exitCode.usage;
		}
		throw error;
	}
	const redactor = new Redactor();
	for (const secret of secretValues(config)) {
		redactor.add(secret);
	}
	io.stdout.write('Live:\n');
	const reports = await checkHealth({
		steps: io.steps,
		state,
		config,
		labDir: paths.dir,
		redactor,
		prompt: async question => Promise.reject(cannotAsk(question)),
	});
	io.stdout.write(liveReport(reports, {width, hints}));
	return reports.every(report => report.ok) ? recorded : exitCode.failed;
}
