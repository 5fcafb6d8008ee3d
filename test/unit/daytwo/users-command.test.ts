// `labbox users add|remove` up to the server (issue 13 item 1): what is refused before anything changes, the plan,
// --yes, and lab.yaml edited in place before the stack step runs. The stack step's run is a stand-in here; the
// e2e test users.test.ts runs it for real.
import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {PassThrough} from 'node:stream';
import {describe, expect, it} from 'vitest';
import {main} from '../../../source/cli/main.js';
import {usersChange} from '../../../source/cli/users-command.js';
import type {Io} from '../../../source/cli/context.js';
import {captured} from '../../helpers/captured.js';
import {tempDir} from '../../helpers/lab-folder.js';

const labYaml = `# the lab of the Lovelace group
server:
  host: lab.example.org
domain: lab.example.org
certificate:
  email: ada@example.org
backup:
  repository: none
auth:
  type: github
  clientId: Iv1.0123456789abcdef
  allowedUsers:
    - ada # PI
  admins: [ada]
`;

function folder(text = labYaml) {
	const dir = tempDir();
	writeFileSync(path.join(dir, 'lab.yaml'), text);
	return dir;
}

async function users(dir: string, action: 'add' | 'remove', names: string[], options: Record<string, unknown> = {}, yes = false) {
	const [stdout, stderr] = [captured(), captured()];
	const io = {
		stdout: stdout.stream,
		stderr: stderr.stream,
		stdin: new PassThrough(),
		env: {CI: 'true', LABBOX_AUTH_CLIENT_SECRET: 'a-client-secret'},
		cwd: dir,
		steps: [],
		launcher: 'labbox',
	} as unknown as Io;
	const runs: string[] = [];
	const code = await usersChange(action, names, {yes}, options, io, async () => {
		runs.push(readFileSync(path.join(dir, 'lab.yaml'), 'utf8'));
		return 0;
	});
	return {code, stdout: stdout.text(), stderr: stderr.text(), runs, yaml: readFileSync(path.join(dir, 'lab.yaml'), 'utf8')};
}

describe('labbox users add|remove (issue 13 item 1)', () => {
	it('a name the provider or a folder could not have is refused at once: exit 2, lab.yaml untouched, nothing run', async () => {
		const dir = folder();
		const result = await users(dir, 'add', ['grace', '../root'], {}, true);
		expect(result.code).toBe(2);
		expect(result.stderr).toBe(
			'"../root" cannot be a user name: the hub and the home folders take 1 to 128 letters, digits and . _ @ + - starting with a letter or digit\nNothing was changed.\n',
		);
		expect(result.yaml).toBe(labYaml);
		expect(result.runs).toEqual([]);
	});

	it('shows the plan, and without a terminal and without --yes changes nothing (exit 2, says how)', async () => {
		const result = await users(folder(), 'add', ['grace']);
		expect(result.code).toBe(2);
		expect(result.stdout).toContain(
			'Plan:\n  • lab.yaml: add grace to auth.allowedUsers\n  • labbox run stack: the hub restarts with the new lists',
		);
		expect(result.stderr).toBe('Nothing was changed: without a terminal, add --yes to go ahead (labbox users add grace --yes).\n');
		expect(result.yaml).toBe(labYaml);
		expect(result.runs).toEqual([]);
	});

	it('with --yes: lab.yaml gets the name, comments kept, before the stack step runs', async () => {
		const result = await users(folder(), 'add', ['grace'], {admin: true}, true);
		expect(result.code).toBe(0);
		const expected = labYaml.replace('    - ada # PI\n  admins: [ada]', '    - ada # PI\n    - grace\n  admins: [ada, grace]');
		expect(result.runs).toEqual([expected]);
		expect(result.yaml).toBe(expected);
	});

	it('a user already allowed: nothing to change, nothing run', async () => {
		const result = await users(folder(), 'add', ['ADA'], {}, true);
		expect(result.code).toBe(0);
		expect(result.stdout).toBe('Nothing to change: ADA is already allowed in lab.yaml.\n');
		expect(result.runs).toEqual([]);
	});

	it('removing says the server stops and the home is kept; a name not in lab.yaml is refused', async () => {
		const text = labYaml.replace('    - ada # PI\n', '    - ada # PI\n    - grace\n');
		const result = await users(folder(text), 'remove', ['grace'], {}, true);
		expect(result.code).toBe(0);
		expect(result.stdout).toContain("  • stop grace's notebook server and end their sessions and tokens; /srv/lab/homes/grace is kept\n");
		expect(result.yaml).toBe(labYaml);
		const unknown = await users(folder(), 'remove', ['carol'], {}, true);
		expect(unknown.code).toBe(2);
		expect(unknown.stderr).toBe(
			'carol is not in auth.allowedUsers or auth.admins: nothing to remove (`labbox users` lists who is). Nothing was changed.\n',
		);
	});

	it('removing the last allowed user is refused: the lab would have an empty allow list', async () => {
		const result = await users(folder(), 'remove', ['ada'], {}, true);
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(
			/^auth: the allow list is empty, so anyone with a GitHub account could log in\. .*\nNothing was changed\.\n$/,
		);
		expect(result.yaml).toBe(labYaml);
	});

	it('--delete-home goes with remove only', async () => {
		const result = await users(folder(), 'add', ['grace'], {deleteHome: true}, true);
		expect(result.code).toBe(2);
		expect(result.stderr).toBe('--delete-home goes with `labbox users remove`. Nothing was changed.\n');
	});

	it('through main: the hint names the command as the user runs labbox', async () => {
		const dir = folder();
		const [stdout, stderr] = [captured(), captured()];
		const code = await main(['users', 'add', 'grace'], {
			stdout: stdout.stream as never,
			stderr: stderr.stream as never,
			stdin: new PassThrough() as never,
			env: {CI: 'true', LABBOX_AUTH_CLIENT_SECRET: 'a-client-secret'},
			cwd: dir,
		});
		expect(code).toBe(2);
		expect(stderr.text()).toBe('Nothing was changed: without a terminal, add --yes to go ahead (labbox users add grace --yes).\n');
	});
});

describe('labbox users with lab accounts (issue 14): refused before anything connects', () => {
	const localYaml = `server:
  host: lab.example.org
domain: lab.example.org
certificate:
  email: ada@example.org
auth:
  type: local
  admins: [ada]
backup:
  repository: none
`;
	async function run(args: string[], text = localYaml) {
		const dir = folder(text);
		const [stdout, stderr] = [captured(), captured()];
		const code = await main(args, {
			stdout: stdout.stream as never,
			stderr: stderr.stream as never,
			stdin: new PassThrough() as never,
			env: {CI: 'true', LABBOX_AUTH_ADMIN_PASSWORD: 'Tea-at-4-in-the-lab', LABBOX_AUTH_CLIENT_SECRET: 'a-client-secret'},
			cwd: dir,
		});
		return {code, stdout: stdout.text(), stderr: stderr.text(), yaml: readFileSync(path.join(dir, 'lab.yaml'), 'utf8')};
	}

	it('approve is for lab accounts: on a GitHub lab it says what to run instead, exit 2', async () => {
		const result = await run(['users', 'approve', 'grace', '--yes'], labYaml);
		expect(result.code).toBe(2);
		expect(result.stderr).toBe(
			'`labbox users approve` is for lab accounts (auth.type local); this lab logs in with github: `labbox users add NAME` allows a user there. Nothing was changed.\n',
		);
	});

	it('approve refuses a name no account could have, before connecting', async () => {
		const result = await run(['users', 'approve', '../root', '--yes']);
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/^"\.\.\/root" cannot be a user name: .*\nNothing was changed\.\n$/);
	});

	it('add on a lab with its own accounts: one name at a time, no --admin (admins are made in /hub/admin); lab.yaml untouched', async () => {
		const two = await run(['users', 'add', 'grace', 'dave', '--yes']);
		expect(two.code).toBe(2);
		expect(two.stderr).toBe(
			'With lab accounts, add one user at a time: each gets a password of their own, shown once. Nothing was changed.\n',
		);
		const admin = await run(['users', 'add', 'grace', '--admin', '--yes']);
		expect(admin.code).toBe(2);
		expect(admin.stderr).toBe(
			'With lab accounts, make admins in /hub/admin once they have an account (auth.admins names only the account labbox keeps). Nothing was changed.\n',
		);
		expect(admin.yaml).toBe(localYaml);
	});
});
