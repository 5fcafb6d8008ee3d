import {homedir} from 'node:os';
import path from 'node:path';

/** `~` and `~/...` in a path from a config file or lab.yaml, as ssh expands them. */
export function expandTilde(file: string, home = homedir()): string {
	return file === '~' || file.startsWith('~/') ? path.join(home, file.slice(1)) : file;
}

/** A local path from lab.yaml: `~/x` from home, relative ones from the lab folder. */
export function labFile(labDir: string, file: string): string {
	return path.resolve(labDir, expandTilde(file));
}

/** Where a lab folder keeps its files (one home for these names). */
export function labPaths(dir: string, configFile?: string) {
	const internal = path.join(dir, '.labbox');
	return {
		dir,
		config: configFile ? path.resolve(dir, configFile) : path.join(dir, 'lab.yaml'),
		secrets: path.join(dir, 'secrets.env'),
		internal,
		state: path.join(internal, 'state.json'),
		lock: path.join(internal, 'lock'),
		logs: path.join(internal, 'logs'),
	};
}

export type LabPaths = ReturnType<typeof labPaths>;
