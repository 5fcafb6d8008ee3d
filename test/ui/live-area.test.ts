// Issue 10 item 7: the live area never outgrows the terminal. A whole run (examples/live-area: the lab's eight
// steps, apt output, image pulls with long progress labels, the stack's health wait) is drawn by the Ink
// renderer in a real terminal (tmux) at 60×20 and 80×24, in real time; the scroll-back must hold every finished
// step once and no copy of a live frame, and the progress bar must stay on one line.
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {afterEach, describe, expect, it} from 'vitest';
import {tempDir} from '../helpers/lab-folder.js';
import {root} from '../helpers/labbox-process.js';
import {TmuxTerminal} from '../helpers/tmux.js';

const command = `node --import ${pathToFileURL(path.join(root, 'node_modules/tsx/dist/loader.mjs')).href} ${path.join(root, 'examples/live-area/index.ts')}`;
const spinner = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/;
let terminal: TmuxTerminal | undefined;

afterEach(async () => {
	await terminal?.close();
});

describe.each([
	[60, 20],
	[80, 24],
])('the live area at %i×%i', {timeout: 120_000}, (width, height) => {
	it('stays within the screen: no trail of frames, the bar on one line, the summary ends with a newline', async () => {
		terminal = await TmuxTerminal.start(command, {
			cwd: tempDir(),
			width,
			height,
			env: {NODE_ENV: 'production', TERM: 'xterm-256color', TSX_TSCONFIG_PATH: path.join(root, 'tsconfig.json')},
		});
		// Mid-pull: the bar, its percentage and the start of its label (cut to the width) share one line.
		const pulling = await terminal.waitFor(/Images\s+applying[\s\S]*quay\.io\/jupyter/, 60_000);
		expect.soft(pulling).toMatch(/^ {2}█+░*\s+\d+% quay\.io\/jupyter/m);
		await terminal.waitFor(/^EXIT=\d+$/m, 90_000);
		const rows = (await terminal.scrollback()).split('\n');
		// A frame that Ink failed to erase stays behind as a row with a spinner ("⠸ Lab   applying 5s").
		expect(rows.filter(row => spinner.test(row))).toEqual([]);
		expect(rows.filter(row => /applying|waiting for https|earlier lines|│ Unpacking/.test(row))).toEqual([]);
		// Each step named with the id the user types where its title does not say it (issue 10 item 21).
		for (const title of [
			'Connect to the server',
			'SSH port (ssh-port)',
			'Docker',
			"The lab's name (dns)",
			'Certificate',
			'Lab folders (homes)',
			'Images',
			'Lab (stack)',
		]) {
			expect(
				rows.filter(row => row.startsWith(`✔ ${title} `) && /^ +changed /.test(row.slice(title.length + 2))),
				title,
			).toHaveLength(1);
		}
		// The summary's last line, then the shell's next output on a line of its own.
		const exit = rows.findIndex(row => /^EXIT=0$/.test(row));
		expect(exit).toBeGreaterThan(0);
		expect(
			rows
				.slice(0, exit)
				.reverse()
				.find(row => row.trim() !== ''),
		).toMatch(/^Log: /);
	});
});
