/** Builders for apt-get, shared by the steps that install packages. */
import {any, chain, combine, group, pipe, quiet, raw, shell, shownAs, variable, withEnv, type Command} from '../command.js';

// Why: on a fresh server unattended-upgrades holds the dpkg lock for minutes; wait instead of failing.
const lockTimeout = ['-o', 'DPkg::Lock::Timeout=600'];

// Why (issue 9 item 6): every download has a bounded time, so a repository that drops packets fails in about a
// minute (20 s per try, 3 tries) naming its address, instead of hanging.
const networkTimeout = ['-o', 'Acquire::http::Timeout=20', '-o', 'Acquire::https::Timeout=20', '-o', 'Acquire::Retries=2'];

// DPkg::Lock::Timeout covers only dpkg's frontend lock: apt-get update's lists lock, the archives lock, and
// dpkg itself fail at once while another apt holds them (an apt left running by a killed labbox, or
// unattended-upgrades). So: try again while the failure is a lock, up to 10 minutes, streaming every attempt.
// Words are tokens (quoted by command.ts, issue 11 item 4); raw is only the loop's syntax and its variables.
const lockMessages = 'Could not get lock|lock was locked by|locked by another process|Unable to acquire the dpkg frontend lock';
const waiting = 'labbox: another apt or dpkg holds the lock; waiting for it (up to 10 minutes)';
const output = variable('f');
const status = variable('r');
const tries = variable('n');
const code = variable('rc');

/** One try: the command's output (both streams) shown and kept in $f, its exit code in $rc. */
const attempt: Command = chain(
	pipe([raw('{'), variable('@'), raw(';'), 'echo', raw('$?'), raw('>'), status, raw(';'), raw('}'), raw('2>&1')], ['tee', output]),
	[raw('rc=$(cat'), status, raw(')')],
);

/** After a try that failed on a lock (300 tries at most): say so once, wait 2 s; else leave the loop. */
const waitIfLocked: Command = any(
	group(
		combine(
			['test', code, '-ne', '0'],
			['test', tries, '-lt', '300'],
			['grep', '-qE', lockMessages, output],
			[raw('n=$((n+1))')],
			group(any(['test', tries, '-gt', '1'], ['echo', waiting])),
			['sleep', '2'],
		),
	),
	['break'],
);

const retryWhileLocked: Command = chain(
	[raw('f=$(mktemp)')],
	[raw('r=$(mktemp)')],
	[raw('n=0')],
	[raw('while :; do'), ...chain(attempt, waitIfLocked), raw('; done')],
	['rm', '-f', output, status],
	['exit', code],
);

/** Runs an apt or dpkg command again while another one holds a lock it needs; its exit code and output stay its own. */
export function untilUnlocked(command: Command): Command {
	return shownAs(shell(retryWhileLocked, 'sh', ...command), command);
}

/** apt-get with no questions and bounded waits; shown as `apt-get ARGS` (the options and the retry loop are plumbing). */
function aptGet(...args: readonly string[]): Command {
	const command = untilUnlocked(withEnv({DEBIAN_FRONTEND: 'noninteractive'}, ['apt-get', ...lockTimeout, ...networkTimeout, ...args]));
	return shownAs(command, ['apt-get', ...args]);
}

/** Refreshes the package lists. */
export function aptUpdate(): Command {
	return aptGet('update');
}

/** Installs packages without questions and without recommended extras. */
export function aptInstall(packages: readonly string[]): Command {
	return aptGet('install', '-y', '--no-install-recommends', ...packages);
}

/** Removes packages (their configuration stays). */
export function aptRemove(packages: readonly string[]): Command {
	return aptGet('remove', '-y', ...packages);
}

/** Prints `name status version` for each package dpkg knows; unknown ones only on stderr. */
export function packageStatus(packages: readonly string[]): Command {
	return ['dpkg-query', '-W', '-f', '${Package} ${db:Status-Status} ${Version}\\n', ...packages];
}

/**
 * Finishes what an interrupted dpkg left half done (an install killed on the server, or stopped by Ctrl-C): apt
 * refuses everything until then ("dpkg was interrupted, you must manually run 'dpkg --configure -a'").
 */
export function dpkgConfigurePending(): Command {
	return untilUnlocked(withEnv({DEBIAN_FRONTEND: 'noninteractive'}, ['dpkg', '--configure', '-a']));
}

/** Prints the journal entries an interrupted dpkg left (apt's own test for "dpkg was interrupted"); none: nothing. */
export function dpkgInterrupted(): Command {
	return quiet(pipe(['ls', '/var/lib/dpkg/updates'], ['grep', '-E', '^[0-9]+$']));
}
