import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import type {ConfigKey} from '../../source/config/fields.js';
import {StepError, type Step, type StepContext} from '../../source/engine/types.js';
import {untrustedCertificate} from '../../source/acme/trust.js';

/** How a test step behaves; the "server" is a folder where apply leaves one marker file per step. */
export interface TestStepOptions {
	readonly inputs?: readonly ConfigKey[];
	readonly dependsOn?: readonly string[];
	/** Lines apply prints. */
	readonly lines?: number;
	/** How long apply takes (honours the abort signal). */
	readonly applyMs?: number;
	/** Apply throws a StepError with this message. */
	readonly failWith?: string;
	/** Check says blocked with this reason. */
	readonly blockedBy?: string;
	/** Apply prints this (to prove it is redacted). */
	readonly prints?: string;
	/** Check first runs `true` on the server over the run's SSH session, as every lab step does (its labShell). */
	readonly remote?: (ctx: StepContext) => Promise<{run(command: string[]): Promise<unknown>}>;
	/** Apply says `unchanged` when the server already holds what it would write (as the lab's steps do: issue 10 item 10). */
	readonly reportsUnchanged?: boolean;
	/** Apply makes the lab answer at this URL (as the stack step does). */
	readonly url?: string;
}

/** Counts of apply calls, by step id, kept in the server folder so other processes can read them. */
export function applyCount(serverDir: string, id: string): number {
	const file = path.join(serverDir, `${id}.applied`);
	return existsSync(file) ? Number(readFileSync(file, 'utf8')) : 0;
}

/** A step whose "server state" is `serverDir/ID` (its content: the inputs it was applied with). */
export function testStep(id: string, serverDir: string, options: TestStepOptions = {}): Step {
	const marker = path.join(serverDir, id);
	const wanted = (config: Readonly<Record<string, unknown>>) => JSON.stringify((options.inputs ?? []).map(key => config[key] ?? null));
	return {
		id,
		title: `Test step ${id}`,
		summary: `a test step that writes ${id}`,
		inputs: options.inputs,
		dependsOn: options.dependsOn,
		async check(ctx) {
			if (options.remote) {
				await (await options.remote(ctx)).run(['true']);
			}
			if (options.blockedBy) {
				return {status: 'blocked', reason: options.blockedBy, fix: `unblock ${id}`};
			}
			return existsSync(marker) ? {status: 'done', detail: `${id} is there`} : {status: 'todo', changes: [`create ${id}`]};
		},
		async apply(ctx, io) {
			mkdirSync(serverDir, {recursive: true});
			writeFileSync(path.join(serverDir, `${id}.applied`), String(applyCount(serverDir, id) + 1));
			if (options.prints) {
				io.line(options.prints);
			}
			for (let index = 1; index <= (options.lines ?? 0); index++) {
				io.line(`${id} line ${index}`);
			}
			if (options.applyMs) {
				io.progress(0.5, 'half way');
				await sleep(options.applyMs, undefined, {signal: ctx.signal});
			}
			if (options.failWith) {
				throw new StepError(options.failWith, `fix ${id}`);
			}
			if (options.reportsUnchanged && existsSync(marker) && readFileSync(marker, 'utf8') === wanted(ctx.config)) {
				io.detail(`${id} is as wanted`);
				return 'unchanged';
			}
			writeFileSync(marker, wanted(ctx.config));
			io.detail(`${id} written`);
			if (options.url) {
				// As the stack step does once the lab answers: its URL, and whether browsers trust its certificate.
				ctx.shared.set('url', options.url);
				ctx.shared.set('untrusted', untrustedCertificate(ctx.config));
			}
		},
	};
}

/**
 * Test steps from environment variables, for the test binary run as a real process:
 * TEST_LAB_SERVER (folder), TEST_LAB_STEPS (ids), TEST_LAB_SLOW (id:ms), TEST_LAB_FAIL (id), TEST_LAB_LINES (id:n),
 * TEST_LAB_REMOTE=1 (each check runs `true` on the server of lab.yaml first, through `remote`: the CLI's labShell),
 * TEST_LAB_URL_STEP (id: the step that makes the lab answer).
 */
export function stepsFromEnv(env: NodeJS.ProcessEnv, remote?: TestStepOptions['remote']): Step[] {
	const server = env.TEST_LAB_SERVER ?? path.join(process.cwd(), '.test-server');
	const [slowId, slowMs] = (env.TEST_LAB_SLOW ?? ':').split(':');
	const [linesId, lines] = (env.TEST_LAB_LINES ?? ':').split(':');
	return (env.TEST_LAB_STEPS ?? 'alpha beta gamma').split(' ').map(id =>
		testStep(id, server, {
			inputs: ['domain'],
			applyMs: id === slowId ? Number(slowMs) : 20,
			lines: id === linesId ? Number(lines) : 3,
			failWith: env.TEST_LAB_FAIL === id ? `${id} failed on purpose` : undefined,
			remote: env.TEST_LAB_REMOTE === '1' ? remote : undefined,
			url: env.TEST_LAB_URL_STEP === id ? 'https://lab.example.org' : undefined,
		}),
	);
}
