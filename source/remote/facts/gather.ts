/**
 * Gathers many facts in ONE remote round-trip: each fact's command runs in a subshell of its own (errors hidden)
 * that first prints a marker line naming it; the output is split at the markers and each part goes to its parser.
 */
import type {LabConfig} from '../../config/fields.js';
import {raw, toShell, type Command} from '../command.js';
import type {RemoteShell} from '../session.js';
import type {Fact, FactValue} from './fact.js';
import {isUnitFact, parseUnitStates, showUnits} from './systemd.js';

/** A named set of facts to gather. */
export type FactSet = Readonly<Record<string, Fact<unknown>>>;

/** The parsed values of a fact set, by the same names. */
export type Gathered<T extends FactSet> = {readonly [K in keyof T]: FactValue<T[K]>};

/** What a step's facts may depend on: the run's configuration and where its session logs in. */
export interface FactInput {
	readonly config: LabConfig;
	/** The SSH login (after ~/.ssh/config): the user whose groups matter, the port this run is connected on. */
	readonly target: {readonly host: string; readonly port: number; readonly username: string};
}

const marker = (name: string) => `@@labbox-fact ${name}@@`;
const markerLine = /@@labbox-fact (\S+)@@\n/g;

// The key of the one `systemctl show` that answers for every unit fact (no step's key has a colon).
const unitsKey = 'systemd:units';

/**
 * What runs on the server for these facts: each fact that is not about units, once per distinct command (two
 * steps asking for Docker's free space, say, run it once and it is printed once, under the first key's marker),
 * and one `systemctl show` of the units of every unit fact. `answeredBy`: the key whose output each key reads.
 */
function gatherPlan(asked: FactSet) {
	const units = [...new Set(Object.values(asked).flatMap(fact => (isUnitFact(fact) ? fact.units : [])))];
	const facts: Record<string, Fact<unknown>> = Object.fromEntries(Object.entries(asked).filter(([, fact]) => !isUnitFact(fact)));
	if (units.length > 0) {
		facts[unitsKey] = {name: 'unit-states', command: showUnits(units), parse: output => output};
	}
	const first = new Map<string, string>();
	const answeredBy = new Map(
		Object.entries(facts).map(([key, fact]) => {
			const text = toShell(fact.command);
			if (!first.has(text)) first.set(text, key);
			return [key, first.get(text)!];
		}),
	);
	return {facts, units, answeredBy, run: [...first.values()]};
}

/**
 * The single command that prints every fact's output after its marker. The facts run at once, each in a
 * background subshell writing into a file of a private temporary folder (removed on exit), and one `cat` prints
 * them all once all have ended: the round trip lasts as long as the slowest fact, not as long as all of them
 * (issue 11). A subshell, not `sh -c`, and one `cat`, not one per fact: on a lab's round trip of ~50 facts, the
 * ~100 processes that saves were a third of the server's time (issue 11, measured).
 */
export function gatherCommand(asked: FactSet): Command {
	const {facts, run} = gatherPlan(asked);
	const started = run.flatMap((key, index) => [
		raw(`( echo ${toShell([marker(key)])};`),
		...facts[key]!.command,
		raw(`) 2>/dev/null >"$d/${index}" &`),
	]);
	return [raw(`d=$(mktemp -d) || exit 1; trap 'rm -rf "$d"' EXIT;`), ...started, raw('wait; cat "$d"/*')];
}

/** Splits the gathered output back into each fact's output, by key. */
export function splitGathered(output: string): Map<string, string> {
	const parts = output.split(markerLine);
	const sections = new Map<string, string>();
	for (let index = 1; index < parts.length; index += 2) {
		sections.set(parts[index]!, parts[index + 1] ?? '');
	}

	return sections;
}

/** The inverse of `splitGathered`: what the server prints for these outputs (for fakes in tests). */
export function joinGathered(outputs: Readonly<Record<string, string>>): string {
	return Object.entries(outputs)
		.map(([key, output]) => `${marker(key)}\n${output}`)
		.join('');
}

/** Runs every fact of the set at once (as root by default: `sshd -T` and `ufw status` need it) and parses them. */
export async function gatherFacts<T extends FactSet>(
	remote: Pick<RemoteShell, 'exec'>,
	facts: T,
	options: {readonly sudo?: boolean; readonly signal?: AbortSignal} = {},
): Promise<Gathered<T>> {
	const {stdout} = await remote.exec(gatherCommand(facts), {sudo: options.sudo ?? true, signal: options.signal});
	const sections = splitGathered(stdout);
	const {units, answeredBy} = gatherPlan(facts);
	const states = parseUnitStates(sections.get(unitsKey) ?? '', units);
	const entries = Object.entries(facts).map(([key, fact]) => {
		// A fake server (tests) may answer under each key; the real one answers once per command, and once for all units.
		const own = sections.get(key);
		if (own === undefined && isUnitFact(fact)) {
			return [key, states ? fact.read(states) : undefined];
		}
		const section = own ?? sections.get(answeredBy.get(key)!);
		return [key, section === undefined ? undefined : fact.parse(section)];
	});
	return Object.fromEntries(entries) as Gathered<T>;
}

/**
 * Several named sets (one per step, say) in ONE round trip: the keys are prefixed with the set's name on the
 * way out and taken off on the way back (issue 11: one round trip to know the server).
 */
export async function gatherSets(
	remote: Pick<RemoteShell, 'exec'>,
	sets: ReadonlyMap<string, FactSet>,
	options: {readonly sudo?: boolean; readonly signal?: AbortSignal} = {},
): Promise<Map<string, Readonly<Record<string, unknown>>>> {
	const all: Record<string, Fact<unknown>> = {};
	for (const [name, set] of sets) {
		for (const [key, fact] of Object.entries(set)) {
			all[`${name}/${key}`] = fact;
		}
	}
	const gathered: Readonly<Record<string, unknown>> = Object.keys(all).length === 0 ? {} : await gatherFacts(remote, all, options);
	return new Map(
		[...sets].map(([name, set]) => [name, Object.fromEntries(Object.keys(set).map(key => [key, gathered[`${name}/${key}`]]))]),
	);
}
