import {resolvedConfig} from '../../../source/config/resolve.js';
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {RunResources} from '../../../source/engine/resources.js';
import {StepError, type StepContext} from '../../../source/engine/types.js';
import {toShell} from '../../../source/remote/command.js';
import {gatherFacts} from '../../../source/remote/facts/gather.js';
import type {Session} from '../../../source/remote/session.js';
import {homes, homesCommands, homesWork} from '../../../steps/homes.js';
import {root} from '../../helpers/labbox-process.js';
import {FakeShell, gatheredReply} from '../../helpers/ssh-fake.js';

const folder = path.join(root, 'test/fixtures/steps/homes');
const cases = readdirSync(folder).map(file => [file, JSON.parse(readFileSync(path.join(folder, file), 'utf8'))] as const);

describe('homes', () => {
	it.each(cases)('%s: facts in, commands out', (_file, fixture) => {
		expect(homesCommands(fixture.root, fixture.facts, fixture.made).map(command => toShell(command))).toEqual(fixture.commands);
	});

	it.each(cases)('%s: one plan line per folder', (_file, fixture) => {
		expect(homesWork(fixture.root, fixture.facts, fixture.made).map(item => item.change)).toEqual(fixture.changes);
	});
});

/** A run context whose SSH session is a FakeShell answering the homes facts with `folders` (stat lines) and `made`. */
function consentContext(options: {folders: string; made?: string; interactive: boolean; adopt?: boolean; answer?: string}) {
	const shell = new FakeShell([[/@@labbox-fact/, gatheredReply({folders: options.folders, made: options.made ?? ''})]]);
	const resources = new RunResources();
	const asked: string[] = [];
	const config = resolvedConfig({'lab.root': '/data/lab', ...(options.adopt === undefined ? {} : {'lab.adoptFolders': options.adopt})});
	const ctx: StepContext = {
		config,
		// The step's declared facts, read from the fake server as the engine reads them (in one round trip).
		facts: async () => gatherFacts(shell, homes.facts!({config, target: {host: 'server', port: 22, username: 'root'}})),
		signal: new AbortController().signal,
		labDir: '.',
		interactive: options.interactive,
		planning: false,
		shared: new Map(),
		resources,
		log: () => {},
		async prompt(question) {
			asked.push(question.message);
			if (options.answer === undefined) {
				throw new StepError(
					`${question.message}: no answer (running with --yes or without a terminal).`,
					`Set ${question.key} in lab.yaml`,
				);
			}
			return options.answer;
		},
		keep: () => {},
		updateConfig: async () => {},
	};
	void resources.get('ssh', async () => shell as unknown as Session);
	const changed = () => shell.commands.filter(command => /^(chmod|chown|test -d)/.test(command));
	return {ctx, asked, changed};
}

const io = {line: () => {}, progress: () => {}, detail: () => {}};
const everyFolder = [
	'/data/lab|1777|0:0|root:root|directory',
	'/data/lab/homes|755|0:0|root:root|directory',
	'/data/lab/shared|2775|1000:100|ada:users|directory',
	'/data/lab/datasets|755|0:0|root:root|directory',
	'/data/lab/data|700|0:0|root:root|directory',
].join('\n');
const foreignRootLine = 'change /data/lab from 1777 to 755 (a folder labbox did not create)';

describe('homes: a folder labbox did not create (issue 9 item 2)', () => {
	it('under --yes, the check is blocked naming the change and the key that allows it; nothing runs', async () => {
		const {ctx, changed} = consentContext({folders: everyFolder, interactive: false});
		const check = await homes.check(ctx);
		expect(check).toEqual({
			status: 'blocked',
			reason: `labbox would change folders it did not create: ${foreignRootLine}`,
			fix: expect.stringContaining('set lab.adoptFolders: true in lab.yaml (or --lab-adopt-folders)'),
		});
		expect(changed()).toEqual([]);
	});

	it('in a terminal, the plan says so, and a "no" changes nothing', async () => {
		const {ctx, asked, changed} = consentContext({folders: everyFolder, interactive: true, answer: 'false'});
		expect(await homes.check(ctx)).toEqual({status: 'todo', changes: [foreignRootLine]});
		const error = await homes.apply!(ctx, io).catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(StepError);
		expect((error as StepError).message).toContain(foreignRootLine);
		expect(asked).toEqual([`${foreignRootLine}. Change it?`]);
		expect(changed()).toEqual([]);
	});

	it('a "yes" changes it', async () => {
		const {ctx, changed} = consentContext({folders: everyFolder, interactive: true, answer: 'true'});
		await homes.apply!(ctx, io);
		expect(changed()).toEqual(['chmod 0755 /data/lab']);
	});

	it('apply shows each command it runs, as root, in the live tail (issue 11 item 2)', async () => {
		const {ctx} = consentContext({folders: everyFolder, made: '/data/lab\n', interactive: false});
		const lines: string[] = [];
		await homes.apply!(ctx, {...io, line: text => lines.push(text)});
		expect(lines).toEqual(['/data/lab: mode 1777 → 755', '$ chmod 0755 /data/lab']);
	});

	it('lab.adoptFolders: true allows it without a question, also under --yes', async () => {
		const {ctx, asked, changed} = consentContext({folders: everyFolder, interactive: false, adopt: true});
		expect(await homes.check(ctx)).toEqual({status: 'todo', changes: [foreignRootLine]});
		await homes.apply!(ctx, io);
		expect(asked).toEqual([]);
		expect(changed()).toEqual(['chmod 0755 /data/lab']);
	});

	it('a folder labbox recorded as its own is set right without a question', async () => {
		const {ctx, asked, changed} = consentContext({folders: everyFolder, made: '/data/lab\n', interactive: false});
		expect(await homes.check(ctx)).toEqual({status: 'todo', changes: ['/data/lab: mode 1777 → 755']});
		await homes.apply!(ctx, io);
		expect(asked).toEqual([]);
		expect(changed()).toEqual(['chmod 0755 /data/lab']);
	});

	it('apply says `unchanged` when it finds every folder already so, `changed` otherwise (issue 10 item 10)', async () => {
		const ready = everyFolder.replace('/data/lab|1777|', '/data/lab|755|');
		const {ctx, changed} = consentContext({folders: ready, interactive: false});
		expect(await homes.apply!(ctx, io)).toBe('unchanged');
		expect(changed()).toEqual([]);
		const {ctx: todo} = consentContext({folders: everyFolder, made: '/data/lab\n', interactive: false});
		expect(await homes.apply!(todo, io)).toBeUndefined();
	});

	it('folders it creates are recorded as its own, in the same command', () => {
		expect(toShell(homesCommands('/srv/lab', {})[0]!)).toBe(
			"test -d /srv/lab || { mkdir -p /srv/lab && printf '%s\\n' /srv/lab >> /srv/lab/.labbox-folders ; }",
		);
	});
});
