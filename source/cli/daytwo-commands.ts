/**
 * The commands for living with a lab after day one (issue 13): users, logs, ssh, destroy, upgrade. Registered
 * here so main.ts only adds one line; each command's work is in its own file, loaded when it runs.
 */
import type {Command} from 'commander';
import type {Step} from '../engine/types.js';
import type {GlobalFlags, Io} from './context.js';
import {examples} from './help.js';
import type {RunCommandOptions} from './run-command.js';

export interface DayTwoWiring {
	readonly io: Io;
	readonly flags: () => GlobalFlags;
	/** The io with the lab's steps loaded. */
	readonly withSteps: () => Promise<Io & {steps: readonly Step[]}>;
	readonly runCommand: (options: RunCommandOptions, io: Io) => Promise<number>;
	/** Where the command's exit code goes. */
	readonly setCode: (code: number) => void;
}

const exits = (...lines: string[]) => `\nExit codes:\n${lines.map(line => `  ${line}`).join('\n')}\n`;
const usage = '2    bad usage, a bad name or configuration (nothing was changed)';
const interrupted = '130  interrupted with Ctrl-C';

export const dayTwoHelp = {
	users: `${examples("labbox users                        # who may log in, admins, and each one's server and last activity", 'labbox users add grace              # allow grace (lab.yaml), then restart the hub', 'labbox users add ada --admin        # allow ada as an admin of the hub', 'labbox users remove grace           # stop her server, end her sessions; her home is kept', 'labbox users remove grace --delete-home   # ... then delete her home (asks for the name again)', 'labbox users add grace --yes        # for scripts: no question', 'labbox users approve grace          # lab accounts: approve grace, who signed up')}\nWith lab accounts (auth.type local), \`users\` also lists who waits for approval, and \`users add NAME\` makes NAME's\naccount, approved, with a one-time password shown once (also when auth.signup is false).\n${exits('0    done (or nothing to change, or the plan was declined)', '1    the hub could not be asked, or applying failed (lab.yaml has the change: run labbox run stack)', usage + '; without a terminal, --yes is needed', interrupted)}`,
	logs: `${examples('labbox logs                         # the hub and nginx, everything they logged', 'labbox logs hub --since 10m         # the hub, the last ten minutes', 'labbox logs hub --follow            # ... and on as it writes (Ctrl-C ends)', 'labbox logs renewer --since 2d      # the certificate renewer', 'labbox logs backup --since 1d       # the scheduled backups (labbox-backup.service)', "labbox logs alice                   # alice's notebook server (while it runs)")}\nEvery line passes the same redaction as labbox's own logs: the lab's secrets and token-like strings show as ***.\n${exits('0    done (a --follow ended with Ctrl-C too)', '1    the server or the log could not be read (a user without a running server has no log)', '2    bad usage (an unknown service, a bad --since) or configuration')}`,
	ssh: `${examples('labbox ssh                          # a shell on the server, as labbox connects', 'labbox ssh -- docker ps             # one command, then back')}\nlabbox checks the server's host key first (known_hosts or server.hostKey), then runs your ssh with the lab's\nport, user and key, trusting only that host key (.labbox/known_hosts).\n${exits('0    done (otherwise the exit code of the shell or the command)', '1    labbox could not connect', '2    configuration', '255  ssh could not connect')}`,
	destroy: `${examples('labbox destroy                      # the plan, then remove containers, units and timers; keep lab.root', 'labbox destroy --yes                # for scripts', 'labbox destroy --purge              # also delete lab.root, homes included (asks for the domain typed)')}\nKept without --purge: homes, shared, datasets, the hub database and certificates under lab.root;\n\`labbox\` afterwards brings the same lab back. sshd's port, Docker and the images stay as they are.\n${exits('0    done (or the plan was declined)', '1    a command on the server failed (the ones after it were not run), or another labbox holds the lab folder', usage + '; without a terminal, --yes is needed; --purge needs a terminal', interrupted)}`,
	upgrade: `${examples('labbox upgrade --check              # is an upgrade available? (exit 3: yes)', 'labbox upgrade                      # the plan (from → to per image), then upgrade', 'labbox upgrade --yes                # for scripts')}\nThe images are those lab.yaml pins (images.*), else this labbox's own. A backup is taken first when backups are\nset up; the hub's database is copied aside; a lab that does not come up on the new images is rolled back.\n${exits('0    done, or nothing to upgrade, or the plan was declined', '1    the upgrade failed (rolled back to the previous images and database; the reason is said)', usage + '; without a terminal, --yes is needed', '3    --check: an upgrade is available', interrupted)}`,
};

export function addDayTwoCommands(program: Command, wiring: DayTwoWiring): void {
	const {io, flags, setCode} = wiring;
	const users = program
		.command('users')
		.description('who may log in, admins, and their servers; add or remove users')
		.addHelpText('after', dayTwoHelp.users);
	users.action(async (options: Record<string, unknown>) => {
		const {usersList} = await import('./users-command.js');
		setCode(await usersList(flags(), options, io));
	});
	const change = (action: 'add' | 'remove') => async (names: string[], options: Record<string, unknown>) => {
		const {usersChange} = await import('./users-command.js');
		const runStack = async () => wiring.runCommand({mode: 'run', flags: flags(), options: {}, only: ['stack']}, await wiring.withSteps());
		setCode(await usersChange(action, names, flags(), options, io, runStack));
	};
	users
		.command('add')
		.argument('<name...>', 'user names, as your login provider gives them')
		.option('--admin', 'also make them admins of the hub')
		.description('allow these users in lab.yaml, then apply it (the hub restarts; other notebooks keep running)')
		.addHelpText('after', dayTwoHelp.users)
		.action(change('add'));
	program
		.command('logs')
		.argument('[service-or-user]', 'hub, nginx, renewer, backup, or a user name (default: hub and nginx)')
		.option('-f, --follow', 'keep printing new lines until Ctrl-C')
		.option('--since <duration>', 'only lines of the last 30s, 10m, 1h, 2d...')
		.description("the lab's logs, streamed from the server, secrets redacted")
		.addHelpText('after', dayTwoHelp.logs)
		.action(async (word: string | undefined, options: Record<string, unknown>) => {
			const {showLogs} = await import('./logs-command.js');
			setCode(await showLogs(word, flags(), options, io));
		});
	program
		.command('ssh')
		.argument('[command...]', 'a command to run instead of a shell (after --)')
		.description("a shell on the server with the lab's connection (port, key, verified host key, user)")
		.addHelpText('after', dayTwoHelp.ssh)
		.action(async (command: string[]) => {
			const {sshCommand} = await import('./ssh-command.js');
			setCode(await sshCommand(command, flags(), {}, io));
		});
	program
		.command('destroy')
		.option('--purge', 'also delete lab.root with every home, dataset and the hub database (asks for the domain typed)')
		.description("remove the lab's containers, units and timers from the server; keep homes and the database")
		.addHelpText('after', dayTwoHelp.destroy)
		.action(async (options: Record<string, unknown>) => {
			const {destroyCommand} = await import('./destroy-command.js');
			setCode(await destroyCommand(flags(), options, io));
		});
	program
		.command('upgrade')
		.option('--check', 'only say whether an upgrade is available (exit 3 when one is)')
		.description('move the lab to the pinned images: plan, backup, database copy, health check, rollback on failure')
		.addHelpText('after', dayTwoHelp.upgrade)
		.action(async (options: Record<string, unknown>) => {
			const {upgradeCommand} = await import('./upgrade-command.js');
			const runSteps = async (only: readonly string[], values: Readonly<Record<string, string>> = {}) =>
				wiring.runCommand({mode: 'run', flags: flags(), options: {...values}, only}, await wiring.withSteps());
			setCode(await upgradeCommand(flags(), options, io, runSteps));
		});
	users
		.command('approve')
		.argument('<name...>', "user names that signed up on the lab's login page")
		.description('lab accounts (auth.type local): approve people who signed up, so they can log in')
		.addHelpText('after', dayTwoHelp.users)
		.action(async (names: string[], options: Record<string, unknown>) => {
			const {usersApprove} = await import('./accounts-command.js');
			setCode(await usersApprove(names, flags(), options, io));
		});
	users
		.command('remove')
		.argument('<name...>', 'user names')
		.option('--delete-home', 'also delete their home folders (asks for each name again)')
		.description('take these users out of lab.yaml, stop their servers and end their sessions; their homes are kept')
		.addHelpText('after', dayTwoHelp.users)
		.action(change('remove'));
}
