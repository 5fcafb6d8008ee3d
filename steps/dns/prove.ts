/**
 * The dns step's end-to-end proof: a random token served on the server's port 80 (a transient responder, or
 * the lab's nginx webroot when it already holds the port) and fetched from the laptop through the name.
 */
import {randomBytes} from 'node:crypto';
import {quiet, type Command} from '../../source/remote/command.js';
import type {Fact} from '../../source/remote/facts/fact.js';
import {gatherFacts} from '../../source/remote/facts/gather.js';
import type {LabShell} from '../../source/remote/lab-session.js';
import type {Check, StepContext} from '../../source/engine/types.js';
import {portHolders} from '../ssh-port/index.js';
import {port80Plan, type Verdict, type WantedAddress} from './decide.js';
import {describeFetch, fetchToken, port80Holders, startResponder, stopResponder, webrootTokenFile} from './probe.js';
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

/** What the server tells about itself: its addresses, who holds port 80, whether the lab's nginx runs. */
export async function serverFacts(ctx: StepContext, shell: LabShell) {
	const root = String(ctx.config['lab.root']);
	return gatherFacts(
		shell,
		{
			addresses: text('global-addresses', ['ip', '-o', 'addr', 'show', 'scope', 'global']),
			port80: text('port-80-holders', port80Holders()),
			nginx: text('lab-nginx', quiet(['docker', 'compose', '-f', `${root}/compose.yaml`, 'ps', '--status', 'running', '--services'])),
		},
		{signal: ctx.signal},
	);
}

/** Serves a random token on the server's port 80 and fetches it from here through the name. */
export async function prove(ctx: StepContext, shell: LabShell, found: Look): Promise<Check> {
	const root = String(ctx.config['lab.root']);
	const name = String(ctx.config.domain);
	if (!ctx.planning) {
		await shell.exec(stopResponder(), {sudo: true, signal: ctx.signal}); // one a killed run may have left
	}
	const facts = await serverFacts(ctx, shell);
	const plan = port80Plan(portHolders(facts.port80 ?? ''), (facts.nginx ?? '').split('\n').includes('nginx'));
	if (plan.via === 'blocked') {
		return {
			status: 'blocked',
			reason: `Port 80 on the server is used by ${plan.holders.join(', ')}; the lab needs it (HTTP → HTTPS and certificate checks)`,
			fix: `Stop and disable it on the server (e.g. \`sudo systemctl disable --now ${plan.holders[0]}\`), then run \`labbox run dns\`.`,
		};
	}
	if (ctx.planning) {
		// A plan changes nothing, not even for a moment: the token's round trip waits for the run.
		return {status: 'done', detail: `${found.names.join(', ')} → ${found.wanted.address}; port 80 is free for the lab (the run proves http://${name}/ reaches the server)`};
	}
	const address = (await firstAddress(found.resolvers, name, {type: found.type, signal: ctx.signal})) ?? found.wanted.address;
	const token = randomBytes(16).toString('hex');
	const tokenFile = webrootTokenFile(root, token);
	try {
		if (plan.via === 'nginx') {
			await shell.run(['mkdir', '-p', tokenFile.slice(0, tokenFile.lastIndexOf('/'))], {sudo: true, signal: ctx.signal});
			await shell.upload(tokenFile, token, {mode: '0644', sudo: true, signal: ctx.signal});
		} else {
			await shell.run(startResponder(token), {sudo: true, signal: ctx.signal});
		}
		const fetched = await fetchToken(address, name, token, {signal: ctx.signal});
		if ('error' in fetched || fetched.status !== 200) {
			return {status: 'blocked', reason: describeFetch(fetched, name, address), fix: `Open port 80 (and 443) to the server in its firewall and at your provider${found.wanted.note ? ` (${found.wanted.note})` : ''}, then run \`labbox run dns\`.`};
		}
		return {status: 'done', detail: `${found.names.join(', ')} → ${found.wanted.address}, and http://${name}/ reaches the server${found.wanted.note ? ` (${found.wanted.note})` : ''}`};
	} finally {
		// Always leave nothing behind; a failure here is logged, not hiding the proof's own result.
		const cleanup = plan.via === 'nginx' ? ['rm', '-f', tokenFile] : stopResponder();
		await shell.exec(cleanup, {sudo: true}).catch(error => ctx.log(`dns: cleanup failed: ${String(error)}`));
	}
}

