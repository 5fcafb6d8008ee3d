import {describe, expect, it} from 'vitest';
import {logsCommand, logSource, notebookContainer, parseSince} from '../../../source/daytwo/log-sources.js';
import {toShell} from '../../../source/remote/command.js';
import {sshArgs} from '../../../source/daytwo/ssh-args.js';

describe('labbox logs: where each log is (issue 13 item 2)', () => {
	it('the hub and nginx from compose, since and follow passed on', () => {
		expect(toShell(logsCommand({kind: 'service', name: 'hub'}, '/srv/lab', {sinceSeconds: 600}))).toBe(
			'docker compose --file /srv/lab/compose.yaml logs --no-color --since 600s hub',
		);
		expect(toShell(logsCommand({kind: 'all'}, '/srv/lab', {follow: true}))).toBe(
			'docker compose --file /srv/lab/compose.yaml logs --no-color --follow',
		);
	});

	it("the renewer and the backup from their units' journals; a user's notebook server from its container", () => {
		expect(toShell(logsCommand({kind: 'service', name: 'renewer'}, '/srv/lab', {sinceSeconds: 7200, follow: true}))).toBe(
			'journalctl --unit labbox-renewer.service --no-pager --output short-iso --follow --since=-7200s',
		);
		expect(toShell(logsCommand({kind: 'service', name: 'backup'}, '/srv/lab', {sinceSeconds: 86_400}))).toBe(
			'journalctl --unit labbox-backup.service --no-pager --output short-iso --since=-86400s',
		);
		expect(logSource('backup')).toEqual({kind: 'service', name: 'backup'});
		expect(toShell(logsCommand({kind: 'user', name: 'alice'}, '/srv/lab', {}))).toBe('docker logs jupyter-alice');
		expect(notebookContainer('ada.l@uni')).toBe('jupyter-ada-2El-40uni');
	});

	it('a word is a service or a user name; anything else is refused with what is taken', () => {
		expect(logSource('nginx')).toEqual({kind: 'service', name: 'nginx'});
		expect(logSource('Alice')).toEqual({kind: 'user', name: 'alice'});
		expect(logSource(undefined)).toEqual({kind: 'all'});
		expect(logSource('../x')).toEqual({
			problem: expect.stringMatching(
				/^"\.\.\/x" cannot be a user name: .*\. labbox logs takes hub, nginx, renewer, backup or a user name\.$/,
			),
		});
	});

	it('--since takes 30s, 10m, 1h, 2d', () => {
		expect([parseSince('30s'), parseSince('10m'), parseSince('1h'), parseSince('2d')]).toEqual([30, 600, 3600, 172_800]);
		expect(parseSince('yesterday')).toEqual({problem: '--since yesterday: expected a number and a unit, e.g. 30s, 10m, 1h or 2d'});
	});
});

describe('labbox ssh: the system ssh with the lab connection (issue 13 item 2)', () => {
	it('port, user, key and only the verified host key', () => {
		const target = {host: '10.0.0.5', port: 2222, username: 'researcher', identityFiles: ['/home/ada/.ssh/lab'], identitiesOnly: true};
		expect(sshArgs(target, '/lab/.labbox/known_hosts').join(' ')).toBe(
			'-t -p 2222 -l researcher -o UserKnownHostsFile=/lab/.labbox/known_hosts -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes -i /home/ada/.ssh/lab -o IdentitiesOnly=yes -- 10.0.0.5',
		);
		expect(sshArgs({...target, identityFiles: [], identitiesOnly: false}, '/k', ['docker', 'ps']).join(' ')).toBe(
			'-p 2222 -l researcher -o UserKnownHostsFile=/k -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes -- 10.0.0.5 docker ps',
		);
	});
});
