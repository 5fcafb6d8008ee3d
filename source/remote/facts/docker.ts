/** What Docker the server has: engine client, running daemon, Compose v2 plugin, legacy Compose v1, its disk. */
import {raw, shell, type Command} from '../command.js';
import {nearestParentDf, parseDf, type DiskFree} from './disk-free.js';
import {lines, versionIn, type Fact} from './fact.js';

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

/** Where Docker keeps images: its data root when the engine answers, else the default. */
export const dockerDataRoot = '/var/lib/docker';

// The client lists its plugins with their versions (read from each plugin's metadata) whether the daemon answers
// or not; the daemon's fields are empty when it does not.
const infoFormat =
	'info={{.ServerVersion}}|{{.DockerRootDir}}|{{range .ClientInfo.Plugins}}{{if eq .Name "compose"}}{{.Version}}{{end}}{{end}}';

/**
 * ONE `docker info` for three facts, the daemon's version, the Compose plugin's version and the space where Docker
 * stores images (issue 11: each Docker client is a program of its own on the server, and `docker compose version`
 * starts the Compose plugin as well; the round trip of facts ran three). Prints `info=VERSION|DATA-ROOT|COMPOSE`,
 * then the data root (the default when the daemon does not say), then `df` of it.
 */
export const dockerInfo: Command = shell([
	raw(
		`i=$(docker info --format '${infoFormat}' 2>/dev/null); echo "$i"; p=\${i#info=*|}; p=\${p%%|*}; case "$p" in /*) ;; *) p=${dockerDataRoot} ;; esac; echo "$p"; set -- "$p"; ${nearestParentDf}`,
	),
]);

/** The `info=` line's fields (daemon version, data root, Compose version), or undefined without Docker. */
function infoFields(output: string): string[] | undefined {
	return lines(output)
		.find(line => line.startsWith('info='))
		?.slice('info='.length)
		.split('|');
}

/** The version of the running daemon, or false when it does not answer (stopped, or not installed). */
export const dockerServer: Fact<string | false> = {
	name: 'docker-server',
	command: dockerInfo,
	parse: output => versionOrAbsent(infoFields(output)?.[0] ?? ''),
};

/** The Compose v2 plugin version (`docker compose`), or false without it. */
export const composeVersion: Fact<string | false> = {
	name: 'compose-version',
	command: dockerInfo,
	parse: output => versionOrAbsent(infoFields(output)?.[2] ?? ''),
};

/** The space where Docker stores images (issue 9 item 9: a pull that fills the disk is refused before it starts). */
export const dockerDiskFree: Fact<DiskFree & {readonly dataRoot: string}> = {
	name: 'docker-disk-free',
	command: dockerInfo,
	parse(output) {
		const [dataRoot, ...df] = lines(output).filter(line => !line.startsWith('info='));
		const disk = parseDf(df.join('\n'));
		return dataRoot && disk ? {...disk, dataRoot} : undefined;
	},
};

/** The version of a legacy Compose v1 (`docker-compose` 1.x, end of life), or false when there is none. */
export const composeV1: Fact<string | false> = {
	name: 'compose-v1',
	// Debian's and Ubuntu's docker-compose is a link to the v2 plugin (cli-plugins/docker-compose): not asked, as
	// starting it is a Go program of its own (issue 11).
	command: shell([
		raw('case $(readlink -f "$(command -v docker-compose)") in */cli-plugins/*) ;; *) docker-compose version --short ;; esac'),
	]),
	parse(output) {
		const version = versionIn(output);
		return version?.startsWith('1.') ? version : false;
	},
};
