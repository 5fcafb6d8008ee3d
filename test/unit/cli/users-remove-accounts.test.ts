// Polish item 5: `labbox users remove NAME` on a lab with its own accounts (auth.type local) removes the account
// through the hub (hub_users.py remove-account, inside the hub container), after the plan; the home stays; the
// admin's account and names without one are refused before anything runs. The server is the in-process SSH server;
// `docker` there is a stand-in that answers as the hub container does (the e2e test lab-local.test.ts runs the real one).
import {chmodSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {fingerprint} from '../../../source/remote/known-hosts.js';
import {tempDir} from '../../helpers/lab-folder.js';
import {labbox} from '../../helpers/labbox-process.js';
import {makeKeyPair} from '../../helpers/ssh-keys.js';
import {startSshServer, type FakeSshServer} from '../../helpers/ssh-server.js';

const login = makeKeyPair();
const bin = tempDir('labbox-fake-docker-');
const calls = path.join(bin, 'calls');
const originalPath = process.env.PATH;
let server: FakeSshServer;

// The hub container's hub_users.py as the stand-in `docker exec` answers it.
writeFileSync(
	path.join(bin, 'docker'),
	`#!/bin/sh
echo "$*" >> ${calls}
case "$*" in
  *"hub_users.py accounts") printf '%s\\n' '{"name": "ada", "authorized": true}' '{"name": "carol", "authorized": true}' '{"name": "erin", "authorized": false}' ;;
  *"hub_users.py remove-account"*) for name in $(echo "$*" | sed 's/.*remove-account //'); do echo "removed $name's lab account: they can no longer log in"; done ;;
  *) echo "unexpected: $*" >&2; exit 9 ;;
esac
`,
);
chmodSync(path.join(bin, 'docker'), 0o755);

function lab(): string {
	const dir = tempDir();
	writeFileSync(path.join(dir, 'id_test'), login.privateKey, {mode: 0o600});
	writeFileSync(
		path.join(dir, 'lab.yaml'),
		`server:\n  host: 127.0.0.1\n  port: ${server.port}\n  user: researcher\n  identityFile: id_test\n  hostKey: ${fingerprint(server.hostKey.blob)}\ndomain: lab.example.org\ncertificate:\n  mode: self-signed\nauth:\n  type: local\n  admins: [ada]\nbackup:\n  repository: none\n`,
	);
	return dir;
}

const run = async (dir: string, ...argv: string[]) => {
	const home = tempDir('labbox-home-');
	mkdirSync(path.join(home, '.ssh'), {mode: 0o700});
	return labbox(argv, {cwd: dir, env: {HOME: home, SSH_AUTH_SOCK: '', LABBOX_AUTH_ADMIN_PASSWORD: 'correct horse battery'}});
};
const called = () => readFileSync(calls, 'utf8').trim().split('\n').filter(Boolean);

beforeAll(async () => {
	process.env.PATH = `${bin}:${originalPath}`;
	server = await startSshServer({researcher: {publicKey: login.publicKey, sudo: 'nopasswd'}});
});

afterAll(async () => {
	process.env.PATH = originalPath;
	await server.close();
});

beforeEach(() => {
	writeFileSync(calls, '');
});

describe('labbox users remove on a lab with its own accounts', {timeout: 60_000}, () => {
	it('shows the plan, removes the accounts through the hub, keeps the homes, and leaves lab.yaml as it was', async () => {
		const dir = lab();
		const before = readFileSync(path.join(dir, 'lab.yaml'), 'utf8');
		const result = await run(dir, 'users', 'remove', 'carol', 'Erin', '--yes');
		expect(result.exitCode, String(result.all)).toBe(0);
		expect(String(result.stdout)).toContain(
			"remove carol's lab account: they can no longer log in; their notebook server stops, their sessions and tokens end; /srv/lab/homes/carol is kept",
		);
		expect(String(result.stdout)).toContain("removed erin's lab account: they can no longer log in");
		expect(called()).toEqual([
			'exec labbox-hub-1 python3 /etc/labbox/hub_users.py accounts',
			'exec labbox-hub-1 python3 /etc/labbox/hub_users.py remove-account carol erin',
		]);
		expect(server.commands.some(command => command.includes('rm '))).toBe(false);
		expect(readFileSync(path.join(dir, 'lab.yaml'), 'utf8')).toBe(before);
	});

	it("refuses the admin's account (labbox keeps it) and a name without an account: exit 2, nothing removed", async () => {
		const admin = await run(lab(), 'users', 'remove', 'ada', 'carol', '--yes');
		expect(admin.exitCode, String(admin.all)).toBe(2);
		expect(String(admin.stderr)).toContain("ada is the admin's lab account, which labbox keeps (auth.admins)");
		const unknown = await run(lab(), 'users', 'remove', 'carol', 'nobody', '--yes');
		expect(unknown.exitCode, String(unknown.all)).toBe(2);
		expect(String(unknown.stderr)).toContain('nobody has no lab account: nothing to remove');
		expect(called().filter(call => call.includes('remove-account'))).toEqual([]);
	});

	it('without a terminal and without --yes: the plan, then nothing changed (exit 2)', async () => {
		const result = await run(lab(), 'users', 'remove', 'carol');
		expect(result.exitCode, String(result.all)).toBe(2);
		expect(String(result.all)).toContain("remove carol's lab account");
		expect(String(result.stderr)).toContain('Nothing was changed: without a terminal, add --yes');
		expect(called().filter(call => call.includes('remove-account'))).toEqual([]);
	});
});
