import {spawn} from 'node:child_process';
import {closeSync, existsSync, openSync} from 'node:fs';
import {mkdir} from 'node:fs/promises';
import {join} from 'node:path';
import {execa} from 'execa';
import {worldDir} from './config.js';
import {assertRoot, ensureHostPackages} from './host-packages.js';
import {waitFor} from './wait.js';

async function engineAnswers(): Promise<boolean> {
	const result = await execa('docker', ['info', '--format', '{{.ServerVersion}}'], {reject: false, timeout: 10_000});
	return result.exitCode === 0;
}

/** Debian's docker.io, installed if missing and started in the background if not running. */
export async function ensureDockerEngine(): Promise<void> {
	if (await engineAnswers()) return;
	await ensureHostPackages(['docker.io']);
	// From Debian 13 on, the client is its own package (docker.io only recommends it).
	if ((await execa('sh', ['-c', 'command -v docker'], {reject: false})).exitCode !== 0) {
		await ensureHostPackages(['docker-cli']);
	}
	if (await engineAnswers()) return;
	assertRoot('start dockerd');
	// No systemd on the test machines: start dockerd ourselves, detached, logging into .world/.
	await mkdir(worldDir, {recursive: true});
	const log = openSync(join(worldDir, 'dockerd.log'), 'a');
	// docker.io puts it in /usr/sbin, which a non-login PATH may lack.
	const dockerd = existsSync('/usr/sbin/dockerd') ? '/usr/sbin/dockerd' : 'dockerd';
	const daemon = spawn(dockerd, [], {detached: true, stdio: ['ignore', log, log]});
	daemon.on('error', () => {}); // reported by the wait below, with dockerd.log to read
	daemon.unref();
	closeSync(log);
	await waitFor(`dockerd to answer (see ${join(worldDir, 'dockerd.log')})`, engineAnswers, {timeoutMs: 60_000, intervalMs: 500});
}
