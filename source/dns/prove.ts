/**
 * The dns step's end-to-end proof: the lab's token served on the server's port 80 (a transient responder, or
 * the lab's nginx webroot when it already holds the port) and fetched from the laptop through the name.
 */
import type {LabConfig} from '../config/fields.js';
import {randomBytes} from 'node:crypto';
import {quiet, type Command} from '../remote/command.js';
import type {Fact} from '../remote/facts/fact.js';
import {gatherFacts, type FactSet, type Gathered} from '../remote/facts/gather.js';
import {labContainers, runningServices} from '../remote/commands/lab-containers.js';
import {portHoldersFact} from '../remote/facts/port-holders.js';
import {activeState} from '../remote/facts/systemd.js';
import {planFiles} from '../remote/file-sync.js';
import type {LabShell} from '../remote/lab-session.js';
import {stepCommands, type StepCommands} from '../remote/step-commands.js';
import {StepError, type Check, type StepContext, type StepIO} from '../engine/types.js';
import {renewerWaitSeconds, runningRenewers, waitForRenewers} from '../templates/renewer.js';
import {describeHolder, port80Blocked, port80Plan, type Port80Plan, type Verdict, type WantedAddress} from './decide.js';
import {describeFetch, fetchToken, isToken, probeFile, probeFolders, probeUnit, startResponder, stopResponder} from './probe.js';
import {firstAddress, type RecordType} from './resolve.js';

/** What the resolvers said of the lab's names, against the wanted address. */
export interface Look {
	readonly names: readonly string[];
	readonly wanted: WantedAddress;
	readonly verdicts: ReadonlyArray<{readonly name: string; readonly verdict: Verdict}>;
	readonly resolvers: readonly string[];
	readonly type: RecordType;
}

const text = (name: string, command: Command): Fact<string> => ({name, command, parse: output => output.trim()});

/**
 * The dns step's facts, as data: the server's addresses, who holds port 80, what of that is the lab's own, the
 * lab's token, and whether a responder of an earlier run is still there.
 */
export function dnsFactSet(config: LabConfig) {
	const root = config['lab.root'];
	return {
		addresses: text('global-addresses', ['ip', '-o', 'addr', 'show', 'scope', 'global']),
		port80: portHoldersFact(80),
		// The same command as the stack step's services (one docker ps in the round trip of facts, issue 11).
		nginx: {name: 'lab-running-services', command: labContainers(), parse: runningServices} satisfies Fact<string>,
		renewers: text('lab-renewers', runningRenewers()),
		token: text('lab-probe-token', quiet(['cat', probeFile(root)])),
		responder: activeState('probe-responder', `${probeUnit}.service`),
	} satisfies FactSet;
}

/** What the server tells about itself, read now. */
export async function serverFacts(ctx: StepContext, shell: LabShell) {
	return gatherFacts(shell, dnsFactSet(ctx.config), {signal: ctx.signal});
}

export type ServerFacts = Gathered<ReturnType<typeof dnsFactSet>>;

const planFor = (facts: ServerFacts): Port80Plan =>
	port80Plan(facts.port80 ?? [], {
		labNginx: (facts.nginx ?? '').split('\n').includes('nginx'),
		renewers: (facts.renewers ?? '').split('\n').filter(Boolean),
	});

/** Waits for the lab's renewer of an earlier, interrupted run to end, saying so (issue 9 item 5). */
async function waitForRenewer(io: StepIO, commands: StepCommands, plan: Extract<Port80Plan, {via: 'wait'}>, rerun: string): Promise<void> {
	const who = plan.renewers.map(describeHolder).join(', ');
	io.detail(
		`waiting (at most ${renewerWaitSeconds} s) for the lab's certificate renewer, ${who}, to end: an earlier run's order still holds port 80`,
	);
	const ids = [...new Set(plan.renewers.map(holder => holder.container!))];
	const result = await commands.exec(waitForRenewers(ids));
	if (result.code === 124) {
		const id = ids[0]!.slice(0, 12);
		throw new StepError(
			`The lab's certificate renewer (${who}) still holds port 80 after ${renewerWaitSeconds} s`,
			`See what it does with \`sudo docker logs ${id}\`; stop it with \`sudo docker stop ${id}\`, then run \`labbox run ${rerun}\`.`,
		);
	}
}

/**
 * Serves the lab's token on the server's port 80 and fetches it from here through the name. With `io` (apply), a
 * renewer of the lab's own that holds the port is waited for; without (check), that wait is what is left to do.
 * `rerun` is the step the fixes name.
 */
export async function prove(
	ctx: StepContext,
	shell: LabShell,
	found: Look,
	options: {readonly io?: StepIO; readonly rerun?: string; readonly facts?: ServerFacts} = {},
): Promise<Check> {
	const {io, rerun = 'dns'} = options;
	const root = ctx.config['lab.root'];
	const name = String(ctx.config.domain);
	// Shown in apply's live tail; a check (no io) runs the same commands unseen (issue 11 item 2).
	const commands = stepCommands(ctx, io ?? {line: () => {}}, shell);
	let read = options.facts;
	// A responder a killed run may have left is stopped first (its port 80 is not someone else's); facts read
	// before that are read again. With none there (the facts say so), the facts already read stand (issue 11).
	if (!ctx.planning && read?.responder !== 'inactive') {
		await commands.exec(stopResponder());
		read = undefined;
	}
	let facts = read ?? (await serverFacts(ctx, shell));
	let plan = planFor(facts);
	if (plan.via === 'wait') {
		if (!io) {
			return {
				status: 'todo',
				changes: [
					`wait for the lab's certificate renewer (${plan.renewers.map(describeHolder).join(', ')}), left running by an earlier run, to free port 80`,
				],
			};
		}
		await waitForRenewer(io, commands, plan, rerun);
		facts = await serverFacts(ctx, shell);
		plan = planFor(facts);
	}
	if (plan.via === 'blocked') {
		return {status: 'blocked', ...port80Blocked(plan.holders, rerun)};
	}
	if (plan.via === 'wait') {
		return {
			status: 'blocked',
			reason: `Port 80 is held again by the lab's certificate renewer (${plan.renewers.map(describeHolder).join(', ')})`,
			fix: `Run \`labbox run ${rerun}\` once it has ended.`,
		};
	}
	if (ctx.planning) {
		// A plan changes nothing, not even for a moment: the token's round trip waits for the run.
		return {
			status: 'done',
			detail: `${found.names.join(', ')} → ${found.wanted.address}; port 80 is free for the lab (the run proves http://${name}/ reaches the server)`,
		};
	}
	const address = (await firstAddress(found.resolvers, name, {type: found.type, signal: ctx.signal})) ?? found.wanted.address;
	// The token's file is made once (the first run); later runs only read it (issue 9 item 18).
	let token = facts.token;
	if (!isToken(token)) {
		token = randomBytes(16).toString('hex');
		await commands.run(probeFolders(root));
		await commands.write(planFiles([{path: probeFile(root), content: token, mode: '0644', owner: 'root:root'}], undefined));
	}
	try {
		if (plan.via === 'responder') {
			await commands.run(startResponder(token));
		}
		const fetched = await fetchToken(address, name, token, {signal: ctx.signal});
		if ('error' in fetched || fetched.status !== 200) {
			return {
				status: 'blocked',
				reason: describeFetch(fetched, name, address),
				fix: `Open port 80 (and 443) to the server in its firewall and at your provider${found.wanted.note ? ` (${found.wanted.note})` : ''}, then run \`labbox run ${rerun}\`.`,
			};
		}
		return {
			status: 'done',
			detail: `${found.names.join(', ')} → ${found.wanted.address}, and http://${name}/ reaches the server${found.wanted.note ? ` (${found.wanted.note})` : ''}`,
		};
	} finally {
		// The responder never outlives the proof; a failure here is logged, not hiding the proof's own result.
		if (plan.via === 'responder') {
			// Also after Ctrl-C: with a bounded signal of its own.
			await commands.exec(stopResponder(), {untilDone: true}).catch(error => ctx.log(`dns: cleanup failed: ${String(error)}`));
		}
	}
}
