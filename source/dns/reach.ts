/**
 * Whether the lab's name reaches this server: the records, asked from here, then the proof that http://NAME/
 * is served by it. The dns step waits for it; the certificate step asks it before any ACME order.
 */
import {wantedNames} from '../config/names.js';
import {randomBytes} from 'node:crypto';
import {promises as dns} from 'node:dns';
import {isIP} from 'node:net';
import {setTimeout as sleep} from 'node:timers/promises';
import {labShell, type LabShell} from '../remote/lab-session.js';
import {StepError, type Check, type StepContext, type StepIO} from '../engine/types.js';
import {describeVerdict, judge, lookupName, recordInstructions, serverAddresses, wantedAddress, type WantedAddress} from './decide.js';
import {prove, serverFacts, type Look, type ServerFacts} from './prove.js';
import {askAll, resolversFor, type RecordType} from './resolve.js';

/** How often the names are asked again while waiting for a record. */
const recheckSeconds = 5;

/** Where the laptop reaches the server (the SSH target, resolved the way SSH resolved it). */
async function laptopView(shell: LabShell): Promise<string> {
	const host = shell.session.target.host;
	return isIP(host) ? host : (await dns.lookup(host)).address;
}

export async function wanted(ctx: StepContext, shell: LabShell, read?: ServerFacts): Promise<WantedAddress> {
	const facts = read ?? (await serverFacts(ctx, shell));
	return wantedAddress(await laptopView(shell), serverAddresses(facts.addresses ?? ''), ctx.config['dns.address']);
}

/** Asks every resolver for every name. */
async function look(ctx: StepContext, target: WantedAddress): Promise<Look> {
	const names = wantedNames(String(ctx.config.domain), ctx.config['dns.subdomains'] === true);
	const resolvers = resolversFor(ctx.config['dns.resolvers']);
	const type: RecordType = isIP(target.address) === 6 ? 'AAAA' : 'A';
	const random = randomBytes(4).toString('hex');
	const verdicts = await Promise.all(
		names.map(async name => ({
			name,
			verdict: judge(await askAll(resolvers, lookupName(name, random), {type, signal: ctx.signal}), target.address),
		})),
	);
	for (const {name, verdict} of verdicts) {
		ctx.log(`dns: ${describeVerdict(name, verdict, target.address)} (resolvers ${resolvers.join(', ')})`);
	}
	return {names, wanted: target, verdicts, resolvers, type};
}

const notOk = (found: Look) => found.verdicts.filter(({verdict}) => verdict.status !== 'ok');

function blockedByResolvers(found: Look): Check | undefined {
	const silent = found.verdicts.find(({verdict}) => verdict.status === 'no-resolver');
	return silent
		? {
				status: 'blocked',
				reason: describeVerdict(silent.name, silent.verdict, found.wanted.address),
				fix: 'Check this computer reaches DNS, or list resolvers it can reach in dns.resolvers (lab.yaml).',
			}
		: undefined;
}

/**
 * Waits for the records, re-asking every few seconds and showing the countdown: until they match or the user
 * stops it when someone watches, for at most dns.waitSeconds under --yes or in CI.
 */
export async function waitForRecords(ctx: StepContext, io: StepIO, target: WantedAddress): Promise<Look> {
	const total = ctx.interactive ? Number.POSITIVE_INFINITY : ctx.config['dns.waitSeconds'];
	const started = Date.now();
	let found = await look(ctx, target);
	const missing = notOk(found).map(({name}) => name);
	if (missing.length > 0) {
		for (const line of [
			...notOk(found).map(({name, verdict}) => describeVerdict(name, verdict, target.address)),
			...recordInstructions(missing, target.address),
		]) {
			io.line(line);
		}
	}
	while (notOk(found).length > 0) {
		const left = total - (Date.now() - started) / 1000;
		if (left <= 0) {
			const lines = notOk(found).map(({name, verdict}) => describeVerdict(name, verdict, target.address));
			throw new StepError(
				`${lines.join('; ')} (after waiting ${total} s)`,
				[...recordInstructions(missing, target.address), 'Then run `labbox run dns` (dns.waitSeconds sets how long it waits).'].join('\n'),
			);
		}
		const waiting = `waiting for ${missing.join(', ')} → ${target.address}`;
		if (ctx.interactive) {
			// Open-ended: the countdown is to the next look; Ctrl-C stops, `labbox --resume` picks up.
			for (let next = recheckSeconds; next > 0; next--) {
				io.detail(`${waiting}: checking again in ${next} s (waiting ${Math.round((Date.now() - started) / 1000)} s so far; Ctrl-C stops)`);
				await sleep(1000, undefined, {signal: ctx.signal});
			}
		} else {
			io.progress(1 - left / Math.max(total, 1), `${Math.ceil(left)} s left`);
			io.detail(`${waiting}: re-checking every ${recheckSeconds} s, ${Math.ceil(left)} s left`);
			await sleep(Math.min(recheckSeconds, left) * 1000, undefined, {signal: ctx.signal});
		}
		found = await look(ctx, target);
		const blocked = blockedByResolvers(found);
		if (blocked?.status === 'blocked') {
			throw new StepError(blocked.reason, blocked.fix);
		}
	}
	io.progress(1);
	return found;
}

type Wrong = ReturnType<typeof notOk>;

/**
 * The records, then, when they are right, the proof. `onWrong` says what records not right yet mean to the
 * caller (something to wait for, or a reason to stop).
 */
export async function lookThenProve(
	ctx: StepContext,
	options: {readonly io?: StepIO; readonly rerun?: string; readonly facts?: ServerFacts},
	onWrong: (wrong: Wrong, found: Look) => Check,
): Promise<Check> {
	const shell = await labShell(ctx);
	const found = await look(ctx, await wanted(ctx, shell, options.facts));
	const blocked = blockedByResolvers(found);
	if (blocked) {
		return blocked;
	}
	const wrong = notOk(found);
	// Why the proof runs in check: it leaves nothing behind but the lab's token, made once (a responder stopped at once, bounded by systemd).
	return wrong.length > 0 ? onWrong(wrong, found) : prove(ctx, shell, found, options);
}

/**
 * Whether an ACME CA can validate the lab's name now: the records point here and http://NAME/ reaches this
 * server. The certificate step asks before any order, so it never asks a CA that will say no (issue 9 item 7).
 * With `io` a renewer of the lab's own that holds port 80 is waited for; `rerun` is the step the fixes name.
 */
export async function nameReachesServer(ctx: StepContext, options: {readonly io?: StepIO; readonly rerun: string}): Promise<Check> {
	return lookThenProve(ctx, options, (wrong, found) => ({
		status: 'blocked',
		reason: wrong.map(({name, verdict}) => describeVerdict(name, verdict, found.wanted.address)).join('; '),
		fix: [
			...recordInstructions(
				wrong.map(({name}) => name),
				found.wanted.address,
			),
			`Then run \`labbox run ${options.rerun}\`.`,
		].join('\n'),
	}));
}
