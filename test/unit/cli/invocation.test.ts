import {mkdirSync, symlinkSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {commandLine, invocationFor, launcher, spellCommands} from '../../../source/cli/invocation.js';
import {tempDir} from '../../helpers/lab-folder.js';

describe('how labbox was started (issue 10 item 5)', () => {
	const bin = '/opt/lab-in-a-box/bin/labbox.js';

	it('is npm start when npm ran the start script, npm run NAME for another script that runs labbox', () => {
		expect(launcher({npm_lifecycle_event: 'start', npm_lifecycle_script: 'node bin/labbox.js'}, bin, '/opt/lab-in-a-box')).toBe(
			'npm start --',
		);
		expect(launcher({npm_lifecycle_event: 'lab', npm_lifecycle_script: 'labbox --dir lab'}, bin, '/x')).toBe('npm run lab --');
	});

	it('ignores npm variables inherited from a script that does not run labbox (a test run)', () => {
		expect(launcher({npm_lifecycle_event: 'test', npm_lifecycle_script: 'vitest run', PATH: ''}, bin, '/opt/lab-in-a-box')).toBe(
			'node bin/labbox.js',
		);
	});

	it('is labbox when the labbox on the PATH is this program (npm link), else node and the path', () => {
		const folder = tempDir();
		const real = path.join(folder, 'pkg', 'bin', 'labbox.js');
		mkdirSync(path.dirname(real), {recursive: true});
		writeFileSync(real, '');
		mkdirSync(path.join(folder, 'global'));
		symlinkSync(real, path.join(folder, 'global', 'labbox'));
		expect(launcher({PATH: `/nowhere:${path.join(folder, 'global')}`}, real, '/')).toBe('labbox');
		expect(launcher({PATH: '/nowhere'}, real, path.join(folder, 'pkg'))).toBe('node bin/labbox.js');
		expect(launcher({PATH: '/nowhere'}, real, '/elsewhere')).toBe(`node ${real}`);
	});

	it('is labbox for another program that runs labbox (a test binary)', () => {
		expect(launcher({}, '/repo/test/helpers/labbox-test-bin.ts', '/repo')).toBe('labbox');
	});
});

describe('the commands a hint names', () => {
	const spoken = invocationFor(
		'npm start --',
		{dir: '/home/ada/my-lab', verbose: true, yes: true},
		{serverPort: '2222', authClientSecret: 's3cret', domain: 'lab.example.org'},
		'/home/ada',
	);

	it('keep the flags the user gave, never a secret, the folder as typed', () => {
		expect(spoken).toEqual({head: 'npm start -- --dir ~/my-lab --verbose', tail: '--server-port 2222 --domain lab.example.org'});
		expect(commandLine(spoken, '--resume')).toBe(
			'npm start -- --dir ~/my-lab --verbose --resume --server-port 2222 --domain lab.example.org',
		);
		expect(commandLine(spoken, 'steps')).toBe('npm start -- --dir ~/my-lab --verbose steps');
	});

	it('quote a value with command.ts, the only quoting: a ~ the user gave stays a ~ (issue 11 item 4)', () => {
		expect(invocationFor('labbox', {dir: '~lab'}, {}, '/home/ada').head).toBe("labbox --dir '~lab'");
		expect(invocationFor('labbox', {dir: '/home/ada/my lab'}, {}, '/home/ada').head).toBe("labbox --dir '/home/ada/my lab'");
	});

	it('are rewritten in backticks and in "run labbox", once', () => {
		const plain = invocationFor('labbox', {dir: 'lab'}, {serverPort: '2222'});
		const text = 'Open port 80, then run `labbox run dns`. Or run labbox again; `labbox steps` lists them.';
		const spelled = spellCommands(text, plain);
		expect(spelled).toBe(
			'Open port 80, then run `labbox --dir lab run dns --server-port 2222`. Or run `labbox --dir lab --server-port 2222` again; `labbox --dir lab steps` lists them.',
		);
		expect(spellCommands(spelled, plain)).toBe(spelled);
		expect(spellCommands('run labbox run stack again', spoken)).toBe(
			'run `npm start -- --dir ~/my-lab --verbose run stack --server-port 2222 --domain lab.example.org` again',
		);
		expect(spellCommands('the labbox-renewer.timer; labbox reaches the server', spoken)).toBe(
			'the labbox-renewer.timer; labbox reaches the server',
		);
	});
});
