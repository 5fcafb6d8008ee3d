import {createHash} from 'node:crypto';
import {mkdtemp, readFile, rm, stat, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {toShell} from '../../../source/remote/command.js';
import {fileStates} from '../../../source/remote/facts/file-state.js';
import {gatherFacts} from '../../../source/remote/facts/gather.js';
import {desiredFileStates, planFile, planFiles, readFileChanges, writeFileChanges} from '../../../source/remote/file-sync.js';
import {FakeShell, gatheredReply} from '../../helpers/ssh-fake.js';
import {useFakeSession} from '../../helpers/ssh-session.js';

const content = 'SECRET=1\n';
const sha256 = createHash('sha256').update(content).digest('hex');
const file = {path: '/srv/lab/.env', content, mode: '0600', owner: 'root:root'};
const same = {type: 'regular file', mode: '600', owner: '0:0', ownerName: 'root:root', sha256};
const signal = new AbortController().signal;

describe('planFile', () => {
	it('creates a missing file, and writes one whose content it cannot read', () => {
		expect(planFile(file, undefined)).toEqual({file, upload: true, commands: [], changes: ['create /srv/lab/.env']});
		expect(planFile(file, {...same, sha256: undefined})).toMatchObject({upload: true, changes: ['update /srv/lab/.env']});
	});

	it('updates a file whose content differs', () => {
		expect(planFile(file, {...same, sha256: '0'.repeat(64)})?.changes).toEqual(['update /srv/lab/.env']);
	});

	it('only sets owner, then mode (chown clears setgid), when the content is the same', () => {
		const plan = planFile(file, {...same, mode: '644', owner: '1000:1000', ownerName: 'ada:ada'});
		expect(plan?.upload).toBe(false);
		expect(plan?.commands.map(command => toShell(command))).toEqual(['chown root:root /srv/lab/.env', 'chmod 0600 /srv/lab/.env']);
		expect(plan?.changes).toEqual(['set owner root:root on /srv/lab/.env (was ada:ada)', 'set mode 0600 on /srv/lab/.env (was 644)']);
	});

	it('is already so with the same content, mode and owner (by name or number); no owner asked: any', () => {
		expect(planFile(file, same)).toBeUndefined();
		expect(planFile({...file, owner: '0:0'}, same)).toBeUndefined();
		expect(planFile({...file, owner: undefined}, {...same, owner: '1000:100', ownerName: 'ada:users'})).toBeUndefined();
	});
});

describe('planFiles', () => {
	const files = [
		{path: '/srv/lab/compose.yaml', content: 'services: {}\n', mode: '0644', owner: '0:0'},
		{path: '/srv/lab/.env', content: 'LABBOX_SECRETS=e30=\n', mode: '0600', owner: '0:0'},
		{path: '/srv/lab/nginx/lab.conf', content: 'server {}\n', mode: '0644', owner: '0:0'},
	];
	const hash = (text: string) => createHash('sha256').update(text).digest('hex');

	it('reads every file in one command, and plans only missing, changed or loosened files', () => {
		const fact = desiredFileStates(files);
		expect(toShell(fact.command)).toBe(
			"stat -c '%n|%a|%u:%g|%U:%G|%F' /srv/lab/compose.yaml /srv/lab/.env /srv/lab/nginx/lab.conf 2>/dev/null ; sha256sum /srv/lab/compose.yaml /srv/lab/.env /srv/lab/nginx/lab.conf 2>/dev/null",
		);
		const output = [
			'/srv/lab/compose.yaml|644|0:0|root:root|regular file',
			'/srv/lab/.env|644|0:0|root:root|regular file',
			'/srv/lab/nginx/lab.conf|644|0:0|root:root|regular file',
			`${hash('services: {}\n')}  /srv/lab/compose.yaml`,
			`${hash('LABBOX_SECRETS=e30=\n')}  /srv/lab/.env`,
			`${hash('old')}  /srv/lab/nginx/lab.conf`,
		].join('\n');
		expect(planFiles(files, fact.parse(output)).map(change => change.changes)).toEqual([
			['set mode 0600 on /srv/lab/.env (was 644)'],
			['update /srv/lab/nginx/lab.conf'],
		]);
		expect(planFiles(files, fact.parse('')).map(change => change.upload)).toEqual([true, true, true]);
		expect(planFiles(files, undefined)).toHaveLength(3);
	});

	it('is a plain fact: gathered in the same round trip as any other', async () => {
		const shell = new FakeShell([
			[
				/@@labbox-fact/,
				gatheredReply({files: `/srv/lab/.env|600|0:0|root:root|regular file\n${hash('LABBOX_SECRETS=e30=\n')}  /srv/lab/.env\n`}),
			],
		]);
		const found = await gatherFacts(shell, {files: fileStates(['/srv/lab/.env'])});
		expect(planFiles([files[1]!], found.files)).toEqual([]);
		expect(shell.calls).toHaveLength(1);
	});
});

describe('reading and writing', () => {
	it('reads as root in one command, and runs nothing more when every file is already so', async () => {
		const shell = new FakeShell([[/^stat/, {stdout: `/srv/lab/.env|600|0:0|root:root|regular file\n${sha256}  /srv/lab/.env\n`}]]);
		expect(await readFileChanges(shell, [file], {signal})).toEqual([]);
		expect(shell.calls).toMatchObject([{sudo: true}]);
	});

	describe('over SSH', () => {
		const fake = useFakeSession('root', {password: 'root-pw'});
		let folder: string;
		beforeAll(async () => {
			folder = await mkdtemp(join(tmpdir(), 'labbox-sync-'));
		});
		afterAll(async () => rm(folder, {recursive: true, force: true}));

		it('uploads what is missing, then finds it so; re-applies only a changed mode; rewrites a changed content', async () => {
			const sync = async (files: Parameters<typeof readFileChanges>[1]) => {
				const changes = await readFileChanges(fake.session(), files, {signal});
				await writeFileChanges(fake.session(), changes, {signal, run: async command => fake.session().run(command, {sudo: true, signal})});
				return changes.flatMap(change => change.changes);
			};
			const compose = {path: join(folder, 'compose.yaml'), content: 'services: {}\n', mode: '0640'};
			const env = {path: join(folder, '.env'), content: 'A=1\n', mode: '0600'};
			expect(await sync([compose, env])).toEqual([`create ${compose.path}`, `create ${env.path}`]);
			expect(await readFile(compose.path, 'utf8')).toBe(compose.content);
			expect(await sync([compose, env])).toEqual([]);
			expect(await sync([{...compose, mode: '0600'}, env])).toEqual([`set mode 0600 on ${compose.path} (was 640)`]);
			expect((await stat(compose.path)).mode & 0o777).toBe(0o600);
			await writeFile(env.path, 'A=2\n');
			expect(await sync([{...compose, mode: '0600'}, env])).toEqual([`update ${env.path}`]);
			expect(await readFile(env.path, 'utf8')).toBe('A=1\n');
		});
	});
});
