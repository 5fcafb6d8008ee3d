/** Builders for apt-get, shared by the steps that install packages. */
import {withEnv, type Command} from '../command.js';

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
