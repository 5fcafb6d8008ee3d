import {resolvedConfig} from '../../../source/config/resolve.js';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {RunResources} from '../../../source/engine/resources.js';
import {StepError, type StepContext} from '../../../source/engine/types.js';
import {Session} from '../../../source/remote/session.js';
import {connect} from '../../../steps/connect/index.js';
import {makeKeyPair} from '../../helpers/ssh-keys.js';
import {startSshServer, type FakeSshServer} from '../../helpers/ssh-server.js';

const key = makeKeyPair();

let server: FakeSshServer;
const resources: RunResources[] = [];

beforeAll(async () => {
	server = await startSshServer({researcher: {password: 'research-pw', publicKey: key.publicKey, sudo: 'password'}});
});

afterAll(async () => {
	await Promise.all(resources.map(async made => made.disposeAll()));
	await server.close();
});

/** A context whose run session is already open on the fake server (logged in with a key, so no password but sudo's), and whose prompt answers as given. */
async function context(sudoPassword: string | undefined, answer: () => Promise<string>): Promise<StepContext> {
	const session = await Session.connect({
		host: '127.0.0.1',
		port: server.port,
		username: 'researcher',
		privateKey: key.privateKey,
		sudoPassword,
		hostVerifier: () => undefined,
	});
	const made = new RunResources();
	resources.push(made);
	await made.get(
		'ssh',
		async () => session,
		async opened => opened.close(),
	);
	return {
		config: resolvedConfig({'lab.root': '/srv/lab'}),
		facts: async () => ({}),
		signal: new AbortController().signal,
		labDir: '.',
		interactive: false,
		planning: false,
		shared: new Map(),
		resources: made,
		log: () => {},
		prompt: answer,
		keep: () => {},
		updateConfig: async () => {},
	};
}

// As the CLI's prompt under --yes: it cannot ask.
const cannotAsk = async () => {
	throw new StepError('sudo password: no answer (running with --yes or without a terminal).', 'Set server.sudoPassword in lab.yaml');
};

describe('connect: becoming root', () => {
	it('under --yes, a wrong sudo password is sudo’s refusal, with the secret’s variable as the fix (never lab.yaml)', async () => {
		const error = await connect.check(await context('wrong', cannotAsk)).catch((caught: unknown) => caught);
		expect(error).toMatchObject({
			kind: 'sudo-password',
			message: 'sudo on 127.0.0.1 refused the password of "researcher".',
			hint: 'Give the sudo password of researcher in LABBOX_SERVER_SUDO_PASSWORD (the environment, or secrets.env beside lab.yaml), or run labbox in a terminal without --yes to type it.',
		});
	});

	it('under --yes, a missing sudo password says sudo needs one, and where to give it', async () => {
		const error = await connect.check(await context(undefined, cannotAsk)).catch((caught: unknown) => caught);
		expect(error).toMatchObject({
			kind: 'sudo-password-needed',
			message: '"researcher" needs a password to use sudo on 127.0.0.1.',
			hint: /LABBOX_SERVER_SUDO_PASSWORD/,
		});
	});

	it('asks again after a wrong password, and goes on with the right one', async () => {
		const answers = ['still wrong', 'research-pw'];
		const ctx = await context('wrong', async () => answers.shift()!);
		const session = await ctx.resources.get<Session>('ssh', async () => {
			throw new Error('made above');
		});
		// The facts then run on this machine's sh (the fake server's), which is not what this test is about.
		await connect.check(ctx).catch(() => {});
		expect(answers).toEqual([]);
		expect(await session.sudoMode()).toBe('password');
	});
});
