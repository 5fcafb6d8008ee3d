import {labShell} from '../../source/remote/lab-session.js';
import {StepError, type Check, type Step} from '../../source/engine/types.js';
import {describeVerdict, recordInstructions} from '../../source/dns/decide.js';
import {dnsFactSet, prove, type ServerFacts} from '../../source/dns/prove.js';
import {lookThenProve, waitForRecords, wanted} from '../../source/dns/reach.js';

export const dnsStep: Step = {
	id: 'dns',
	title: "The lab's name",
	summary: "the lab's name resolves to this server and an HTTP request to it reaches this server",
	inputs: ['domain', 'dns.resolvers', 'dns.subdomains', 'dns.address'],
	facts: ({config}) => dnsFactSet(config),
	async check(ctx): Promise<Check> {
		// The server's side was read with every other step's facts (issue 11); the names are asked from here.
		return lookThenProve(ctx, {facts: (await ctx.facts()) as ServerFacts}, (wrong, found) => ({
			status: 'todo',
			changes: [
				...wrong.map(({name, verdict}) => `wait for DNS: ${describeVerdict(name, verdict, found.wanted.address)}`),
				...recordInstructions(
					wrong.map(({name}) => name),
					found.wanted.address,
				),
			],
			detail: found.wanted.note,
		}));
	},
	async apply(ctx, io) {
		const shell = await labShell(ctx);
		const target = await wanted(ctx, shell);
		if (target.note) {
			io.line(`note: ${target.note}`);
		}
		const found = await waitForRecords(ctx, io, target);
		io.detail(`proving http://${String(ctx.config.domain)}/ reaches the server`);
		const proof = await prove(ctx, shell, found, {io});
		if (proof.status === 'blocked') {
			throw new StepError(proof.reason, proof.fix);
		}
		io.detail(proof.status === 'done' ? (proof.detail ?? '') : '');
	},
};
