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

it('dpkgConfigurePending', () => {
	expect(toShell(apt.dpkgConfigurePending())).toBe(
		"env DEBIAN_FRONTEND=noninteractive sh -c 'n=0; until out=$(dpkg --configure -a 2>&1); do case $out in *lock*) ;; *) printf '\\''%s\\n'\\'' \"$out\"; exit 1;; esac; n=$((n+1)); [ $n -lt 300 ] || { printf '\\''%s\\n'\\'' \"$out\"; exit 1; }; sleep 2; done; printf '\\''%s\\n'\\'' \"$out\"'",
	);
});

it('dpkgInterrupted', () => {
	expect(toShell(apt.dpkgInterrupted())).toBe("ls /var/lib/dpkg/updates | grep -E '^[0-9]+$' 2>/dev/null");
});
