// lab.root and folders labbox did not create (issue 9 item 2), through the built CLI on a fresh server: a system
// folder is refused before anything runs; an existing folder with another mode under lab.root is not changed
// under --yes without lab.adoptFolders (the run stops, naming the change and the key); with it, it is; and a
// folder labbox created itself is set right again without asking.
import {describe, it} from 'vitest';
import {stepLines} from './lab-world.js';
import {stepsLab} from './server-lab.js';

const results = (output: string) => stepLines(output).map(line => line.split(' ').slice(0, 2).join(' '));
const modes = (lab: Awaited<ReturnType<typeof stepsLab>>, ...paths: string[]) =>
	lab.server.exec(`stat -c '%n %a %u:%g' ${paths.join(' ')} 2>&1`).then(result => result.stdout.trim().split('\n'));

describe('lab.root on a fresh server', () => {
	it('refuses /tmp before anything runs; leaves an existing folder as it is until allowed; keeps its own folders right', async ({
		expect,
		onTestFinished,
	}) => {
		const lab = await stepsLab('debian13', {'lab.root': '/tmp'});
		onTestFinished(() => lab.remove());

		const system = await lab.labbox(['run', 'connect', 'homes', '--yes']);
		expect(system.exitCode, String(system.all)).toBe(2);
		expect(String(system.all)).toContain(
			'lab.root: "/tmp" (from lab.root in lab.yaml) is not valid: /tmp is a system folder other programs use (the lab would change its owner and mode): use a folder of its own, such as /srv/lab',
		);
		expect(await modes(lab, '/tmp')).toEqual(['/tmp 1777 0:0']);

		// A folder someone else made, open to all, where the lab is to live.
		await lab.server.exec('mkdir -p /data/lab && chmod 1777 /data/lab');
		await lab.change({'lab.root': '/data/lab'});
		const refused = await lab.labbox(['run', 'connect', 'homes', '--yes']);
		const output = String(refused.all);
		expect(refused.exitCode, output).toBe(1);
		expect(results(output)).toEqual(['connect ok', 'homes failed']);
		expect(output).toContain(
			'labbox would change folders it did not create: change /data/lab from 1777 to 755 (a folder labbox did not create)',
		);
		expect(output).toContain('set lab.adoptFolders: true in lab.yaml (or --lab-adopt-folders)');
		expect(await modes(lab, '/data/lab')).toEqual(['/data/lab 1777 0:0']);
		expect((await lab.server.exec('ls -A /data/lab')).stdout.trim()).toBe('');

		const allowed = await lab.labbox(['run', 'connect', 'homes', '--yes', '--lab-adopt-folders']);
		expect(allowed.exitCode, String(allowed.all)).toBe(0);
		expect(results(String(allowed.all))).toEqual(['connect ok', 'homes changed']);
		expect(await modes(lab, '/data/lab', '/data/lab/shared')).toEqual(['/data/lab 755 0:0', '/data/lab/shared 2775 1000:100']);
		// The record names what labbox made, not the folder it was allowed to take over.
		expect((await lab.server.exec('cat /data/lab/.labbox-folders')).stdout.trim().split('\n')).toEqual([
			'/data/lab/homes',
			'/data/lab/shared',
			'/data/lab/datasets',
			'/data/lab/data',
		]);

		// A folder labbox made is its own: set right again without lab.adoptFolders.
		await lab.server.exec('chmod 777 /data/lab/shared');
		const again = await lab.labbox(['run', 'connect', 'homes', '--yes']);
		expect(again.exitCode, String(again.all)).toBe(0);
		expect(await modes(lab, '/data/lab/shared')).toEqual(['/data/lab/shared 2775 1000:100']);
	});
});
