import {spawnSync} from 'node:child_process';
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {shownCommand, toShell} from '../../../../source/remote/command.js';
import * as apt from '../../../../source/remote/commands/apt.js';

// Every apt and dpkg command runs inside untilUnlocked (proven by running it below).
const unlocked = (command: string) => `${toShell(apt.untilUnlocked([]))} ${command}`;

it('aptUpdate', () => {
	expect(toShell(apt.aptUpdate())).toBe(
		unlocked(
			'env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -o Acquire::http::Timeout=20 -o Acquire::https::Timeout=20 -o Acquire::Retries=2 update',
		),
	);
});

it('aptInstall', () => {
	expect(toShell(apt.aptInstall(['docker.io', 'docker-compose']))).toBe(
		unlocked(
			'env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -o Acquire::http::Timeout=20 -o Acquire::https::Timeout=20 -o Acquire::Retries=2 install -y --no-install-recommends docker.io docker-compose',
		),
	);
});

it('aptRemove', () => {
	expect(toShell(apt.aptRemove(['docker-compose']))).toBe(
		unlocked(
			'env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -o Acquire::http::Timeout=20 -o Acquire::https::Timeout=20 -o Acquire::Retries=2 remove -y docker-compose',
		),
	);
});

it('packageStatus', () => {
	expect(toShell(apt.packageStatus(['docker.io']))).toBe("dpkg-query -W -f '${Package} ${db:Status-Status} ${Version}\\n' docker.io");
});

it('dpkgConfigurePending', () => {
	expect(toShell(apt.dpkgConfigurePending())).toBe(unlocked('env DEBIAN_FRONTEND=noninteractive dpkg --configure -a'));
});

it('shows a person apt-get and its arguments, not the retry loop and the options around them (issue 10 item 13)', () => {
	expect(shownCommand(apt.aptUpdate())).toBe('apt-get update');
	expect(shownCommand(apt.aptInstall(['docker.io', 'docker-compose']))).toBe(
		'apt-get install -y --no-install-recommends docker.io docker-compose',
	);
	expect(shownCommand(apt.dpkgConfigurePending())).toBe('env DEBIAN_FRONTEND=noninteractive dpkg --configure -a');
	expect(shownCommand(['systemctl', 'enable', '--now', 'docker'])).toBe('systemctl enable --now docker');
});

describe('untilUnlocked, run by sh', () => {
	const run = (command: readonly string[]) =>
		spawnSync('sh', ['-c', toShell(apt.untilUnlocked(command))], {encoding: 'utf8', timeout: 20_000});

	it('tries again while apt says another holds the lock, streaming each attempt, then exits as the command does', () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'labbox-apt-'));
		// Locked as apt-get update says it, then as dpkg says it, then done.
		const script = `c=$(cat ${dir}/n 2>/dev/null || echo 0); c=$((c+1)); echo $c > ${dir}/n; if [ $c -eq 1 ]; then echo 'E: Could not get lock /var/lib/apt/lists/lock. It is held by process 1443 (apt-get)' >&2; exit 100; fi; if [ $c -eq 2 ]; then echo 'dpkg: error: dpkg frontend lock was locked by /usr/bin/apt-get process with pid 1513' >&2; exit 2; fi; echo "installed on try $c"`;
		const result = run(['sh', '-c', script]);
		expect(result.status).toBe(0);
		expect(result.stdout.split('\n').filter(Boolean)).toEqual([
			'E: Could not get lock /var/lib/apt/lists/lock. It is held by process 1443 (apt-get)',
			'labbox: another apt or dpkg holds the lock; waiting for it (up to 10 minutes)',
			'dpkg: error: dpkg frontend lock was locked by /usr/bin/apt-get process with pid 1513',
			'installed on try 3',
		]);
	});

	it('does not wait on any other failure, and keeps its exit code', () => {
		const result = run(['sh', '-c', "echo 'E: Unable to locate package dockr.io' >&2; exit 100"]);
		expect(result.status).toBe(100);
		expect(result.stdout.trim()).toBe('E: Unable to locate package dockr.io');
	});
});

it('dpkgInterrupted', () => {
	expect(toShell(apt.dpkgInterrupted())).toBe("ls /var/lib/dpkg/updates | grep -E '^[0-9]+$' 2>/dev/null");
});
