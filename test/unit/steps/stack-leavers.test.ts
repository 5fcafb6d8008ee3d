// Issue 9 item 4: who loses their access when lab.yaml's allow list changes, and what the plan says.
import {describe, expect, it} from 'vitest';
import {toShell} from '../../../source/remote/command.js';
import {readTemplate} from '../../../source/templates/template-files.js';
import {hubContainer, listHubUsers, removeHubUsers} from '../../../steps/stack/commands.js';
import {findLeavers, removeLeavers} from '../../../steps/stack/hub-users.js';
import {leavers, parseHubUsers, removalChange, removedDetail, type AllowRules} from '../../../steps/stack/leavers.js';
import {FakeShell} from '../../helpers/ssh-fake.js';

const hub = parseHubUsers('{"name": "alice", "server": true}\n{"name": "bob", "server": true}\n{"name": "grace", "server": false}\n');
const names = (rules: AllowRules) => leavers(hub, rules).map(user => user.name);
const byName: AllowRules = {allowedUsers: ['bob', 'grace'], admins: [], allowedGroups: [], allowAll: false};

describe('leavers', () => {
	it('are the hub users no longer named in auth.allowedUsers', () => {
		expect(names(byName)).toEqual(['alice']);
		expect(names({...byName, allowedUsers: ['alice', 'bob', 'grace']})).toEqual([]);
		expect(names({...byName, allowedUsers: ['bob']})).toEqual(['alice', 'grace']);
	});

	it('keep admins: auth.admins may log in without being in auth.allowedUsers', () => {
		expect(names({...byName, admins: ['alice']})).toEqual([]);
	});

	it('compare names as JupyterHub does, lower-cased', () => {
		expect(names({...byName, allowedUsers: ['Alice', 'BOB', 'grace']})).toEqual([]);
	});

	it('are nobody while a group rule or allowAll may admit people the hub cannot judge by name', () => {
		expect(names({...byName, allowedGroups: ['physics']})).toEqual([]);
		expect(names({...byName, allowedUsers: [], allowAll: true})).toEqual([]);
	});
});

describe('the hub users client', () => {
	// Issue 11: `docker exec` on the hub's container, without the Compose plugin (the slowest fact of a no-op).
	it('runs hub_users.py inside the hub container, names as separate words', () => {
		expect(toShell(listHubUsers())).toBe('docker exec labbox-hub-1 python3 /etc/labbox/hub_users.py list');
		expect(toShell(removeHubUsers(['alice', 'o.brien']))).toBe(
			'docker exec labbox-hub-1 python3 /etc/labbox/hub_users.py remove alice o.brien',
		);
	});

	it("names the hub's container as compose does for the project of templates/compose.yaml", () => {
		const project = /^name: (\S+)$/m.exec(readTemplate('compose.yaml'))?.[1];
		expect(hubContainer).toBe(`${project}-hub-1`);
	});

	it('reads one JSON line per user and ignores anything else', () => {
		expect(parseHubUsers('warning: something\n{"name": "alice", "server": true}\n\n{"name": "bob", "server": false}')).toEqual([
			{name: 'alice', server: true},
			{name: 'bob', server: false},
		]);
	});

	it('says in the plan what removing a user does, and after it what was done', () => {
		expect(removalChange({name: 'alice', server: true})).toBe(
			"remove alice's access (stop their server, end their sessions; their home folder is kept)",
		);
		expect(removalChange({name: 'grace', server: false})).toBe("remove grace's access (end their sessions; their home folder is kept)");
		expect(removedDetail(['alice'])).toBe("removed alice's access");
		expect(removedDetail(['alice', 'grace'])).toBe('removed the access of alice, grace');
	});
});

describe('on the server', () => {
	const list = toShell(listHubUsers());
	const listing = {stdout: '{"name": "alice", "server": true}\n{"name": "bob", "server": true}\n'};
	const lab = {root: '/srv/lab', rules: {...byName, allowedUsers: ['bob']}};

	it('asks the hub, as root, and removes only the leavers, showing what the hub said', async () => {
		const shell = new FakeShell([
			[list, listing],
			[/ remove /, {stdout: "stopped alice's server\nremoved alice from the hub: sessions ended, tokens revoked\n"}],
		]);
		const lines: string[] = [];
		expect(await removeLeavers(shell, lab, {line: text => lines.push(text)})).toEqual(['alice']);
		expect(shell.calls.map(call => `${call.sudo ? 'sudo ' : ''}${call.command}`)).toEqual([
			`sudo ${list}`,
			`sudo ${toShell(removeHubUsers(['alice']))}`,
		]);
		expect(lines.slice(1)).toEqual(["stopped alice's server", 'removed alice from the hub: sessions ended, tokens revoked']);
	});

	it('runs nothing more when nobody left', async () => {
		const shell = new FakeShell([[list, listing]]);
		expect(await removeLeavers(shell, {...lab, rules: {...byName, allowedUsers: ['alice', 'bob']}}, {line: () => undefined})).toEqual([]);
		expect(shell.commands).toEqual([list]);
	});

	it('says why the hub could not list its users, and refuses to call the lab done then', async () => {
		const shell = new FakeShell([[list, {code: 3, stderr: 'labbox: /srv/jupyterhub/data/labbox-api-token does not exist yet\n'}]]);
		expect(await findLeavers(shell, lab)).toEqual({unknown: 'labbox: /srv/jupyterhub/data/labbox-api-token does not exist yet'});
		await expect(removeLeavers(shell, lab, {line: () => undefined})).rejects.toThrow(
			/The hub did not list its users, so users lab.yaml no longer allows still have their access: labbox: /,
		);
	});

	it("fails with the script's output when a removal fails", async () => {
		const shell = new FakeShell([
			[list, listing],
			[/ remove /, {code: 1, stderr: 'labbox: the hub API: DELETE /users/alice: HTTP 403 Action is not authorized\n'}],
		]);
		const failed = removeLeavers(shell, lab, {line: () => undefined});
		await expect(failed).rejects.toThrow('Removing the access of alice failed (exit code 1).');
		await expect(failed).rejects.toMatchObject({output: ['labbox: the hub API: DELETE /users/alice: HTTP 403 Action is not authorized']});
	});
});
