// Issue 12: backups with a proven restore. A full lab (`labbox --yes`) on a fresh debian13 server backs up over
// sftp to a second fresh server (logging in there with the world's key). The step installs restic and the timer
// and takes a first snapshot; a second run changes nothing; the timer's service started by hand makes another
// snapshot that `labbox status` reports; no secret is in the logs, the state or a world-readable file.
import {mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {clearDnsRecord, freshServer, setDnsRecord, world, type World} from '../world/index.js';
import {backupStatus as status, homeFile as serverHomeFile, hubHealth, sha256 as sha} from './backup-world.js';
import {fetchHttps, labConfig, labYaml, pebbleRoot, runLabbox, stepLines} from './lab-world.js';

const domain = 'lab-backup.test';
const password = 'backup-password-e2e-7f3a';

describe('backups over sftp to a second server, and restores from them', () => {
	const server = freshServer('debian13', async started => {
		await clearDnsRecord(domain);
		await setDnsRecord(domain, started.host);
	});
	const target = freshServer('debian13');
	let w: World;
	let lab: string;
	let home: string;
	const labbox = (args: readonly string[], env: Record<string, string> = {}) =>
		runLabbox(args, {
			lab,
			home,
			env: {LABBOX_AUTH_CLIENT_SECRET: w.oidc!.clientSecret, LABBOX_BACKUP_PASSWORD: password, ...env},
			timeout: 1_200_000,
		});
	let config: Record<string, unknown>;

	beforeAll(async () => {
		w = await world();
		lab = await mkdtemp(path.join(tmpdir(), 'labbox-e2e-backup-'));
		home = await mkdtemp(path.join(tmpdir(), 'labbox-e2e-home-'));
		config = {
			...labConfig(w, server(), domain),
			'auth.allowedUsers': ['alice', 'bob'],
			'backup.repository': `sftp:root@${target().host}:/srv/backups/lab`,
			'backup.sshKeyFile': w.ssh.keyPath,
		};
		await writeFile(path.join(lab, 'lab.yaml'), labYaml(config));
	});

	afterAll(async () => {
		await clearDnsRecord(domain);
		for (const folder of [lab, home]) if (folder) await rm(folder, {recursive: true, force: true});
	});

	it('labbox --yes installs restic and the timer, and takes a first snapshot on the second server', async () => {
		const setup = await labbox(['--yes']);
		console.log(['  labbox --yes:', ...stepLines(String(setup.all)).map(line => `    ${line}`)].join('\n'));
		expect(setup.exitCode, String(setup.all)).toBe(0);
		expect(stepLines(String(setup.all)).some(line => line.startsWith('backup changed '))).toBe(true);
		const first = await status(server());
		expect(first.result).toBe('ok');
		expect(first.snapshot).toMatch(/^[0-9a-f]{8,64}$/);
		expect((await server().exec('systemctl is-enabled labbox-backup.timer; systemctl is-active labbox-backup.timer')).stdout.trim()).toBe(
			'enabled\nactive',
		);
		// The repository is on the second server, encrypted: its config file exists, the password is nowhere there.
		expect((await target().exec('test -f /srv/backups/lab/config && echo yes')).stdout.trim()).toBe('yes');
		expect((await target().exec(`grep -rl ${password} /srv/backups || echo none`)).stdout.trim()).toBe('none');
	});

	it('a second labbox --yes changes nothing in the backup step', async () => {
		const again = await labbox(['--yes']);
		expect(again.exitCode, String(again.all)).toBe(0);
		expect(stepLines(String(again.all)).find(line => line.startsWith('backup '))).toMatch(/^backup ok /);
	});

	it("the timer's service, started by hand, makes a snapshot that labbox status reports; an unchanged lab adds (almost) nothing", async () => {
		const before = await status(server());
		const started = await server().exec('systemctl start labbox-backup.service');
		expect(started.exitCode, started.stderr).toBe(0);
		const after = await status(server());
		expect(after.result).toBe('ok');
		expect(after.snapshot).not.toBe(before.snapshot);
		console.log(`  a second backup of an unchanged lab added ${after.bytesAdded} bytes`);
		expect(after.bytesAdded).toBeLessThan(200_000);
		const shown = await labbox(['status']);
		expect(String(shown.all)).toContain(`snapshot ${after.snapshot}`);
		expect(shown.exitCode, String(shown.all)).toBe(0);
	});

	const notebook = JSON.stringify({cells: [{cell_type: 'code', source: `print(${Math.random()})`}], nbformat: 4, nbformat_minor: 5});
	const homeFile = (file: string) => serverHomeFile(server(), file);
	let aliceToken: string;
	let first: string;

	it("labbox backup takes a snapshot with alice's notebook and her token, and labbox backups lists it", async () => {
		await server().exec(
			'mkdir -p /srv/lab/homes/alice /srv/lab/homes/bob && cat > /srv/lab/homes/alice/analysis.ipynb && echo "bob was here" > /srv/lab/homes/bob/notes.txt && chown -R 1000:100 /srv/lab/homes/alice /srv/lab/homes/bob',
			notebook,
		);
		// A token lives only in the hub's database: after a restore it proves the database came back.
		aliceToken = (
			await server().exec(
				"docker exec labbox-hub-1 sh -c 'cd /srv/jupyterhub && jupyterhub token -f /etc/labbox/jupyterhub_config.py alice' 2>/dev/null | tail -1",
			)
		).stdout.trim();
		expect(aliceToken).toMatch(/^[0-9a-f]{32}$/);
		const taken = await labbox(['backup']);
		console.log(String(taken.all));
		expect(taken.exitCode, String(taken.all)).toBe(0);
		first = (await status(server())).snapshot!;
		expect(String(taken.all)).toMatch(/snapshot [0-9a-f]{8,64}: \d+ new, \d+ changed, \d+ unchanged files/);
		const listed = await labbox(['backups']);
		console.log(String(listed.all));
		expect(listed.exitCode, String(listed.all)).toBe(0);
		// restic lists a snapshot's paths sorted by name.
		const row = String(listed.all)
			.split('\n')
			.find(line => line.startsWith(first.slice(0, 8)));
		for (const name of ['homes', 'shared', 'data', 'compose.yaml']) expect(row, String(listed.all)).toContain(name);
	});

	it('labbox restore --user alice --snapshot ID brings back her file; what she made since stays; bob is untouched', async () => {
		await server().exec(
			"echo changed > /srv/lab/homes/alice/analysis.ipynb && echo new > /srv/lab/homes/alice/new.txt && echo 'bob again' > /srv/lab/homes/bob/notes.txt && chown 1000:100 /srv/lab/homes/alice/new.txt",
		);
		const bobBefore = (await server().exec("stat -c '%Y %s' /srv/lab/homes/bob/notes.txt")).stdout;
		const restored = await labbox(['restore', '--user', 'alice', '--snapshot', first.slice(0, 8), '--yes']);
		console.log(String(restored.all));
		expect(restored.exitCode, String(restored.all)).toBe(0);
		expect(await homeFile('alice/analysis.ipynb')).toEqual([sha(notebook), '1000:100']);
		expect((await server().exec('cat /srv/lab/homes/alice/new.txt; cat /srv/lab/homes/bob/notes.txt')).stdout.trim()).toBe(
			'new\nbob again',
		);
		expect((await server().exec("stat -c '%Y %s' /srv/lab/homes/bob/notes.txt")).stdout).toBe(bobBefore);
		// What it replaced is kept aside.
		expect((await server().exec('cat /srv/lab/backup/before-restore-*/homes/alice/analysis.ipynb')).stdout.trim()).toBe('changed');
	});

	it('labbox restore brings back a deleted notebook (same bytes, owner 1000:100) and a damaged hub database', async () => {
		await server().exec(
			'rm /srv/lab/homes/alice/analysis.ipynb && head -c 4096 /dev/urandom > /srv/lab/data/jupyterhub.sqlite && docker restart labbox-hub-1',
		);
		const restored = await labbox(['restore', '--yes']);
		console.log(String(restored.all));
		expect(restored.exitCode, String(restored.all)).toBe(0);
		expect(await homeFile('alice/analysis.ipynb')).toEqual([sha(notebook), '1000:100']);
		const ca = await pebbleRoot(w);
		// The hub starts again with the restored database: give it up to 3 minutes.
		expect(await hubHealth(domain, ca, server())).toBe(200);
		// The hub still knows alice: the token made before the backup is hers again.
		const me = await fetchHttps(`https://${domain}/hub/api/user`, ca, {host: server().host, token: aliceToken});
		expect(me.status, me.body).toBe(200);
		expect(JSON.parse(me.body).name).toBe('alice');
	});

	it('bad input: a missing password, a wrong one, an unreachable target: each a clear message and a non-zero exit', async () => {
		const missing = await labbox(['run', 'backup', '--yes'], {LABBOX_BACKUP_PASSWORD: ''});
		expect(missing.exitCode).toBe(2);
		expect(String(missing.all)).toContain('LABBOX_BACKUP_PASSWORD');
		const wrong = await labbox(['run', 'backup', '--yes'], {LABBOX_BACKUP_PASSWORD: 'not-the-password'});
		console.log(String(wrong.all));
		expect(wrong.exitCode).toBe(1);
		expect(String(wrong.all)).toContain('refused the password (backup.password)');
		const unreachable = await labbox([
			'run',
			'backup',
			'--yes',
			'--backup-repository',
			`sftp://root@${target().host}:2999//srv/backups/lab`,
		]);
		console.log(String(unreachable.all));
		expect(unreachable.exitCode).toBe(1);
		expect(String(unreachable.all)).toContain('could not be reached from the server');
		// Item 3: the failed runs left the settings that worked (and their last good backup), not their own, and no copy.
		expect((await server().exec('grep ^RESTIC_REPOSITORY= /srv/lab/backup/backup.env')).stdout.trim()).toBe(
			`RESTIC_REPOSITORY=sftp:root@${target().host}:/srv/backups/lab`,
		);
		expect((await status(server())).result).toBe('ok');
		expect((await server().exec('ls /srv/lab/backup /etc/systemd/system | grep -c "[.]before$"')).stdout.trim()).toBe('0');
		// labbox status shows the failed backup step, and is unwell.
		const unwell = await labbox(['status']);
		expect(unwell.exitCode).toBe(1);
		expect(String(unwell.all)).toMatch(/backup +✖ failed/);
		// With the right settings again, all is well.
		const fixed = await labbox(['run', 'backup', '--yes']);
		expect(fixed.exitCode, String(fixed.all)).toBe(0);
		expect((await status(server())).result).toBe('ok');
	});

	it('keeps the password out of the logs, the state, the screen and every world-readable file on the server', async () => {
		const files = [
			path.join(lab, '.labbox/state.json'),
			...(await readdir(path.join(lab, '.labbox/logs'))).map(file => path.join(lab, '.labbox/logs', file)),
		];
		for (const file of files) expect(await readFile(file, 'utf8'), file).not.toContain(password);
		// Where a password could land (not the images' layers): each file that has it must be root's alone.
		const leaks = await server().exec(
			`grep -rlsF -- ${password} /srv /etc /root /home /tmp /var/log /var/tmp /var/cache 2>/dev/null | xargs -r stat -c '%a %U %n'`,
		);
		for (const line of leaks.stdout.trim().split('\n').filter(Boolean)) {
			expect(line, 'only root may read a file with the password').toMatch(/^[0-7]00 root /);
		}
		expect((await server().exec("stat -c '%a %U' /srv/lab/backup /srv/lab/backup/password /srv/lab/backup/backup.env")).stdout.trim()).toBe(
			'700 root\n600 root\n600 root',
		);
	});
});
