import {readFileSync} from 'node:fs';
import path from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {execa, type Options} from 'execa';
import type {LabState} from '../../source/engine/state.js';

export const root = fileURLToPath(new URL('../..', import.meta.url));
const tsx = pathToFileURL(path.join(root, 'node_modules/tsx/dist/loader.mjs')).href;
const bin = path.join(root, 'test/helpers/labbox-test-bin.ts');
/** The command line that starts labbox with test steps, for a shell (paths without quotes in them). */
export const labboxCommandLine = `node --import '${tsx}' '${bin}'`;

/** A lab.yaml that needs no question, and the one secret from the environment. */
export const completeYaml =
	'server:\n  host: 203.0.113.7\ndomain: lab.example.org\ncertificate:\n  email: ada@example.org\nbackup:\n  repository: none\nauth:\n  type: github\n  clientId: Iv1.abc\n  allowedUsers: [ada]\n';
export const secretEnv = {LABBOX_AUTH_CLIENT_SECRET: 'client-secret-1234'};

/** Starts labbox (with test steps) as a real process in a lab folder, without a terminal. */
export function labbox(args: readonly string[], options: Options & {cwd: string}) {
	return execa('node', ['--import', tsx, bin, ...args], {
		reject: false,
		all: true,
		...options,
		env: {CI: 'true', TSX_TSCONFIG_PATH: path.join(root, 'tsconfig.json'), ...secretEnv, ...options.env},
	});
}

/** Waits (bounded) until the lab's state file says `predicate`. */
export async function waitForState(labDir: string, predicate: (state: LabState) => boolean, timeoutMs = 20_000): Promise<LabState> {
	const file = path.join(labDir, '.labbox', 'state.json');
	const until = Date.now() + timeoutMs;
	while (Date.now() < until) {
		try {
			const state = JSON.parse(readFileSync(file, 'utf8')) as LabState;
			if (predicate(state)) {
				return state;
			}
		} catch {}
		await sleep(50);
	}
	throw new Error(`state in ${labDir} never matched within ${timeoutMs} ms`);
}
