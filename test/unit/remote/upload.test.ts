import {execFile} from 'node:child_process';
import {mkdtemp, readdir, readFile, rm, stat} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {afterEach, beforeEach, expect, it} from 'vitest';
import {toShell} from '../../../source/remote/command.js';
import {uploadCommand} from '../../../source/remote/upload.js';

const run = promisify(execFile);

it('uploadCommand', () => {
	expect(toShell(uploadCommand('/srv/lab/.env', {mode: '0600', owner: 'root:root'}, 'abcd'))).toBe(
		'umask 077 && cat > /srv/lab/.env.labbox-abcd && chmod 0600 /srv/lab/.env.labbox-abcd && ' +
			'chown root:root /srv/lab/.env.labbox-abcd && mv -f /srv/lab/.env.labbox-abcd /srv/lab/.env || ' +
			'{ rm -f /srv/lab/.env.labbox-abcd ; false ; }',
	);
});

let folder: string;
beforeEach(async () => {
	folder = await mkdtemp(join(tmpdir(), 'labbox-upload-'));
});
afterEach(async () => rm(folder, {recursive: true, force: true}));

// The rendered command really runs in sh: success replaces the file, failure leaves no temporary file.
it('writes atomically with the mode, and cleans up on failure', async () => {
	const target = join(folder, 'a file');
	const child = run('sh', ['-c', toShell(uploadCommand(target, {mode: '0640'}))]);
	child.child.stdin!.end('hello\n');
	await child;
	expect(await readFile(target, 'utf8')).toBe('hello\n');
	expect((await stat(target)).mode & 0o777).toBe(0o640);

	const failing = run('sh', ['-c', toShell(uploadCommand(target, {mode: 'not-a-mode'}))]);
	failing.child.stdin!.end('other\n');
	await expect(failing).rejects.toThrow();
	expect(await readFile(target, 'utf8')).toBe('hello\n');
	expect(await readdir(folder)).toEqual(['a file']);
});
