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
import {listHubUsers} from './commands.js';
import {firewallFiles, firewallInPlace} from './firewall.js';

const text = (name: string, command: Command): Fact<string> => ({name, command, parse: output => output});

/** A command's output (both streams) and exit code, as `findLeavers` judges them. */
export interface Listed {
	readonly code: number;
	readonly output: string;
}

/** Runs a command and prints its output, then `@@exit CODE`: a fact that keeps why a command failed. */
function withExitCode(name: string, command: Command): Fact<Listed> {
	return {
		name,
		command: shell([raw('out=$("$@" 2>&1); code=$?; printf \'%s\\n@@exit %s\\n\' "$out" "$code"')], 'sh', ...command),
		parse(output) {
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
		hubUsers: withExitCode('hub-users', listHubUsers()),
	} satisfies FactSet;
}
