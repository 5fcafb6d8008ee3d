import {loadOrCreateAccountKey} from '../../source/acme/account-key.js';
import {daysLeft, inspectCertificate} from '../../source/acme/inspect.js';
import {daemonReload, disable, enable} from '../../source/remote/commands/systemctl.js';
import {chmod, chown} from '../../source/remote/commands/files.js';
import {planFiles} from '../../source/remote/file-sync.js';
import {labShell, type LabShell} from '../../source/remote/lab-session.js';
import {stepCommands, type StepCommands} from '../../source/remote/step-commands.js';
import {StepError, type Check, type Health, type Step, type StepContext, type StepIO} from '../../source/engine/types.js';
import {gatherFacts} from '../../source/remote/facts/gather.js';
import {nameReachesServer} from '../../source/dns/reach.js';
import {decideCertificate, existingProblems, type CertificateFacts, type CertificateVerdict} from './decide.js';
import {certificateFacts, certificateFactSet, certificateFactsFor, parseStatus, readCertificateFacts} from './facts.js';
import {certificatePlan, type CertificatePlan} from './plan.js';
import {describeRenewal} from './status.js';
import {
	certificateFolders,
	getRenewerImage,
	reloadNginxIfRunning,
	renewerPaths,
	renewerTimer,
	runRenewer,
} from '../../source/templates/renewer.js';

type Todo = Extract<CertificateVerdict, {status: 'todo'}>;

/** The verdict, pure: the server's facts and the plan (made from the configuration and local files) in. */
export function certificateVerdict(facts: CertificateFacts, plan: CertificatePlan): CertificateVerdict {
	if (plan.existing) {
		const problems = existingProblems(plan.existing.chain, plan.existing.key, plan.wanted.names, plan.wanted.now);
		if (problems.length > 0) {
			return {
				status: 'blocked',
				reason: `Your certificate files cannot be used: ${problems.join('; ')}`,
				fix: 'Point certificate.certFile and certificate.keyFile (lab.yaml) at a valid chain and its key, then run `labbox run certificate`.',
			};
		}
	}
	return decideCertificate(facts, plan.wanted);
}

async function decide(ctx: StepContext, shell: LabShell, plan: CertificatePlan): Promise<CertificateVerdict> {
	return certificateVerdict(await certificateFacts(shell, plan.root, [...plan.uploads.keys()], plan.image, ctx.signal), plan);
}

/** Installs the certificate and key (key first: a run killed in between is seen as a mismatch and redone). */
async function install(commands: StepCommands, root: string, chain: string, key: string) {
	const paths = renewerPaths(root);
	await commands.runAll(certificateFolders(root));
	// Written whole, unread: a new certificate differs anyway, and the key's hash is never printed.
	const files = [
		{path: paths.privkey, content: key, mode: '0600', owner: 'root:root'},
		{path: paths.fullchain, content: chain, mode: '0644', owner: 'root:root'},
	];
	await commands.write(planFiles(files, undefined));
	await commands.run(reloadNginxIfRunning(root));
}

/**
 * letsencrypt: what the CA's HTTP-01 validation depends on, checked here (the dns step's own probes), so that a CA
 * is never asked when the answer will be no (issue 9 item 7). Done, or why not.
 */
async function caCanValidate(ctx: StepContext, domain: string, io?: StepIO): Promise<Check> {
	const ready = await nameReachesServer(ctx, {io, rerun: 'certificate'});
	return ready.status === 'blocked' ? {...ready, reason: `The CA could not validate ${domain}, so none was asked: ${ready.reason}`} : ready;
}

/**
 * letsencrypt: the renewer in place (files, account key, image), run once now when a certificate is due, and
 * only then the daily timer: a failed order leaves no timer behind to fail again every day (issue 9 item 7).
 */
async function letsencrypt(ctx: StepContext, io: StepIO, shell: LabShell, commands: StepCommands, plan: CertificatePlan, verdict: Todo) {
	if (verdict.replace) {
		const ready = await caCanValidate(ctx, plan.domain, io);
		if (ready.status !== 'done') {
			throw new StepError(
				ready.status === 'blocked' ? ready.reason : ready.changes.join('; '),
				ready.status === 'blocked' ? ready.fix : 'Run `labbox run certificate` again.',
			);
		}
	}
	await commands.runAll(certificateFolders(plan.root));
	// Only the files that differ (content, mode or owner) are written: a superset of the check's `verdict.uploads`.
	const written = await commands.sync([...plan.uploads].map(([path, {content, mode}]) => ({path, content, mode, owner: 'root:root'})));
	if (written.some(({file}) => file.path.startsWith('/etc/systemd/'))) {
		await commands.run(daemonReload());
	}
	if (verdict.image) {
		io.detail('getting the renewer image');
		await commands.run(getRenewerImage(plan.root, plan.image!));
	}
	if (verdict.replace) {
		io.detail(`asking the ACME CA for ${plan.wanted.names.join(', ')}`);
		const result = await commands.exec(runRenewer(plan.root, plan.image!, true));
		if (result.code !== 0) {
			const status = parseStatus((await shell.exec(['cat', renewerPaths(plan.root).status], {sudo: true, signal: ctx.signal})).stdout);
			throw new StepError(
				`The certificate was not issued: ${status?.lastError ?? `the renewer failed (exit ${result.code})`}`,
				'Fix the cause above, then run `labbox run certificate` (certificate.staging: true while trying things out).',
				`${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-10),
			);
		}
		if (!ctx.config['certificate.directoryUrl'] && ctx.config['certificate.staging'] !== false) {
			io.line(
				"This certificate is from Let's Encrypt's staging CA: browsers do not trust it. Once the lab works, set certificate.staging: false in lab.yaml and run `labbox run certificate`.",
			);
		}
		// Cleared so the result shows what verify read on the server (names, expiry, issuer), not this progress.
		io.detail('');
	}
	if (verdict.enableTimer) {
		await commands.run(enable(renewerTimer, {now: true}));
	}
}

async function apply(ctx: StepContext, io: StepIO): Promise<void> {
	const shell = await labShell(ctx);
	const commands = stepCommands(ctx, io, shell);
	const mode = ctx.config['certificate.mode'];
	const plan = await certificatePlan(ctx, mode === 'letsencrypt' ? {createAccountKey: loadOrCreateAccountKey} : {});
	const verdict = await decide(ctx, shell, plan);
	if (verdict.status === 'blocked') {
		throw new StepError(verdict.reason, verdict.fix);
	}
	if (verdict.status === 'done') {
		return;
	}
	if (verdict.disableTimer) {
		await commands.run(disable(renewerTimer, {now: true}));
	}
	if (mode === 'letsencrypt') {
		await letsencrypt(ctx, io, shell, commands, plan, verdict);
	} else if (verdict.replace) {
		const made = plan.existing
			? {certificate: plan.existing.chain, privateKey: plan.existing.key}
			: await (await import('../../source/acme/self-signed.js')).makeSelfSigned([plan.domain, `*.${plan.domain}`]); // @peculiar/x509 is slow to load: only when used
		await install(commands, plan.root, made.certificate, made.privateKey);
		const info = inspectCertificate(made.certificate)!;
		io.line(`certificate for ${info.names.join(', ')}, SHA-256 fingerprint ${info.fingerprint}`);
	}
	if (verdict.fixKeyMode) {
		const key = renewerPaths(plan.root).privkey;
		await commands.runAll([chown('root:root', key), chmod('0600', key)]);
	}
}

export const certificateStep: Step = {
	id: 'certificate',
	title: 'Certificate',
	summary: "a valid certificate for the lab's name is on the server (Let's Encrypt, self-signed or your own) and renews itself there",
	dependsOn: ['dns'],
	facts: ({config}) => certificateFactsFor(config),
	inputs: [
		'domain',
		'dns.subdomains',
		'lab.root',
		'certificate.mode',
		'certificate.email',
		'certificate.staging',
		'certificate.directoryUrl',
		'certificate.caFile',
		'certificate.certFile',
		'certificate.keyFile',
		'certificate.renewDays',
		'certificate.renewerImage',
	],
	async check(ctx): Promise<Check> {
		let plan: CertificatePlan;
		try {
			plan = await certificatePlan(ctx);
		} catch (error) {
			return {status: 'blocked', reason: (error as Error).message, fix: 'Fix the path in lab.yaml, then run `labbox run certificate`.'};
		}
		// The facts were read with every other step's (issue 11); the plan reads local files only.
		const verdict = certificateVerdict(readCertificateFacts(await ctx.facts(), plan.root), plan);
		// A plan (which reads who holds port 80, starting nothing) shows it; a run proves it once, in apply, before any change.
		if (ctx.planning && verdict.status === 'todo' && verdict.replace && ctx.config['certificate.mode'] === 'letsencrypt') {
			const ready = await caCanValidate(ctx, plan.domain);
			if (ready.status === 'blocked') {
				return ready;
			}
		}
		return verdict.status === 'todo' ? {status: 'todo', changes: verdict.changes} : verdict;
	},
	apply,
	health,
};

/** `labbox status`: the certificate on the server, its days left, and (letsencrypt) its renewal there. */
async function health(ctx: StepContext): Promise<Health> {
	const root = ctx.config['lab.root'];
	const {chain, status} = certificateFactSet(root, [], undefined);
	const found = await gatherFacts(await labShell(ctx), {chain, status}, {signal: ctx.signal});
	const info = found.chain ? inspectCertificate(found.chain) : undefined;
	if (!info) {
		return {ok: false, text: `no certificate in ${renewerPaths(root).fullchain} (run \`labbox run certificate\`)`};
	}
	if (ctx.config['certificate.mode'] === 'letsencrypt') {
		// No renewal.json: the renewer never ran, which is the news; else the dates, with the expiry of what is in place.
		const status = parseStatus(found.status);
		return describeRenewal(status && {...status, expiry: info.notAfter.toISOString()});
	}
	const left = daysLeft(info.notAfter);
	const expiry = `${info.notAfter.toISOString().slice(0, 10)} (${left} days)`;
	return left < 0
		? {ok: false, text: `the certificate expired on ${expiry}: replace it, then run \`labbox run certificate\``}
		: {
				ok: true,
				text: `expires ${expiry}; ${ctx.config['certificate.mode']} certificates are not renewed on the server: run \`labbox run certificate\` before then`,
			};
}
