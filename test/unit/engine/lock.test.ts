import {spawn} from 'node:child_process';
import {once} from 'node:events';
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {setTimeout as sleep} from 'node:timers/promises';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {acquireLock, LockHeldError} from '../../../source/engine/lock.js';
import {tempDir} from '../../helpers/lab-folder.js';
import {hostname} from 'node:os';

describe('lock', () => {
	it('refuses a second holder, naming the first one', async () => {
		const file = path.join(tempDir(), '.labbox', 'lock');
		const release = await acquireLock(file, 'labbox setup');
		const second = acquireLock(file, 'labbox run docker');
		await expect(second).rejects.toBeInstanceOf(LockHeldError);
		await expect(second).rejects.toThrow(new RegExp(`pid ${process.pid} on .*"labbox setup"`));
		await release();
		expect(existsSync(file)).toBe(false);
		const again = await acquireLock(file, 'labbox run docker');
		await again();
	});

	it('takes over a stale lock left by a dead process', async () => {
		const file = path.join(tempDir(), 'lock');
		// Pids wrap far below 2^22 on Linux, so this one cannot be alive.
		writeFileSync(file, JSON.stringify({pid: 4_194_304 + 17, host: hostname(), startedAt: '2026-01-01T00:00:00Z', command: 'labbox'}));
		const release = await acquireLock(file, 'labbox setup');
		await release();
	});

	it('takes over a lock whose holder is a zombie (killed with its terminal, never reaped)', async () => {
		// `sleep 0.1` ends while its parent, exec'd into `sleep 30`, never waits for it: a zombie with a known pid.
		const parent = spawn('sh', ['-c', 'sleep 0.1 & echo $!; exec sleep 30'], {stdio: ['ignore', 'pipe', 'ignore']});
		try {
			const [line] = (await once(parent.stdout!, 'data')) as [Buffer];
			const pid = Number(line.toString().trim());
			await until(() => readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z'));
			const file = path.join(tempDir(), 'lock');
			writeFileSync(file, JSON.stringify({pid, host: hostname(), startedAt: '2026-01-01T00:00:00Z', command: 'labbox'}));
			const release = await acquireLock(file, 'labbox setup');
			await release();
		} finally {
			parent.kill();
		}
	});

	it('takes over a lock file cut short by a kill -9', async () => {
		const file = path.join(tempDir(), 'lock');
		writeFileSync(file, '{"pid": 12');
		const release = await acquireLock(file, 'labbox setup');
		await release();
	});
});

/** Waits (5 s at most) until the condition holds. */
async function until(condition: () => boolean): Promise<void> {
	for (let tries = 0; tries < 100 && !condition(); tries++) {
		await sleep(50);
	}
}
