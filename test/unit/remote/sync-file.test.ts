import {createHash} from 'node:crypto';
import {mkdtemp, readFile, rm, stat} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {toShell} from '../../../source/remote/command.js';
import {planFile, syncFile} from '../../../source/remote/sync-file.js';
import {FakeShell} from '../../helpers/ssh-fake.js';
import {useFakeSession} from '../../helpers/ssh-session.js';

const content = 'SECRET=1\n';
const sha256 = createHash('sha256').update(content).digest('hex');
const file = {path: '/srv/lab/.env', content, mode: '0600', owner: 'root:root'};
const same = {mode: '600', owner: '0:0', ownerName: 'root:root', sha256};

describe('planFile', () => {
	it('creates a missing file, and uploads when it cannot tell', () => {
		expect(planFile(false, file)).toEqual({upload: true, commands: [], changes: ['create /srv/lab/.env']});
		expect(planFile(undefined, file).upload).toBe(true);
	});

	it('updates a file whose content differs', () => {
		expect(planFile({...same, sha256: '0'.repeat(64)}, file).changes).toEqual(['update /srv/lab/.env']);
	});

	it('only fixes mode and owner when the content is the same', () => {
		const plan = planFile({...same, mode: '644', owner: '1000:1000', ownerName: 'ada:ada'}, file);
		expect(plan.upload).toBe(false);
		expect(plan.commands.map((command) => toShell(command))).toEqual([
			'chmod 0600 /srv/lab/.env',
			'chown root:root /srv/lab/.env',
		]);
		expect(plan.changes).toEqual([
			'set mode 0600 on /srv/lab/.env (was 644)',
			'set owner root:root on /srv/lab/.env (was ada:ada)',
		]);
	});

	it('is already so with the same content, mode and owner (by name or number)', () => {
		expect(planFile(same, file).changes).toEqual([]);
		expect(planFile(same, {...file, owner: '0:0'}).changes).toEqual([]);
	});
});

describe('syncFile', () => {
	it('runs nothing more than the inspection when the file is already so', async () => {
		const shell = new FakeShell([[/^sh -c 'stat/, {stdout: `600 0:0 root:root\n${sha256}  /srv/lab/.env\n`}]]);
		expect(await syncFile(shell, file, {sudo: true})).toEqual([]);
		expect(shell.calls).toHaveLength(1);
		expect(shell.calls[0]!.sudo).toBe(true);
	});

	describe('over SSH', () => {
		const fake = useFakeSession('root', {password: 'root-pw'});
		let folder: string;
		beforeAll(async () => {
			folder = await mkdtemp(join(tmpdir(), 'labbox-sync-'));
		});
		afterAll(async () => rm(folder, {recursive: true, force: true}));

		it('uploads once, then finds it already so, and only re-applies a changed mode', async () => {
			const target = {path: join(folder, 'compose.yaml'), content: 'services: {}\n', mode: '0640'};
			expect(await syncFile(fake.session(), target)).toEqual([`create ${target.path}`]);
			expect(await readFile(target.path, 'utf8')).toBe(target.content);
			expect(await syncFile(fake.session(), target)).toEqual([]);
			expect(await syncFile(fake.session(), {...target, mode: '0600'})).toEqual([`set mode 0600 on ${target.path} (was 640)`]);
			expect((await stat(target.path)).mode & 0o777).toBe(0o600);
		});
	});
});
