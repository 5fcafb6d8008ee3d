import path from 'node:path';

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
