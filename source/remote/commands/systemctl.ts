/** Builders for systemd units, shared by the steps that manage services. */
import type {Command} from '../command.js';

/** Prints `active`, `inactive`, `failed`...; exits non-zero unless active. */
export function isActive(unit: string): Command {
	return ['systemctl', 'is-active', unit];
}

/** Prints `enabled`, `disabled`, `static`...; exits non-zero unless enabled. */
export function isEnabled(unit: string): Command {
	return ['systemctl', 'is-enabled', unit];
}

/** Enables a unit and, with `now`, starts it as well. */
export function enable(unit: string, options: {readonly now?: boolean} = {}): Command {
	return ['systemctl', 'enable', ...(options.now ? ['--now'] : []), unit];
}

/** Disables a unit and, with `now`, stops it as well. */
export function disable(unit: string, options: {readonly now?: boolean} = {}): Command {
	return ['systemctl', 'disable', ...(options.now ? ['--now'] : []), unit];
}

/** Starts a unit. */
export function start(unit: string): Command {
	return ['systemctl', 'start', unit];
}

/** Stops a unit. */
export function stop(unit: string): Command {
	return ['systemctl', 'stop', unit];
}

/** Restarts a unit. */
export function restart(unit: string): Command {
	return ['systemctl', 'restart', unit];
}

/** Reloads a unit's configuration without a restart. */
export function reload(unit: string): Command {
	return ['systemctl', 'reload', unit];
}

/** Re-reads unit files (after editing a unit or a drop-in, e.g. ssh.socket's ListenStream). */
export function daemonReload(): Command {
	return ['systemctl', 'daemon-reload'];
}
