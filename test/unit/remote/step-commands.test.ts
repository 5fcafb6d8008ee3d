import {describe, expect, it} from 'vitest';
import {sensitive, type Command} from '../../../source/remote/command.js';
import {ShellBase, type ExecOptions, type ExecResult} from '../../../source/remote/remote-shell.js';
import {stepCommands} from '../../../source/remote/step-commands.js';

/** A shell that answers every command with two lines and records the options each got. */
class RecordingShell extends ShellBase {
	readonly options: ExecOptions[] = [];

	async exec(_command: Command, options: ExecOptions = {}): Promise<ExecResult> {
		this.options.push(options);
		options.onLine?.('first', 'stdout');
		options.onLine?.('oops', 'stderr');
		return {code: 0, stdout: 'first\n', stderr: 'oops\n'};
	}
}

function setUp() {
	const shell = new RecordingShell();
	const lines: Array<[string, string | undefined]> = [];
	const controller = new AbortController();
	const commands = stepCommands({signal: controller.signal}, {line: (text, stream) => lines.push([text, stream])}, shell);
	return {shell, lines, controller, commands};
}

describe("a step's commands (issue 11 item 2)", () => {
	it('are echoed redacted, run as root with the run signal, and their lines streamed to the tail', async () => {
		const {shell, lines, controller, commands} = setUp();
		const seen: string[] = [];
		await commands.run(['docker', 'login', '--password', sensitive('hunter22')], {onLine: line => seen.push(line)});
		expect(lines).toEqual([
			['$ docker login --password ***', undefined],
			['first', 'stdout'],
			['oops', 'stderr'],
		]);
		expect(seen).toEqual(['first', 'oops']);
		expect(shell.options[0]).toMatchObject({sudo: true, signal: controller.signal});
	});

	it('always pass an abort signal: a command that must not stop at Ctrl-C gets a bounded one of its own', async () => {
		const {shell, controller, commands} = setUp();
		await commands.exec(['true'], {untilDone: true});
		await commands.exec(['id'], {asUser: true});
		const [untilDone, asUser] = shell.options;
		expect(untilDone!.signal).toBeInstanceOf(AbortSignal);
		expect(untilDone!.signal).not.toBe(controller.signal);
		expect(asUser).toMatchObject({sudo: false, signal: controller.signal});
	});

	it('write files through the one file sync, saying each change', async () => {
		const {shell, lines, controller, commands} = setUp();
		const file = {path: '/srv/lab/.env', content: 'A=1\n', mode: '0600', owner: '0:0'};
		await commands.write([{file, upload: true, commands: [], changes: ['create /srv/lab/.env']}]);
		expect(lines[0]).toEqual(['create /srv/lab/.env', undefined]);
		expect(shell.options[0]).toMatchObject({sudo: true, signal: controller.signal, stdin: 'A=1\n'});
	});
});
