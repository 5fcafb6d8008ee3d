import {mkdir, readFile, rm, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {worldDir} from './config.js';
import {say} from './log.js';
import {processAlive} from '../../source/engine/process-alive.js';

const lockDir = join(worldDir, 'up.lock');
const ownerFile = join(lockDir, 'pid');

/**
 * One `up` at a time on a machine (several test runs may start together): mkdir is atomic, the
 * owner's pid is written inside, and a lock whose owner died is taken over. Bounded: a cold `up`
 * takes minutes, so waiting gives up after 20.
 */
export async function withUpLock<T>(work: () => Promise<T>): Promise<T> {
	await mkdir(worldDir, {recursive: true});
	const deadline = Date.now() + 20 * 60_000;
	let told = false;
	for (let attempt = 0; ; attempt++) {
		try {
			await mkdir(lockDir);
			await writeFile(ownerFile, String(process.pid));
			break;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
			const owner = Number(await readFile(ownerFile, 'utf8').catch(() => '0'));
			// No pid yet may mean the owner is between mkdir and writeFile: give it a moment first.
			if ((owner > 0 && !processAlive(owner)) || (owner === 0 && attempt > 20)) {
				await rm(lockDir, {recursive: true, force: true});
				continue;
			}
			if (Date.now() > deadline) throw new Error(`another world \`up\` (pid ${owner}) held ${lockDir} for 20 minutes`);
			if (!told) say(`waiting for another world \`up\` (pid ${owner}) to finish`);
			told = true;
			await sleep(500);
		}
	}
	try {
		return await work();
	} finally {
		await rm(lockDir, {recursive: true, force: true});
	}
}
