/** Whether systemd runs the server (sd_booted's test), which every service step relies on. */
import {any, combine} from '../command.js';
import {isDirectory} from '../commands/files.js';
import {lines, type Fact} from './fact.js';

export const systemd: Fact<boolean> = {
	name: 'systemd',
	command: any(combine(isDirectory('/run/systemd/system'), ['echo', 'yes']), ['echo', 'no']),
	parse(output) {
		const answer = lines(output)[0];
		return answer === 'yes' ? true : answer === 'no' ? false : undefined;
	},
};
