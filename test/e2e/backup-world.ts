// What the backup e2e tests share (issue 12): the server's backup record, a home file's bytes and owner, and
// waiting for the hub after a restore.
import {createHash} from 'node:crypto';
import type {Server} from '../world/index.js';
import {fetchHttps} from './lab-world.js';

/** The server's record of its last backup (LAB_ROOT/backup/status.json). */
export async function backupStatus(server: Server): Promise<{result: string; snapshot?: string; bytesAdded?: number}> {
	return JSON.parse((await server.exec('cat /srv/lab/backup/status.json')).stdout);
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A file under the server's homes: `[sha256, uid:gid]`. */
export async function homeFile(server: Server, file: string): Promise<string[]> {
	return (await server.exec(`sha256sum /srv/lab/homes/${file} | cut -c1-64; stat -c '%u:%g' /srv/lab/homes/${file}`)).stdout
		.trim()
		.split('\n');
}

/** Waits (3 minutes at most) until the hub answers /hub/health after a restore; returns the last status. */
export async function hubHealth(domain: string, ca: string, server: Server): Promise<number> {
	let health = 0;
	for (let tries = 0; tries < 90 && health !== 200; tries++) {
		health = (await fetchHttps(`https://${domain}/hub/health`, ca, {host: server.host}).catch(() => ({status: 0}))).status;
		if (health !== 200) await new Promise(resolve => setTimeout(resolve, 2000));
	}
	return health;
}
