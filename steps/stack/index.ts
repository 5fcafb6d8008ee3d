import {setTimeout as sleep} from 'node:timers/promises';
import path from 'node:path/posix';
import {StepError, type Check, type Health, type Step, type StepContext, type StepIO} from '../../source/engine/types.js';
import {readFile} from '../../source/remote/commands/files.js';
import {labShell, type LabShell} from '../../source/remote/lab-session.js';
import {parseServices} from '../../source/remote/commands/lab-containers.js';
import {withoutEscapes} from '../../source/remote/line-splitter.js';
import {labSettings} from '../../source/templates/settings.js';
import {planFiles} from '../../source/remote/file-sync.js';
import {stepCommands} from '../../source/remote/step-commands.js';
import {placeFiles} from '../../source/templates/lab-files.js';
import {
	composeChangedNothing,
	composeLogs,
	composeUp,
	containerStates,
	failingServices,
	makeFolders,
	parseContainerStates,
	serviceProblems,
	stackServices,
} from './commands.js';
import {applyFirewall, firewallFiles, firewallUnit} from './firewall.js';
import {leafFingerprint, probeHealth, resolveName, type Probe} from './health.js';
import {leaversFrom, removeLeavers, type HubLab} from './hub-users.js';
import {stackFacts} from './facts.js';
import {gatherFacts, type Gathered} from '../../source/remote/facts/gather.js';
import {renderLab} from './inputs.js';
import {removalChange, removedDetail} from './leavers.js';
import {untrustedCertificate} from '../../source/acme/trust.js';

const root = (ctx: Pick<StepContext, 'config'>) => String(ctx.config['lab.root']);
const url = (ctx: StepContext) => `https://${String(ctx.config.domain)}`;
const hubLab = (ctx: StepContext): HubLab => ({root: root(ctx), rules: labSettings(ctx.config).auth, signal: ctx.signal});

/**
 * What differs from the wanted stack, from its facts: files to upload, the notebook firewall, services not
 * running, users to remove. Pure but for reading auth.caFile on this computer.
 */
async function inspected(ctx: Pick<StepContext, 'config' | 'labDir'>, found: Gathered<ReturnType<typeof stackFacts>>) {
	const firewall = firewallFiles();
	const files = [...placeFiles(root(ctx), await renderLab(ctx, {cpus: found.cpus, memory: found.memory})), ...firewall];
	const uploads = planFiles(files, found.fileStates);
	const services = parseServices(found.services ?? '');
	const rulesLoaded = (found.firewall ?? '').trim() === 'in-place';
	const firewallTodo = !rulesLoaded || uploads.some(({file}) => firewall.some(own => own.path === file.path));
	const problems = [...serviceProblems(services), ...(rulesLoaded ? [] : [`the notebook firewall (${firewallUnit}) is not in place`])];
	// A hub that does not run has nobody logged in; a running one is asked who no longer may be (issue 9 item 4).
	const hubRuns = services.some(service => service.service === 'hub' && service.state === 'running');
	const found_ = hubRuns ? leaversFrom(found.hubUsers ?? {code: 1, output: 'no answer'}, labSettings(ctx.config).auth) : [];
	// A hub still running an older configuration cannot be asked yet: it can once it runs with the new files.
	const unknown = (reason: string) =>
		`remove the access of any user lab.yaml no longer allows (${uploads.length > 0 ? 'the hub lists them once it runs with the new files' : `the hub did not list its users: ${reason}`})`;
	const removals = Array.isArray(found_) ? found_.map(removalChange) : [unknown(found_.unknown)];
	return {uploads, firewallTodo, problems, removals};
}

/** The same, read from the server now (apply, verify). */
async function inspect(ctx: StepContext, shell: LabShell) {
	return inspected(ctx, await gatherFacts(shell, stackFacts(ctx.config), {signal: ctx.signal}));
}

/** The last log lines of the services (those named in `problems` first, then the hub), for a failure's output. */
async function diagnose(ctx: StepContext, shell: LabShell, problems: readonly string[] = []): Promise<string[]> {
	const failing = (service: string) => problems.some(problem => problem.startsWith(`${service} `));
	const ordered = [...stackServices].reverse().sort((a, b) => Number(failing(b)) - Number(failing(a)));
	const output: string[] = [];
	for (const service of ordered) {
		const logs = await shell.exec(composeLogs(root(ctx), service), {sudo: true, signal: ctx.signal});
		const lines = withoutEscapes(`${logs.stdout}\n${logs.stderr}`)
			.split('\n')
			.filter(line => line.trim() !== '');
		output.push(`--- ${service} ---`, ...lines.slice(failing(service) ? -40 : -10));
	}
	return output;
}

const waitSeconds = 240;

/** A probe of /hub/health from the laptop, by the lab's name, pinned to the certificate on the server. */
async function healthProbe(ctx: StepContext, shell: LabShell): Promise<() => Promise<Probe>> {
	const domain = String(ctx.config.domain);
	const fingerprint = leafFingerprint(
		(await shell.run(readFile(path.join(root(ctx), 'certs/fullchain.pem')), {sudo: true, signal: ctx.signal})).stdout,
	);
	const resolvers = ctx.config['dns.resolvers'] ?? [];
	return async () => {
		const address = await resolveName(domain, resolvers).catch((error: Error) => error);
		return address instanceof Error
			? {ok: false, reason: `${domain} does not resolve: ${address.message}`}
			: probeHealth(address, domain, fingerprint);
	};
}

/** Waits for /hub/health from the laptop; stops early when a service stops or restarts. */
async function waitHealthy(ctx: StepContext, shell: LabShell, io: StepIO): Promise<void> {
	const probe = await healthProbe(ctx, shell);
	const states = async () => parseContainerStates((await shell.exec(containerStates(root(ctx)), {sudo: true, signal: ctx.signal})).stdout);
	const before = await states();
	const started = Date.now();
	let last: Probe = {ok: false, reason: 'not asked yet'};
	while (Date.now() - started < waitSeconds * 1000) {
		last = await probe();
		if (last.ok) {
			return;
		}
		const problems = failingServices(before, await states());
		if (problems.length > 0) {
			throw new StepError(
				`The lab does not run: ${problems.join('; ')}.`,
				`See the logs below (and \`docker compose logs\` in ${root(ctx)} on the server); fix lab.yaml, then run labbox again.`,
				await diagnose(ctx, shell, problems),
			);
		}
		io.progress(0.5 + (0.5 * (Date.now() - started)) / (waitSeconds * 1000), `waiting for ${url(ctx)}/hub/health: ${last.reason}`);
		await sleep(2000, undefined, {signal: ctx.signal});
	}
	throw new StepError(
		`${url(ctx)}/hub/health did not answer within ${waitSeconds} s: ${last.ok ? '' : last.reason}.`,
		`Check that ${String(ctx.config.domain)} points to the server and that ports 80 and 443 are open to you; the hub's last log lines are below.`,
		await diagnose(ctx, shell),
	);
}

export const stack: Step = {
	id: 'stack',
	title: 'Lab',
	summary: 'the compose stack (nginx, JupyterHub with DockerSpawner and the login) runs and answers https://NAME/hub/health',
	dependsOn: ['images', 'certificate', 'homes'],
	inputs: [
		'domain',
		'lab.root',
		'images.singleuser',
		'images.choices',
		'images.hub',
		'images.hubBuild',
		'images.nginx',
		'limits.memory',
		'limits.cpu',
		'limits.pids',
		'culler.timeout',
		'auth.type',
		'auth.gitlabUrl',
		'auth.issuer',
		'auth.clientId',
		'auth.allowedUsers',
		'auth.allowedGroups',
		'auth.allowAll',
		'auth.admins',
		'auth.caFile',
		'auth.usernameClaim',
		'auth.groupsClaim',
		'auth.clientAuth',
		'auth.signup',
		'auth.passwordMinLength',
		'auth.githubUrl',
	],
	facts: ({config}) => stackFacts(config),
	async check(ctx): Promise<Check> {
		// Read with every other step's facts, in one round trip (issue 11).
		const {uploads, problems, removals} = await inspected(ctx, (await ctx.facts()) as Gathered<ReturnType<typeof stackFacts>>);
		if (uploads.length === 0 && problems.length === 0 && removals.length === 0) {
			ctx.shared.set('url', url(ctx));
			ctx.shared.set('untrusted', untrustedCertificate(ctx.config));
			return {status: 'done', detail: `${url(ctx)} runs`};
		}
		const up = uploads.length > 0 || problems.length > 0 ? ['docker compose up (recreates only what changed)'] : [];
		return {status: 'todo', changes: [...uploads.map(({file}) => `write ${file.path}`), ...problems, ...up, ...removals]};
	},
	async apply(ctx, io) {
		const shell = await labShell(ctx);
		const commands = stepCommands(ctx, io, shell);
		const {uploads, firewallTodo} = await inspect(ctx, shell);
		await commands.run(makeFolders(root(ctx)));
		await commands.write(uploads);
		if (firewallTodo) {
			// Before compose up: a notebook server is never up without its rules.
			await commands.run(applyFirewall());
		}
		io.progress(0.1, 'docker compose up');
		const result = await commands.exec(composeUp(root(ctx)));
		if (result.code !== 0) {
			throw new StepError(
				`docker compose up failed (exit code ${result.code}).`,
				'See the output below; fix lab.yaml, then run labbox again.',
				[
					...`${result.stdout}\n${result.stderr}`
						.split('\n')
						.filter(line => line.trim() !== '')
						.slice(-20),
					...(await diagnose(ctx, shell)),
				],
			);
		}
		io.progress(0.5, `waiting for ${url(ctx)}/hub/health`);
		await waitHealthy(ctx, shell, io);
		ctx.shared.set('url', url(ctx));
		// After the hub runs with the new allow list: before, a removed user could log in again meanwhile.
		const removed = await removeLeavers(shell, hubLab(ctx), io);
		ctx.shared.set('untrusted', untrustedCertificate(ctx.config));
		io.progress(1);
		io.detail(`${url(ctx)} answers${removed.length > 0 ? `; ${removedDetail(removed)}` : ''}`);
		// Applied only because its inputs or a dependency changed, to a stack already as wanted (issue 10 item 10).
		const same = uploads.length === 0 && !firewallTodo && removed.length === 0;
		return same && composeChangedNothing(`${result.stdout}\n${result.stderr}`) ? 'unchanged' : undefined;
	},
	async verify(ctx): Promise<Check> {
		const {uploads, problems, removals} = await inspect(ctx, await labShell(ctx));
		if (uploads.length > 0 || problems.length > 0 || removals.length > 0) {
			return {
				status: 'blocked',
				reason: `after compose up: ${[...uploads.map(({file}) => `${file.path} differs`), ...problems, ...removals.map(removal => `still to do: ${removal}`)].join('; ')}`,
				fix: 'Run labbox run stack again; if it persists, look at `docker compose logs` on the server.',
			};
		}
		return {status: 'done', detail: `${url(ctx)} answers`};
	},
	/** `labbox status`: one GET of /hub/health from here, as the step's own wait does it. */
	async health(ctx): Promise<Health> {
		const probe = await healthProbe(ctx, await labShell(ctx));
		const started = Date.now();
		const answer = await probe();
		return answer.ok
			? {ok: true, text: `${url(ctx)}/hub/health answers (${Date.now() - started} ms)`}
			: {ok: false, text: `${url(ctx)}/hub/health: ${answer.reason}`};
	},
};
