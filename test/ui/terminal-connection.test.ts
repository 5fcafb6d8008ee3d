// The SSH connection as a person meets it (issue 10 items 1, 2, 3, 8), in a real terminal (tmux, 80x24): the
// built CLI, whose test steps each use the run's SSH session as the lab's steps do, against an in-process SSH
// server, a port that accepts but never speaks, and a port where nothing listens.
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {createServer, type Server, type Socket} from 'node:net';
import path from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {pathToFileURL} from 'node:url';
import {execa} from 'execa';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {fingerprint, hashedEntry, lookup, readKnownHosts} from '../../source/remote/known-hosts.js';
import {root} from '../helpers/labbox-process.js';
import {makeKeyPair} from '../helpers/ssh-keys.js';
import {labForServer} from '../helpers/ssh-lab.js';
import {startSshServer, type FakeSshServer} from '../helpers/ssh-server.js';
import {TmuxTerminal} from '../helpers/tmux.js';

const command = `node --import ${pathToFileURL(path.join(root, 'node_modules/tsx/dist/loader.mjs')).href} ${path.join(root, 'test/helpers/labbox-test-bin.ts')}`;
const login = makeKeyPair();
let server: FakeSshServer;
let terminal: TmuxTerminal | undefined;

/** A lab folder and HOME for a server on 127.0.0.1:port, logging in as researcher with a key of its own. */
const labFor = (port: number, sshPort = 22) => labForServer(port, login.privateKey, sshPort);

/** `labbox` in an 80x24 terminal, as a newcomer runs it (no agent: the lab's key is the one to use). */
async function startLabbox(where: {lab: string; home: string}, args = ''): Promise<TmuxTerminal> {
	return TmuxTerminal.start(`${command} ${args}`, {
		cwd: where.lab,
		width: 80,
		height: 24,
		env: {
			TEST_LAB_BUILT: '1',
			TEST_LAB_REMOTE: '1',
			TEST_LAB_SERVER: path.join(where.lab, 'server'),
			HOME: where.home,
			SSH_AUTH_SOCK: '',
			NODE_ENV: 'production',
			TERM: 'xterm-256color',
		},
	});
}

/** A port on 127.0.0.1 where nothing listens (taken, then let go). */
async function closedPort(): Promise<number> {
	const closed = createServer();
	await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve));
	const {port} = closed.address() as {port: number};
	await new Promise<void>(resolve => closed.close(() => resolve()));
	return port;
}

/** The screen as one line: labbox breaks long messages between words at the terminal's width. */
const flat = (screen: string) => screen.replace(/\s+/g, ' ');
/** How long a screen may take to come: node starts slowly on a loaded machine (two cores, shared). */
const slow = 45_000;
const count = (text: string, part: string) => flat(text).split(part).length - 1;

describe('the SSH connection in a real terminal', {timeout: 180_000}, () => {
	beforeAll(async () => {
		server = await startSshServer({researcher: {publicKey: login.publicKey, sudo: 'nopasswd'}});
		await execa('npm', ['run', 'build'], {cwd: root});
	}, 120_000);

	afterAll(async () => {
		await server?.close();
	});

	afterEach(async () => {
		await terminal?.close();
		terminal = undefined;
	});

	it('item 1: a person who takes 25 s to compare the fingerprint is still connected when they say yes', async () => {
		const where = labFor(server.port);
		terminal = await startLabbox(where);
		const question = await terminal.waitFor(/Trust it\?/, slow);
		expect(question).toContain(fingerprint(server.hostKey.blob));
		// Longer than the 20 s handshake timeout, which used to count the person's thinking time.
		await sleep(25_000);
		await terminal.type('y');
		const plan = await terminal.waitFor(/Enter to start|EXIT=\d+/, slow);
		expect(plan).not.toContain('TypeError');
		expect(plan).toContain('Enter to start');
		await sleep(1000); // reading the plan (an Enter right after the y is the y's own: issue 10 item 14)
		await terminal.type('', 'Enter');
		const done = await terminal.waitFor(/EXIT=\d+/, slow);
		expect(done).toContain('EXIT=0');
		expect(done).toMatch(/3 changed/);
		// Asked once, remembered for the next runs.
		expect(count(done, 'Trust it?')).toBe(1);
		expect(lookup(await readKnownHosts(where.knownHosts), '127.0.0.1', server.port, server.hostKey).status).toBe('match');
	});

	it('issue 11: the plan and the run it starts share one SSH login; the host key is asked once', async () => {
		const where = labFor(server.port);
		const before = server.logins;
		terminal = await startLabbox(where);
		await terminal.waitFor(/Trust it\?/, slow);
		await terminal.type('y');
		await terminal.waitFor(/Enter to start/, slow);
		await sleep(1000); // reading the plan
		await terminal.type('', 'Enter');
		const done = await terminal.waitFor(/EXIT=\d+/, slow);
		expect(done).toContain('EXIT=0');
		expect(done).toMatch(/3 changed/);
		expect(count(done, 'Trust it?')).toBe(1);
		expect(server.logins - before).toBe(1);
	});

	it('item 2: one "No" to an unknown host key ends the run: nothing changed, how to pin the key, exit 2', async () => {
		const where = labFor(server.port);
		terminal = await startLabbox(where);
		await terminal.waitFor(/Trust it\?/, slow);
		await sleep(1500);
		await terminal.type('n');
		const done = await terminal.waitFor(/EXIT=\d+/, slow);
		expect(done).toContain('EXIT=2');
		expect(count(done, 'Trust it?')).toBe(1);
		expect(count(done, 'was not accepted')).toBe(1);
		expect(done).toContain('Nothing was changed.');
		expect(flat(done)).toContain(`\`server.hostKey: ${fingerprint(server.hostKey.blob)}\``);
		expect(done).not.toContain('Enter to start');
		expect(existsSync(where.knownHosts) ? readFileSync(where.knownHosts, 'utf8') : '').toBe('');
	});

	it('issue 9 gap 2: --yes with an unknown host key ends as a "No" does: exit 2, the key to pin, nothing changed', async () => {
		const where = labFor(server.port);
		terminal = await startLabbox(where, '--yes');
		const done = await terminal.waitFor(/EXIT=\d+/, slow);
		expect(done).toContain('EXIT=2');
		// The step's line and its box; the key to pin is whole between the box's borders.
		expect(done).toContain('cannot ask whether to trust it');
		expect(flat(done.replaceAll('│', ' '))).toContain(
			`\`server.hostKey: ${fingerprint(server.hostKey.blob)}\` (or --server-host-key / LABBOX_SERVER_HOST_KEY)`,
		);
		expect(done).toContain('0 changed');
		expect(done).not.toContain('Trust it?');
		expect(existsSync(where.knownHosts) ? readFileSync(where.knownHosts, 'utf8') : '').toBe('');
	});

	it('item 3: a port that accepts but never speaks: one attempt, shown live with its seconds, one failure, no plan', async () => {
		const sockets: Socket[] = [];
		const silent: Server = createServer(socket => sockets.push(socket));
		await new Promise<void>(resolve => silent.listen(0, '127.0.0.1', resolve));
		const {port} = silent.address() as {port: number};
		try {
			terminal = await startLabbox(labFor(port));
			// Live from the start (a loaded machine may take a while to start node), and the seconds go up.
			await terminal.waitFor(new RegExp(`Connecting to 127\\.0\\.0\\.1:${port}… \\d+s`), 30_000);
			const started = Date.now();
			await terminal.waitFor(new RegExp(`Connecting to 127\\.0\\.0\\.1:${port}… (?:[3-9]|1\\d)s`), 20_000);
			const done = await terminal.waitFor(/EXIT=\d+/, 60_000);
			// One handshake timeout (20 s), not one per step.
			const seconds = (Date.now() - started) / 1000;
			expect(done).toContain('EXIT=1');
			expect(count(done, `127.0.0.1:${port} took the connection, but no SSH server answered there`)).toBe(1);
			expect(done).not.toContain('Enter to start');
			expect(done).toContain('Nothing was changed.');
			expect(sockets).toHaveLength(1);
			expect(seconds).toBeLessThan(25);
		} finally {
			for (const socket of sockets) {
				socket.destroy();
			}
			silent.close();
		}
	});

	it('item 3: a port where nothing listens, given as a flag: the refusal is said once, no plan', async () => {
		const port = await closedPort();
		terminal = await startLabbox(labFor(port), `--server-port ${port}`);
		const done = await terminal.waitFor(/EXIT=\d+/, 30_000);
		expect(done).toContain('EXIT=1');
		expect(count(done, `Nothing answers on port ${port} of 127.0.0.1`)).toBe(1);
		expect(done).not.toContain('Enter to start');
		expect(done).not.toContain('Which port does sshd listen on now?');
	});

	it('item 11: a refused connection asks the port sshd listens on, before the plan; the answer is saved and used', async () => {
		const port = await closedPort();
		const where = labFor(port);
		terminal = await startLabbox(where);
		const asked = flat(await terminal.waitFor(/Which port does sshd listen on now\?/, slow));
		expect(asked).toContain(
			`Nothing answers on port ${port} of 127.0.0.1 (connection refused). Give the port you log in on (ssh -p PORT); it is saved as server.port.`,
		);
		expect(asked).not.toContain('Enter to start');
		await sleep(1500); // looking the port up
		await terminal.typeLikeAPerson('ssh', 'Enter');
		// Checked on Enter, in the question's words.
		await terminal.waitFor(/Expected a whole number from 1 to 65535, e\.g\. 22/, slow);
		await terminal.typeLikeAPerson('', 'C-u');
		await terminal.typeLikeAPerson(String(server.port), 'Enter');
		await terminal.waitFor(/Trust it\?/, slow);
		await terminal.type('y');
		const plan = await terminal.waitFor(/Enter to start|EXIT=\d+/, slow);
		expect(plan).toContain('Enter to start');
		expect(flat(plan)).toContain(`✔ Which port does sshd listen on now? ${server.port}`);
		await sleep(1000); // reading the plan
		await terminal.type('', 'Enter');
		expect(await terminal.waitFor(/EXIT=\d+/, slow)).toContain('EXIT=0');
		expect(readFileSync(path.join(where.lab, 'lab.yaml'), 'utf8')).toContain(`  port: ${server.port}\n`);
		expect(count(await terminal.screen(), 'Which port does sshd listen on now?')).toBe(1);
	});

	it('item 8: a changed host key names every known_hosts entry the lab uses for the server; running them as shown clears the way', async () => {
		const otherPort = server.port === 65_535 ? server.port - 1 : server.port + 1;
		const where = labFor(server.port, otherPort);
		// The server was reinstalled: known_hosts still holds its old key, for the port labbox connects on and for
		// the port an earlier run moved sshd to.
		const old = makeKeyPair().publicKey;
		writeFileSync(where.knownHosts, `${hashedEntry('127.0.0.1', server.port, old)}\n${hashedEntry('127.0.0.1', otherPort, old)}\n`, {
			mode: 0o600,
		});
		terminal = await startLabbox(where);
		const changed = flat(await terminal.waitFor(/EXIT=\d+/, slow));
		expect(changed).toContain('has CHANGED');
		expect(changed).toContain('EXIT=1');
		const removals = [...changed.matchAll(/`(ssh-keygen -R [^`]+)`/g)].map(match => match[1]!);
		expect(removals).toEqual([`ssh-keygen -R '[127.0.0.1]:${server.port}'`, `ssh-keygen -R '[127.0.0.1]:${otherPort}'`]);
		await terminal.close();
		// Typed as shown. ssh-keygen finds ~/.ssh in the account's passwd entry, not in $HOME: name this test's file.
		for (const removal of removals) {
			await execa('sh', ['-c', `${removal} -f ${where.knownHosts}`]);
		}
		expect(await readKnownHosts(where.knownHosts)).toEqual([]);
		terminal = await startLabbox(where);
		await terminal.waitFor(/Trust it\?/, slow);
		await terminal.type('y');
		await terminal.waitFor(/Enter to start/, slow);
		await sleep(1000); // reading the plan
		await terminal.type('', 'Enter');
		expect(await terminal.waitFor(/EXIT=\d+/, slow)).toContain('EXIT=0');
	});
});
