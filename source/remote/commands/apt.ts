/** Builders for apt-get, shared by the steps that install packages. */
import {pipe, quiet, raw, shell, withEnv, type Command} from '../command.js';

// Why: on a fresh server unattended-upgrades holds the dpkg lock for minutes; wait instead of failing.
const lockTimeout = ['-o', 'DPkg::Lock::Timeout=600'];

function aptGet(...args: readonly string[]): Command {
	return withEnv({DEBIAN_FRONTEND: 'noninteractive'}, ['apt-get', ...lockTimeout, ...args]);
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

// dpkg has no lock timeout of its own: while another apt or dpkg holds the lock, try again, as long as apt would wait.
const configurePending =
	"n=0; until out=$(dpkg --configure -a 2>&1); do case $out in *lock*) ;; *) printf '%s\\n' \"$out\"; exit 1;; esac; " +
	"n=$((n+1)); [ $n -lt 300 ] || { printf '%s\\n' \"$out\"; exit 1; }; sleep 2; done; printf '%s\\n' \"$out\"";

/**
 * Finishes what an interrupted dpkg left half done (an install killed on the server, or stopped by Ctrl-C): apt
 * refuses everything until then ("dpkg was interrupted, you must manually run 'dpkg --configure -a'").
 */
export function dpkgConfigurePending(): Command {
	return withEnv({DEBIAN_FRONTEND: 'noninteractive'}, shell([raw(configurePending)]));
}

/** Prints the journal entries an interrupted dpkg left (apt's own test for "dpkg was interrupted"); none: nothing. */
export function dpkgInterrupted(): Command {
	return quiet(pipe(['ls', '/var/lib/dpkg/updates'], ['grep', '-E', '^[0-9]+$']));
}
