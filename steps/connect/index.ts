import type {LabConfig} from '../../source/config/fields.js';
import {envName} from '../../source/config/resolve.js';
import {RemoteError} from '../../source/remote/errors.js';
import {isSupportedOs, supportedOsText} from '../../source/remote/facts/supported-os.js';
import {fingerprint} from '../../source/remote/known-hosts.js';
import {labShell, type LabShell} from '../../source/remote/lab-session.js';
import type {SudoMode} from '../../source/remote/sudo.js';
import type {Check, Step, StepContext} from '../../source/engine/types.js';
import {spaceBlocked, spaceFacts} from '../../source/images/space-check.js';
import {labFacts, type LabFacts} from './facts.js';

export {labFacts, type LabFacts} from './facts.js';

const gib = 1024 ** 3;
/** What a small lab needs: the hub, nginx and a few notebook servers, plus images (scipy-notebook is ~5 GB). */
export const minimum = {memory: 2 * gib, disk: 20 * gib};

/** Becomes root, asking for the sudo password when sudo wants one (three tries, as sudo itself allows). */
async function becomeRoot(ctx: StepContext, shell: LabShell): Promise<SudoMode> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await shell.session.sudoMode();
		} catch (error) {
			const retry = error instanceof RemoteError && (error.kind === 'sudo-password-needed' || error.kind === 'sudo-password');
			if (!retry || attempt >= 3) {
				throw error;
			}
			const password = await ctx
				.prompt({
					key: 'server.sudoPassword',
					kind: 'secret',
					message: `${error.kind === 'sudo-password' ? 'That was not the password. ' : ''}sudo password for ${shell.session.target.username} on the server (not stored)`,
					validate: input => (input === '' ? 'Type the password.' : undefined),
				})
				.catch(() => {
					// No one to ask (--yes, no terminal): sudo's own refusal, and where the password goes (a secret,
					// never lab.yaml).
					throw new RemoteError(
						error.kind,
						error.message,
						`Give the sudo password of ${shell.session.target.username} in ${envName('server.sudoPassword')} (the environment, or secrets.env beside lab.yaml), or run labbox in a terminal without --yes to type it.`,
					);
				});
			shell.session.setSudoPassword(password);
		}
	}
}

const size = (bytes: number) => `${(bytes / gib).toFixed(1)} GiB`;

/** One line for the screen, and warnings with the numbers when the server is small. */
export function describeFacts(facts: LabFacts, root: string): {summary: string; warnings: string[]} {
	const warnings: string[] = [];
	if (facts.memory !== undefined && facts.memory < minimum.memory) {
		warnings.push(
			`only ${size(facts.memory)} of RAM (${size(minimum.memory)} or more recommended): notebooks may be killed for lack of memory`,
		);
	}
	if (facts.disk && facts.disk.available < minimum.disk) {
		warnings.push(
			`only ${size(facts.disk.available)} free on ${facts.disk.mount}, where ${root} lives (${size(minimum.disk)} or more recommended for images and homes)`,
		);
	}
	const parts = [
		facts.os?.prettyName ?? 'unknown OS',
		facts.arch,
		facts.cpus === undefined ? undefined : `${facts.cpus} CPUs`,
		facts.memory === undefined ? undefined : `${size(facts.memory)} RAM`,
		facts.disk ? `${size(facts.disk.available)} free` : undefined,
		facts.sshdStart ? `sshd by ${facts.sshdStart.unit}` : undefined,
		facts.firewall && facts.firewall !== 'none' ? `firewall ${facts.firewall}` : undefined,
		facts.dockerServer ? `Docker ${facts.dockerServer}` : undefined,
	];
	return {summary: parts.filter(Boolean).join(' · '), warnings};
}

/**
 * The check, pure: the facts (the server's own and the space ones) and the configuration in, the verdict and
 * the warnings out.
 */
export function decideConnect(facts: Readonly<Record<string, unknown>>, config: LabConfig): {check: Check; warnings: string[]} {
	const lab = facts as LabFacts;
	const root = config['lab.root'];
	const {summary, warnings} = describeFacts(lab, root);
	if (!isSupportedOs(lab)) {
		return {
			check: {
				status: 'blocked',
				reason: `The server runs ${lab.os?.prettyName ?? 'an unknown OS'}, which labbox does not support`,
				fix: `Use a server with ${supportedOsText}.`,
			},
			warnings,
		};
	}
	if (lab.systemd === false) {
		return {
			check: {
				status: 'blocked',
				reason: 'The server does not run systemd, which the lab needs for Docker and renewals',
				fix: `Use a server with ${supportedOsText} booted with systemd.`,
			},
			warnings,
		};
	}
	// Before any step changes anything: will Docker and the images fit? (issue 9 item 9)
	const space = spaceBlocked(facts, config);
	if (space) {
		return {check: space, warnings};
	}
	return {check: {status: 'done', detail: [summary, ...warnings.map(warning => `⚠ ${warning}`)].join(' — ')}, warnings};
}

export const connect: Step = {
	id: 'connect',
	title: 'Connect to the server',
	summary: 'reach the server over SSH with a verified host key, become root, and read its facts',
	inputs: ['server.host', 'server.port', 'server.user'],
	facts: ({config}) => ({...labFacts(config['lab.root']), ...spaceFacts(config)}),
	async check(ctx): Promise<Check> {
		const shell = await labShell(ctx);
		ctx.activity?.(`Connected to ${shell.session.target.host}; reading its facts…`);
		const sudo = await becomeRoot(ctx, shell);
		// Read with every other selected step's facts, in one round trip (issue 11).
		const found = await ctx.facts();
		const facts = Object.fromEntries(Object.keys(labFacts('/')).map(name => [name, found[name]])) as LabFacts;
		const key = shell.session.hostKey;
		ctx.keep({facts, sudo, hostKey: key ? `${key.type} ${fingerprint(key.blob)}` : undefined});
		const {check, warnings} = decideConnect(found, ctx.config);
		for (const warning of warnings) {
			ctx.log(`warning: ${warning}`);
		}
		return check;
	},
	// Connecting changes nothing on the server: check is either done or blocked, so there is no apply.
};
