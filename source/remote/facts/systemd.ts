/** Whether systemd runs the server (sd_booted's test), which every service step relies on. */
import {any, combine, type Command} from '../command.js';
import {isDirectory} from '../commands/files.js';
import {lines, type Fact} from './fact.js';

export const systemd: Fact<boolean> = {
	name: 'systemd',
	command: any(combine(isDirectory('/run/systemd/system'), ['echo', 'yes']), ['echo', 'no']),
	parse(output) {
		const answer = lines(output)[0];
		return answer === 'yes' ? true : answer === 'no' ? false : undefined;
	},
};

/** What `systemctl show` tells of a unit: `is-active`'s and `is-enabled`'s answers, and a socket's listeners. */
export interface UnitState {
	/** `loaded`, `not-found`, `masked`... */
	readonly load: string;
	/** `active`, `inactive`, `failed`, `activating`... (what `systemctl is-active` prints). */
	readonly active: string;
	/** `enabled`, `disabled`, `static`...; empty for a unit that is not found. */
	readonly enabled: string;
	/** A socket unit's listeners (`[::]:22 (Stream)`), none for other units. */
	readonly listen: readonly string[];
}

/** The states of some units, by the name asked (an alias such as sshd.service reads as its unit). */
export type UnitStates = ReadonlyMap<string, UnitState>;

/** A fact read from the states of systemd units: the gatherer asks every such fact's units in ONE `systemctl show`. */
export interface UnitFact<T> extends Fact<T> {
	readonly units: readonly string[];
	/** The value from the units' states: what the gatherer calls with its one answer for every unit fact. */
	read(states: UnitStates): T | undefined;
}

// Each `systemctl is-active` or `is-enabled` is a process of its own that asks systemd over D-Bus: a round trip of
// facts asked ~15 of them, a fifth of the server's time (issue 11, measured); one `systemctl show` answers for all.
const properties = '--property=Id,LoadState,ActiveState,UnitFileState,Listen';

/** `systemctl show` of these units: one block of `Key=value` lines per unit, blank lines between, in the order asked. */
export function showUnits(units: readonly string[]): Command {
	return ['systemctl', 'show', properties, '--', ...units];
}

/** The units' states in a `showUnits` answer; undefined unless there is one block per unit (no systemd, say). */
export function parseUnitStates(output: string, units: readonly string[]): UnitStates | undefined {
	const blocks = output
		.split(/\n\s*\n/)
		.map(block => lines(block))
		.filter(block => block.length > 0);
	if (blocks.length !== units.length) {
		return undefined;
	}
	return new Map(
		blocks.map((block, index) => {
			const values = (key: string) => block.filter(line => line.startsWith(`${key}=`)).map(line => line.slice(key.length + 1));
			const state: UnitState = {
				load: values('LoadState')[0] ?? '',
				active: values('ActiveState')[0] ?? '',
				enabled: values('UnitFileState')[0] ?? '',
				listen: values('Listen'),
			};
			return [units[index]!, state];
		}),
	);
}

/** A fact about some units, from their states (undefined when they could not be read). */
export function unitFact<T>(name: string, units: readonly string[], read: (states: UnitStates) => T | undefined): UnitFact<T> {
	return {
		name,
		units,
		command: showUnits(units),
		read,
		parse(output) {
			const states = parseUnitStates(output, units);
			return states ? read(states) : undefined;
		},
	};
}

/** `systemctl is-active UNIT`'s answer (`active`, `inactive`...), from the states. */
export function activeState(name: string, unit: string): UnitFact<string> {
	return unitFact(name, [unit], states => states.get(unit)!.active);
}

/** `systemctl is-enabled UNIT`'s answer (`enabled`, `disabled`, `static`...; empty when not found), from the states. */
export function enabledState(name: string, unit: string): UnitFact<string> {
	return unitFact(name, [unit], states => states.get(unit)!.enabled);
}

/** Whether a fact reads units' states (and is asked in the round trip's one `systemctl show`). */
export function isUnitFact(fact: Fact<unknown>): fact is UnitFact<unknown> {
	return 'units' in fact;
}
