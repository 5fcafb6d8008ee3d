/**
 * The stack step's facts, as data (issue 11: read with every other step's in one round trip): the server's size
 * (the limits' defaults), the state of every file the lab places, the services, the notebook firewall, and the
 * hub's users.
 */
import type {LabConfig} from '../../source/config/fields.js';
import {raw, shell, type Command} from '../../source/remote/command.js';
import type {Fact} from '../../source/remote/facts/fact.js';
import type {FactSet} from '../../source/remote/facts/gather.js';
import {cpus, memory} from '../../source/remote/facts/hardware.js';
import {labFiles} from '../../source/templates/lab-files.js';
import {imageSettings, labSettings} from '../../source/templates/settings.js';
import {fileStates} from '../../source/remote/facts/file-state.js';
import {placeFiles} from '../../source/templates/lab-files.js';
import {labContainers} from '../../source/remote/commands/lab-containers.js';
import {hubApi, listHubUsers} from './commands.js';
import {firewallFiles, firewallInPlace} from './firewall.js';

const text = (name: string, command: Command): Fact<string> => ({name, command, parse: output => output});

/** A command's output (both streams) and exit code, as `findLeavers` judges them. */
export interface Listed {
	readonly code: number;
	readonly output: string;
}

// Runs the command in "$@" and prints its output (both streams), then `@@exit CODE`: keeps why a command failed.
const withExitCode = 'out=$("$@" 2>&1); code=$?; printf \'%s\\n@@exit %s\\n\' "$out" "$code"';

// The hub's users from its REST API, by curl on the server (issue 11, speed: 0.05 s instead of 0.2 s for a Python
// started in the hub container). The token goes to curl on stdin (`-H @-`, never in a process list) and never
// leaves the server: only the API's answer is printed. Only a whole answer (one page: `"next": null`) counts;
// without the bridge up, the token, curl or such an answer, hub_users.py answers as before.
const fromApi = [
	'bridge=$1 token=$2 url=$3; shift 3;',
	'if [ "$(cat "/sys/class/net/$bridge/operstate" 2>/dev/null)" = up ] && [ -r "$token" ] && command -v curl >/dev/null 2>&1 &&',
	'out=$({ printf \'Authorization: token \'; cat "$token"; } | curl -fsS --connect-timeout 1 --max-time 20 -H @- -H \'Accept: application/jupyterhub-pagination+json\' "$url" 2>/dev/null); then',
	'case $out in *\'"next": null}\'*) printf \'@@hub-api\\n%s\\n\' "$out"; exit 0;; esac; fi;',
].join(' ');

const apiMark = /^@@hub-api\n/;

/** The API's page of users as hub_users.py lists them (`{"name", "server", "last_activity"}` lines); pure. */
function listedFromApi(body: string): Listed {
	try {
		const page = JSON.parse(body) as {items?: unknown; _pagination?: {next?: unknown}};
		const items = page.items as Array<Record<string, unknown>> | undefined;
		if (Array.isArray(items) && page._pagination?.next === null && items.every(user => typeof user?.name === 'string')) {
			const lines = items.map(user => {
				// hub_users.py: `bool(user.get('servers'))`, a non-empty object of named servers.
				const servers = user.servers;
				const server = typeof servers === 'object' && servers !== null && Object.keys(servers).length > 0;
				return JSON.stringify({name: user.name, server, last_activity: user.last_activity ?? null});
			});
			return {code: 0, output: lines.join('\n')};
		}
	} catch {
		// Not JSON: said below.
	}
	return {code: 1, output: 'the hub API answered with a list of users labbox does not read'};
}

/** Who the hub knows: its API asked from the server, else hub_users.py in the hub container (`findLeavers` judges it). */
export function hubUsersFact(root: string): Fact<Listed> {
	return {
		name: 'hub-users',
		command: shell(
			[raw(`${fromApi} ${withExitCode}`)],
			'sh',
			hubApi.bridge,
			hubApi.tokenFile(root),
			`${hubApi.users}?limit=200`,
			...listHubUsers(),
		),
		parse(output) {
			if (apiMark.test(output)) {
				return listedFromApi(output.replace(apiMark, '').trim());
			}
			const match = /\n?@@exit (\d+)\n?$/.exec(output);
			return match ? {code: Number(match[1]), output: output.slice(0, match.index)} : undefined;
		},
	};
}

/**
 * Every path the stack places, for this configuration: its files rendered with stand-in sizes (the sizes change
 * contents, never paths) and a stand-in login CA when auth.caFile is set, plus the notebook firewall's.
 */
export function stackPaths(config: LabConfig): string[] {
	const root = String(config['lab.root']);
	const files = labFiles({
		settings: labSettings(config, {cpus: 1, memory: 1024 ** 3}),
		secrets: {clientSecret: ''},
		images: imageSettings(config),
		loginCa: config['auth.caFile'] === undefined ? undefined : 'ca',
	});
	return [...placeFiles(root, files), ...firewallFiles()].map(file => file.path);
}

export function stackFacts(config: LabConfig) {
	return {
		cpus,
		memory,
		fileStates: fileStates(stackPaths(config)),
		services: text('lab-containers', labContainers()),
		firewall: text('notebook-firewall', firewallInPlace()),
		// Asked even when the hub does not run (it then fails, and the answer is not used).
		hubUsers: hubUsersFact(String(config['lab.root'])),
	} satisfies FactSet;
}
