import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {toShell, type Command} from '../../../source/remote/command.js';
import {diskFree} from '../../../source/remote/facts/disk-free.js';
import {gatherCommand, gatherFacts, splitGathered} from '../../../source/remote/facts/gather.js';
import {labFacts} from '../../../steps/connect/facts.js';
import {arch, cpus} from '../../../source/remote/facts/hardware.js';
import {isSupportedOs} from '../../../source/remote/facts/supported-os.js';
import {systemd} from '../../../source/remote/facts/systemd.js';
import type {ExecOptions} from '../../../source/remote/session.js';
import {useFakeSession} from '../../helpers/ssh-session.js';

describe('gatherCommand', () => {
	it('runs the facts at once into a private folder, errors hidden, then prints each after its marker; a shared command runs once (issue 11)', () => {
		expect(toShell(gatherCommand({arch, cpus, again: arch}))).toBe(
			`d=$(mktemp -d) || exit 1; trap 'rm -rf "$d"' EXIT; sh -c 'uname -m' 2>/dev/null >"$d/0" & sh -c nproc 2>/dev/null >"$d/1" & wait; ` +
				`echo '@@labbox-fact arch@@' && cat "$d/0" ; echo '@@labbox-fact cpus@@' && cat "$d/1" ; echo '@@labbox-fact again@@' && cat "$d/0" ;`,
		);
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
