// The run's SSH session begun before any step asks (issue 11, speed): the same session, the same words and
// errors as when the first step opens it, and nothing left open when the run ends first.
import {createServer, type Server, type Socket} from 'node:net';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {resolvedConfig} from '../../../source/config/resolve.js';
import {RunResources} from '../../../source/engine/resources.js';
import type {StepContext} from '../../../source/engine/types.js';
import {connectEarly, labShell} from '../../../source/remote/lab-session.js';
import {fingerprint} from '../../../source/remote/known-hosts.js';
import {makeKeyPair} from '../../helpers/ssh-keys.js';
import {labForServer} from '../../helpers/ssh-lab.js';
import {startedSshServer} from '../../helpers/ssh-server.js';

const login = makeKeyPair();
const server = startedSshServer({researcher: {publicKey: login.publicKey, sudo: 'nopasswd'}});

afterEach(() => {
	vi.unstubAllEnvs();
});

const nobodyToAsk = async (): Promise<string> => {
	throw new Error('nobody to ask');
};

/**
 * The configuration of a lab on 127.0.0.1:port, its host key pinned (no question can come up); HOME (and its
 * known_hosts, which a trusted key is written to) is the lab's own.
 */
function labConfig(port: number, hostKey = fingerprint(server().hostKey.blob), privateKey = login.privateKey) {
	const {lab, home} = labForServer(port, privateKey);
	vi.stubEnv('HOME', home);
	const config = resolvedConfig({
		'server.host': '127.0.0.1',
		'server.port': port,
		'server.user': 'researcher',
		'server.identityFile': 'id_test',
		'server.hostKey': hostKey,
		'ssh.port': 22,
	});
	return {config, labDir: lab, prompt: nobodyToAsk};
}

/** What labShell needs of a step: its log and live activity, recorded. */
function stepContext(resources: RunResources, run: ReturnType<typeof labConfig>) {
	const log: string[] = [];
	const said: string[] = [];
	const ctx = {
		...run,
		interactive: false,
		resources,
		signal: new AbortController().signal,
		log: (line: string) => log.push(line),
		activity: (text: string) => said.push(text),
	} as unknown as StepContext;
	return {ctx, log, said};
}

async function until(ready: () => boolean): Promise<void> {
	for (let tries = 0; tries < 200 && !ready(); tries++) {
		await new Promise(resolve => setTimeout(resolve, 25));
	}
}

describe('connectEarly (issue 11, speed)', () => {
	it('logs in before any step asks; the first step gets that session and its `logged in` line: one login', async () => {
		const resources = new RunResources();
		const run = labConfig(server().port);
		const before = server().logins;
		// Waited for on the laptop's side too: the server counts the login before the client has its session.
		await connectEarly(resources, run);
		expect(server().logins - before).toBe(1);

		const {ctx, log, said} = stepContext(resources, run);
		const shell = await labShell(ctx);
		const again = await labShell(stepContext(resources, run).ctx);
		expect(again.session).toBe(shell.session);
		expect((await shell.run(['echo', 'hello'])).stdout.trim()).toBe('hello');
		expect(server().logins - before).toBe(1);
		expect(log).toContain(`ssh: logged in to 127.0.0.1:${server().port} as researcher`);
		// Logged in already: there was nothing to wait on when the step asked.
		expect(said).toEqual([]);
		expect(await resources.disposeAll()).toEqual([]);
	});

	it('a step that asks while the login is under way shows `Connecting to…`; a run that ends first cuts it at once', async () => {
		const sockets: Socket[] = [];
		const closed: Socket[] = [];
		const silent: Server = createServer(socket => {
			sockets.push(socket);
			socket.resume(); // reads (and drops) what comes, so the end of the connection is seen
			socket.on('close', () => closed.push(socket));
		});
		await new Promise<void>(resolve => silent.listen(0, '127.0.0.1', resolve));
		const {port} = silent.address() as {port: number};
		try {
			const resources = new RunResources();
			const run = labConfig(port);
			connectEarly(resources, run);
			await until(() => sockets.length > 0);
			const {ctx, said} = stepContext(resources, run);
			const shell = labShell(ctx);
			expect(said).toEqual([`Connecting to 127.0.0.1:${port}…`]);
			const started = Date.now();
			await resources.disposeAll();
			await expect(shell).rejects.toMatchObject({kind: 'aborted'});
			await until(() => closed.length > 0);
			// Cut by the run's end, not by the handshake's 20 s timeout.
			expect(closed).toHaveLength(1);
			expect(Date.now() - started).toBeLessThan(5000);
		} finally {
			for (const socket of sockets) {
				socket.destroy();
			}
			silent.close();
		}
	});

	it("fails the first step with the same error as the step's own connection would (a refused login)", async () => {
		const stranger = makeKeyPair().privateKey;
		const early = new RunResources();
		const run = labConfig(server().port, undefined, stranger);
		connectEarly(early, run);
		const earlyError = await labShell(stepContext(early, run).ctx).then(
			() => new Error('connected'),
			(error: unknown) => error as Error,
		);
		const lazy = new RunResources();
		const lazyRun = labConfig(server().port, undefined, stranger);
		const lazyError = await labShell(stepContext(lazy, lazyRun).ctx).then(
			() => new Error('connected'),
			(error: unknown) => error as Error,
		);
		expect(earlyError).toBeInstanceOf(Error);
		expect(earlyError.message.replaceAll(run.labDir, 'LAB')).toBe(lazyError.message.replaceAll(lazyRun.labDir, 'LAB'));
		expect(earlyError.message).toContain('researcher');
		expect(early.anyFailed).toBe(true);
		await Promise.all([early.disposeAll(), lazy.disposeAll()]);
	});
});
