import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {toShell, type Command} from '../../../source/remote/command.js';
import {diskFree} from '../../../source/remote/facts/disk-free.js';
import {gatherCommand, gatherFacts, splitGathered} from '../../../source/remote/facts/gather.js';
import {labFacts} from '../../../steps/connect/facts.js';
import {arch, cpus} from '../../../source/remote/facts/hardware.js';
import {isSupportedOs} from '../../../source/remote/facts/supported-os.js';
import {activeState, enabledState, systemd} from '../../../source/remote/facts/systemd.js';
import type {ExecOptions} from '../../../source/remote/session.js';
import {useFakeSession} from '../../helpers/ssh-session.js';

describe('gatherCommand', () => {
	it('runs the facts at once in subshells into a private folder, errors hidden, each printing its marker first, then one cat; a shared command runs once (issue 11)', () => {
		expect(toShell(gatherCommand({arch, cpus, again: arch}))).toBe(
			`d=$(mktemp -d) || exit 1; trap 'rm -rf "$d"' EXIT; ( echo '@@labbox-fact arch@@'; uname -m ) 2>/dev/null >"$d/0" & ` +
				`( echo '@@labbox-fact cpus@@'; nproc ) 2>/dev/null >"$d/1" & wait; cat "$d"/*`,
		);
	});

	it("asks every unit fact's units in one systemctl show, each unit once (issue 11)", () => {
		const command = toShell(
			gatherCommand({
				docker: activeState('docker-active', 'docker.service'),
				enabled: enabledState('docker-enabled', 'docker.service'),
				timer: enabledState('renewer-timer', 'labbox-renewer.timer'),
				arch,
			}),
		);
		expect(command.match(/systemctl/g)).toHaveLength(1);
		expect(command).toContain(
			"( echo '@@labbox-fact systemd:units@@'; systemctl show --property=Id,LoadState,ActiveState,UnitFileState,Listen -- docker.service labbox-renewer.timer )",
		);
	});
});

describe('gatherFacts of unit facts', () => {
	const answer = (stdout: string) => ({
		async exec() {
			return {code: 0, stdout, stderr: ''};
		},
	});
	const facts = {
		timer: enabledState('renewer-timer', 'labbox-renewer.timer'),
		docker: activeState('docker-active', 'docker.service'),
		enabled: enabledState('docker-enabled', 'docker.service'),
		arch,
	};

	it("hands each unit fact its units' states from the one answer", async () => {
		const stdout =
			'@@labbox-fact arch@@\nx86_64\n@@labbox-fact systemd:units@@\n' +
			'Id=labbox-renewer.timer\nLoadState=not-found\nActiveState=inactive\nUnitFileState=\n\n' +
			'Id=docker.service\nLoadState=loaded\nActiveState=active\nUnitFileState=enabled\n';
		expect(await gatherFacts(answer(stdout), facts)).toEqual({timer: '', docker: 'active', enabled: 'enabled', arch: 'x86_64'});
	});

	it('cannot tell any of them without systemd (no block per unit)', async () => {
		const stdout = '@@labbox-fact arch@@\nx86_64\n@@labbox-fact systemd:units@@\n';
		expect(await gatherFacts(answer(stdout), facts)).toEqual({timer: undefined, docker: undefined, enabled: undefined, arch: 'x86_64'});
	});
});

describe('splitGathered', () => {
	it('splits at markers, also after an output without a final newline', () => {
		const sections = splitGathered('@@labbox-fact a@@\none\n@@labbox-fact b@@\ntwo@@labbox-fact c@@\n');
		expect([...sections]).toEqual([
			['a', 'one\n'],
			['b', 'two'],
			['c', ''],
		]);
	});
});

describe('gatherFacts', () => {
	it('parses every fact of one round-trip, as root by default', async () => {
		const calls: Array<{command: string; options?: ExecOptions}> = [];
		const remote = {
			async exec(command: Command, options?: ExecOptions) {
				calls.push({command: toShell(command), options});
				const stdout = '@@labbox-fact arch@@\naarch64\n@@labbox-fact systemd@@\nyes\n';
				return {code: 0, stdout, stderr: ''};
			},
		};
		expect(await gatherFacts(remote, {arch, systemd, cpus})).toEqual({arch: 'aarch64', systemd: true, cpus: undefined});
		expect(calls).toHaveLength(1);
		expect(calls[0]!.options?.sudo).toBe(true);
	});

	describe('over SSH', () => {
		const fake = useFakeSession('deploy', {password: 'deploy-pw', sudo: 'nopasswd'});

		it('runs the real commands through sudo and sh, with quoted paths', async () => {
			const path = join(tmpdir(), "not made yet/it's here");
			const facts = await gatherFacts(fake.session(), {cpus, disk: diskFree(path)});
			expect(facts.cpus).toBeGreaterThan(0);
			expect(facts.disk?.total).toBeGreaterThan(0);
			expect(fake.server().commands).toHaveLength(2); // the sudo probe, then one round-trip
		});
	});
});

describe('labFacts', () => {
	it('names every fact the connect step records', () => {
		expect(Object.keys(labFacts('/srv/lab'))).toEqual([
			'os',
			'arch',
			'cpus',
			'memory',
			'disk',
			'systemd',
			'sshdStart',
			'sshdPorts',
			'firewall',
			'docker',
			'dockerServer',
			'compose',
			'composeV1',
		]);
	});
});

describe('isSupportedOs', () => {
	it.each([
		['debian', '12', true],
		['debian', '13', true],
		['ubuntu', '22.04', true],
		['ubuntu', '24.04', true],
		['ubuntu', '20.04', false],
		['debian', undefined, false],
		['rocky', '9.4', false],
	])('%s %s → %s', (id, versionId, supported) => {
		expect(isSupportedOs({os: {id, versionId, prettyName: id}})).toBe(supported);
	});

	it('is false without os-release', () => {
		expect(isSupportedOs({})).toBe(false);
	});
});
