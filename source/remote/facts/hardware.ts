/** The machine's size: architecture, CPUs and memory. */
import {readFile} from '../commands/files.js';
import {lines, type Fact} from './fact.js';

/** `uname -m`: `x86_64`, `aarch64`... */
export const arch: Fact<string> = {
	name: 'arch',
	command: ['uname', '-m'],
	parse: output => lines(output)[0],
};

/** The CPUs this process may use. */
export const cpus: Fact<number> = {
	name: 'cpus',
	command: ['nproc'],
	parse(output) {
		const count = Number.parseInt(output.trim(), 10);
		return count > 0 ? count : undefined;
	},
};

/** Total memory in bytes (MemTotal of /proc/meminfo, given in KiB). */
export const memory: Fact<number> = {
	name: 'memory',
	command: readFile('/proc/meminfo'),
	parse(output) {
		const kib = /^MemTotal:\s+(\d+)\s+kB/m.exec(output)?.[1];
		return kib === undefined ? undefined : Number(kib) * 1024;
	},
};
