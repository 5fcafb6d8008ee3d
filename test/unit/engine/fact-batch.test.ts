import {resolvedConfig} from '../../../source/config/resolve.js';
// Issue 11: the facts of every selected step are read in ONE round trip over the run's one SSH login, before the
// checks; once a step has changed the server, the later steps' facts are read again (once), never reused stale.
import {existsSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {Redactor} from '../../../source/engine/redact.js';
import {RunResources} from '../../../source/engine/resources.js';
import {runSteps} from '../../../source/engine/runner.js';
import {emptyState} from '../../../source/engine/state.js';
import type {Step} from '../../../source/engine/types.js';
import {Session} from '../../../source/remote/session.js';
import {tempDir} from '../../helpers/lab-folder.js';
import {makeKeyPair} from '../../helpers/ssh-keys.js';
import {startSshServer, type FakeSshServer} from '../../helpers/ssh-server.js';

const key = makeKeyPair();
let server: FakeSshServer;

beforeAll(async () => {
	server = await startSshServer({root: {publicKey: key.publicKey}});
});

afterAll(async () => {
	await server.close();
});

/** A step whose one fact is whether its marker file exists on the "server" (this machine, through the fake sshd). */
function markerStep(id: string, folder: string): Step {
	const marker = path.join(folder, id);
	return {
		id,
		title: id,
		summary: id,
		facts: () => ({there: {name: `${id}-marker`, command: ['cat', marker], parse: output => output.trim() === 'made'}}),
		async check(ctx) {
			const {there} = await ctx.facts();
			return there === true ? {status: 'done'} : {status: 'todo', changes: [`make ${id}`]};
		},
		async apply() {
			writeFileSync(marker, 'made');
		},
	};
}

/** Runs the steps over one session to the fake server; returns what the server was asked. */
async function run(steps: readonly Step[], dir: string) {
	const resources = new RunResources();
	const [commands, logins] = [server.commands.length, server.logins];
	await resources.get(
		'ssh',
		async () =>
			Session.connect({host: '127.0.0.1', port: server.port, username: 'root', privateKey: key.privateKey, hostVerifier: () => undefined}),
		async session => session.close(),
	);
	try {
		const summary = await runSteps({
			steps,
			mode: 'setup',
			config: resolvedConfig({}),
			stateFile: path.join(dir, 'state.json'),
			labDir: dir,
			state: emptyState,
			redactor: new Redactor(),
			signal: new AbortController().signal,
			prompt: async () => '',
			listeners: [],
			command: 'labbox',
			resources,
		});
		return {summary, commands: server.commands.slice(commands), logins: server.logins - logins};
	} finally {
		await resources.disposeAll();
	}
}

describe('the facts of a run (issue 11)', () => {
	it('a no-op run reads every step’s facts in one round trip over one login', async () => {
		const dir = tempDir();
		for (const id of ['a', 'b', 'c']) {
			writeFileSync(path.join(dir, id), 'made');
		}
		const {summary, commands, logins} = await run(
			['a', 'b', 'c'].map(id => markerStep(id, dir)),
			dir,
		);
		expect(summary.outcomes.map(outcome => outcome.result)).toEqual(['ok', 'ok', 'ok']);
		expect(logins).toBe(1);
		expect(commands).toHaveLength(1);
		expect(commands[0]).toContain('@@labbox-fact a/there@@');
		expect(commands[0]).toContain('@@labbox-fact c/there@@');
	});

	it('after a step changed the server, its verify and the later checks read the facts again, once', async () => {
		const dir = tempDir();
		writeFileSync(path.join(dir, 'a'), 'made');
		writeFileSync(path.join(dir, 'c'), 'made');
		const {summary, commands} = await run(
			['a', 'b', 'c'].map(id => markerStep(id, dir)),
			dir,
		);
		expect(summary.outcomes.map(outcome => outcome.result)).toEqual(['ok', 'changed', 'ok']);
		expect(existsSync(path.join(dir, 'b'))).toBe(true);
		// The first read (a, b, c), then after b's apply one read for b's verify and c's check together.
		expect(commands).toHaveLength(2);
		expect(commands[1]).not.toContain('a/there');
		expect(commands[1]).toContain('b/there');
		expect(commands[1]).toContain('c/there');
	});
});
