import {envName} from '../source/config/resolve.js';
import {RemoteError} from '../source/remote/errors.js';
import {gatherFacts, labFacts, type LabFacts} from '../source/remote/facts/gather.js';
import {isSupportedOs, supportedOsText} from '../source/remote/facts/supported-os.js';
import {fingerprint} from '../source/remote/known-hosts.js';
import {labShell, type LabShell} from '../source/remote/lab-session.js';
import type {SudoMode} from '../source/remote/sudo.js';
import type {Check, Step, StepContext} from '../source/engine/types.js';
import {spaceCheck} from './images/space-check.js';

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
					throw new RemoteError(error.kind, error.message, `Give the sudo password of ${shell.session.target.username} in ${envName('server.sudoPassword')} (the environment, or secrets.env beside lab.yaml), or run labbox in a terminal without --yes to type it.`);
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
		warnings.push(`only ${size(facts.memory)} of RAM (${size(minimum.memory)} or more recommended): notebooks may be killed for lack of memory`);
	}
	if (facts.disk && facts.disk.available < minimum.disk) {
		warnings.push(`only ${size(facts.disk.available)} free on ${facts.disk.mount}, where ${root} lives (${size(minimum.disk)} or more recommended for images and homes)`);
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

export const connect: Step = {
	id: 'connect',
	title: 'Connect to the server',
	summary: 'reach the server over SSH with a verified host key, become root, and read its facts',
	inputs: ['server.host', 'server.port', 'server.user'],
	async check(ctx): Promise<Check> {
		const shell = await labShell(ctx);
		ctx.activity?.(`Connected to ${shell.session.target.host}; reading its facts…`);
		const sudo = await becomeRoot(ctx, shell);
		const root = String(ctx.config['lab.root']);
		const facts = await gatherFacts(shell, labFacts(root), {signal: ctx.signal});
		ctx.shared.set('facts', facts);
		const {summary, warnings} = describeFacts(facts, root);
		const key = shell.session.hostKey;
		ctx.keep({facts, sudo, hostKey: key ? `${key.type} ${fingerprint(key.blob)}` : undefined});
		for (const warning of warnings) {
			ctx.log(`warning: ${warning}`);
		}
		if (!isSupportedOs(facts)) {
			return {status: 'blocked', reason: `The server runs ${facts.os?.prettyName ?? 'an unknown OS'}, which labbox does not support`, fix: `Use a server with ${supportedOsText}.`};
		}
		if (facts.systemd === false) {
			return {status: 'blocked', reason: 'The server does not run systemd, which the lab needs for Docker and renewals', fix: `Use a server with ${supportedOsText} booted with systemd.`};
		}
		// Before any step changes anything: will Docker and the images fit? (issue 9 item 9)
		const space = await spaceCheck(ctx, shell);
		if (space) {
			return space;
		}
		return {status: 'done', detail: [summary, ...warnings.map(warning => `⚠ ${warning}`)].join(' — ')};
	},
	// Connecting changes nothing on the server: check is either done or blocked, so there is no apply.
};
