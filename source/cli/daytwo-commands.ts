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
	users: `${examples('labbox users                        # who may log in, admins, and each one\'s server and last activity', 'labbox users add grace              # allow grace (lab.yaml), then restart the hub', 'labbox users add ada --admin        # allow ada as an admin of the hub', 'labbox users remove grace           # stop her server, end her sessions; her home is kept', 'labbox users remove grace --delete-home   # ... then delete her home (asks for the name again)', 'labbox users add grace --yes        # for scripts: no question')}${exits('0    done (or nothing to change, or the plan was declined)', '1    the hub could not be asked, or applying failed (lab.yaml has the change: run labbox run stack)', usage + '; without a terminal, --yes is needed', interrupted)}`,
};

export function addDayTwoCommands(program: Command, wiring: DayTwoWiring): void {
	const {io, flags, setCode} = wiring;
	const users = program.command('users').description('who may log in, admins, and their servers; add or remove users').addHelpText('after', dayTwoHelp.users);
	users.action(async (options: Record<string, unknown>) => {
		const {usersList} = await import('./users-command.js');
		setCode(await usersList(flags(), options, io));
	});
	const change = (action: 'add' | 'remove') => async (names: string[], options: Record<string, unknown>) => {
		const {usersChange} = await import('./users-command.js');
		const runStack = async () => wiring.runCommand({mode: 'run', flags: flags(), options: {}, only: ['stack']}, await wiring.withSteps());
		setCode(await usersChange(action, names, flags(), options, io, runStack));
	};
	users.command('add').argument('<name...>', 'user names, as your login provider gives them').option('--admin', 'also make them admins of the hub').description('allow these users in lab.yaml, then apply it (the hub restarts; other notebooks keep running)').addHelpText('after', dayTwoHelp.users).action(change('add'));
	users.command('remove').argument('<name...>', 'user names').option('--delete-home', 'also delete their home folders (asks for each name again)').description("take these users out of lab.yaml, stop their servers and end their sessions; their homes are kept").addHelpText('after', dayTwoHelp.users).action(change('remove'));
}
