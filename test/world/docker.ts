import {execa, type Options} from 'execa';

/** Runs the docker CLI; throws with docker's own stderr on failure. */
export async function docker(args: string[], options: Options = {}): Promise<string> {
	const result = await execa('docker', args, {...options});
	return String(result.stdout ?? '').trim();
}

/** Like docker(), but answers undefined instead of throwing (for "does it exist" probes). */
export async function dockerMaybe(args: string[]): Promise<string | undefined> {
	const result = await execa('docker', args, {reject: false});
	return result.exitCode === 0 ? String(result.stdout).trim() : undefined;
}

export async function imageExists(ref: string): Promise<boolean> {
	return (await dockerMaybe(['image', 'inspect', '--format', '{{.Id}}', ref])) !== undefined;
}

export async function containerRunning(name: string): Promise<boolean> {
	return (await dockerMaybe(['container', 'inspect', '--format', '{{.State.Running}}', name])) === 'true';
}

/** Runs a shell command inside a container, as root; stdin may be passed (for secrets). */
export async function dockerExec(
	container: string,
	script: string,
	{input, env = {}}: {input?: string; env?: Record<string, string>} = {},
) {
	const envFlags = Object.entries(env).flatMap(([name, value]) => ['-e', `${name}=${value}`]);
	const stdinFlag = input === undefined ? [] : ['-i'];
	return execa('docker', ['exec', ...stdinFlag, ...envFlags, container, 'sh', '-c', script], {input, reject: false});
}
