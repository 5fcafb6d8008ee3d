import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {toShell} from '../../../source/remote/command.js';
import {composeV1, composeVersion, dockerDiskFree, dockerServer, dockerVersion} from '../../../source/remote/facts/docker.js';
import {diskFree} from '../../../source/remote/facts/disk-free.js';
import type {Fact} from '../../../source/remote/facts/fact.js';
import {fileStates} from '../../../source/remote/facts/file-state.js';
import {firewall} from '../../../source/remote/facts/firewall.js';
import {madeFolders} from '../../../source/remote/facts/made-folders.js';
import {arch, cpus, memory} from '../../../source/remote/facts/hardware.js';
import {osRelease} from '../../../source/remote/facts/os-release.js';
import {portHoldersFact} from '../../../source/remote/facts/port-holders.js';
import {pendingRevert, revertScriptFact, revertUnitsFact, sshdPorts, sshdStart} from '../../../source/remote/facts/sshd.js';
import {systemd} from '../../../source/remote/facts/systemd.js';

/** One fixture: `test/fixtures/facts/<fact>/<case>.json` (`fact: null` means "cannot tell"). */
interface Fixture {
	readonly args?: string[];
	readonly command: string;
	readonly output: string;
	readonly fact: unknown;
}

const facts: Record<string, (...args: string[]) => Fact<unknown>> = {
	'os-release': () => osRelease,
	arch: () => arch,
	cpus: () => cpus,
	memory: () => memory,
	'disk-free': path => diskFree(path!),
	'file-state': (...paths) => fileStates(paths),
	'made-folders': root => madeFolders(root!),
	systemd: () => systemd,
	'sshd-start': () => sshdStart,
	'sshd-ports': () => sshdPorts,
	'sshd-revert-units': unit => revertUnitsFact(unit!),
	'sshd-revert-script': script => revertScriptFact(script!),
	firewall: () => firewall,
	'docker-version': () => dockerVersion,
	'docker-server': () => dockerServer,
	'compose-version': () => composeVersion,
	'docker-disk-free': () => dockerDiskFree,
	'compose-v1': () => composeV1,
	'port-holders': port => portHoldersFact(Number(port)),
};

const root = join(import.meta.dirname, '../../fixtures/facts');

it('has a fixture folder for every fact, and a fact for every folder', () => {
	expect(readdirSync(root).sort()).toEqual(Object.keys(facts).sort());
});

describe.each(Object.keys(facts))('%s', name => {
	const cases = readdirSync(join(root, name)).filter(file => file.endsWith('.json'));
	it.each(cases)('%s', file => {
		const fixture = JSON.parse(readFileSync(join(root, name, file), 'utf8')) as Fixture;
		const fact = facts[name]!(...(fixture.args ?? []));
		expect(fact.name).toBe(name);
		expect(toShell(fact.command)).toBe(fixture.command);
		expect(fact.parse(fixture.output) ?? null).toEqual(fixture.fact);
	});
});

describe('pendingRevert (the ssh-port step, issue 9 item 1)', () => {
	it.each([
		['nothing left', false, {armed: false, running: false}, false],
		['armed after a restart', true, {armed: true, running: false}, {script: true, armed: true, running: false}],
		['reverting now', true, {armed: false, running: true}, {script: true, armed: false, running: true}],
		['a script left behind', true, {armed: false, running: false}, {script: true, armed: false, running: false}],
		['an armed timer without its script', false, {armed: true, running: false}, {script: false, armed: true, running: false}],
		['the script not read', undefined, {armed: false, running: false}, undefined],
		['the units not read', false, undefined, undefined],
	] as const)('%s', (_name, script, units, expected) => {
		expect(pendingRevert(script, units)).toEqual(expected);
	});
});
