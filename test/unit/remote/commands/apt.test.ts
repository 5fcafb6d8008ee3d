import {expect, it} from 'vitest';
import {toShell} from '../../../../source/remote/command.js';
import * as apt from '../../../../source/remote/commands/apt.js';

it('aptUpdate', () => {
	expect(toShell(apt.aptUpdate())).toBe(
		'env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update',
	);
});

it('aptInstall', () => {
	expect(toShell(apt.aptInstall(['docker.io', 'docker-compose']))).toBe(
		'env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends docker.io docker-compose',
	);
});

it('aptRemove', () => {
	expect(toShell(apt.aptRemove(['docker-compose']))).toBe(
		'env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 remove -y docker-compose',
	);
});

it('packageStatus', () => {
	expect(toShell(apt.packageStatus(['docker.io']))).toBe(
		"dpkg-query -W -f '${Package} ${db:Status-Status} ${Version}\\n' docker.io",
	);
});
