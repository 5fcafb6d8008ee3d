/** What Docker the server has: engine client, running daemon, Compose v2 plugin, legacy Compose v1. */
import {versionIn, type Fact} from './fact.js';

// Absent tools print nothing on stdout (the error goes to stderr): `false`, not "unknown".
function versionOrAbsent(output: string): string | false {
	return versionIn(output) ?? false;
}

/** The Docker client version (`docker --version`), or false when docker is not installed. */
export const dockerVersion: Fact<string | false> = {
	name: 'docker-version',
	command: ['docker', '--version'],
	parse: versionOrAbsent,
};

/** The version of the running daemon, or false when it does not answer (stopped, or not installed). */
export const dockerServer: Fact<string | false> = {
	name: 'docker-server',
	command: ['docker', 'info', '--format', '{{.ServerVersion}}'],
	parse: versionOrAbsent,
};

/** The Compose v2 plugin version (`docker compose`), or false without it. */
export const composeVersion: Fact<string | false> = {
	name: 'compose-version',
	command: ['docker', 'compose', 'version', '--short'],
	parse: versionOrAbsent,
};

/** The version of a legacy Compose v1 (`docker-compose` 1.x, end of life), or false when there is none. */
export const composeV1: Fact<string | false> = {
	name: 'compose-v1',
	command: ['docker-compose', 'version', '--short'],
	parse(output) {
		const version = versionIn(output);
		return version?.startsWith('1.') ? version : false;
	},
};
