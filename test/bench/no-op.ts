// The no-op benchmark of issue 11, on test-world servers (the world must be up: `npm run world -- up`), side by
// side in one run: labbox's no-op re-run and `labbox plan` on a finished lab, the Ansible playbook of
// ../shared/bench/ansible-anchor (tuned as its README says) on a server it has converged, and the floor (one
// `ssh` running one script that reads the same state). Also: SSH logins and remote commands per no-op run, and
// the first run's wall time per step next to the irreducible work (Docker's packages, the image pulls).
// Figures only, never asserted: the machine is shared and noisy, so compare within one run.
import {existsSync} from 'node:fs';
import {cp, mkdtemp, readFile, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {execa} from 'execa';
import {makeSelfSigned} from '../../source/acme/self-signed.js';
import {labConfig, labYaml, remoteCounts, runLabbox} from '../e2e/lab-world.js';
import {clearDnsRecord, setDnsRecord, startServer, world, type Server, type World} from '../world/index.js';

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const rounds = 7;
const domain = 'bench-noop.test';
const anchor = path.resolve(import.meta.dirname, '../../../shared/bench/ansible-anchor');

async function timed(run: () => Promise<unknown>): Promise<number> {
	const started = performance.now();
	await run();
	return performance.now() - started;
}

/** ssh options for a world server: the world's key, its host key pinned in a known_hosts file of our own. */
async function sshOptions(w: World, server: Server, dir: string): Promise<string[]> {
	const knownHosts = path.join(dir, 'known_hosts');
	await writeFile(knownHosts, `${server.host} ${server.hostKey}\n`);
	return [
		'-i',
		w.ssh.keyPath,
		'-o',
		`UserKnownHostsFile=${knownHosts}`,
		'-o',
		'StrictHostKeyChecking=yes',
		'-o',
		'BatchMode=yes',
		'-o',
		'IdentitiesOnly=yes',
	];
}

/** The floor: one ssh, one script reading the state a no-op compares (the anchor README's list). */
const floorScript = [
	'stat -c "%n %a %u:%g" /srv/lab /srv/lab/homes /srv/lab/shared /srv/lab/datasets /srv/lab/data /srv/lab/certs/privkey.pem',
	'sha256sum /srv/lab/compose.yaml /srv/lab/.env /srv/lab/nginx/lab.conf /srv/lab/certs/fullchain.pem',
	'sshd -T | grep -i "^port"',
	'dpkg-query -W -f "\\${Package} \\${Status}\\n" docker.io docker-compose',
	'systemctl is-enabled docker; systemctl is-active docker',
	'docker image inspect --format "{{.Id}}" $(docker compose -f /srv/lab/compose.yaml config --images)',
].join('\n');

/** The Ansible side: a copy of the anchor beside its certificate files, inventory and tuned ansible.cfg. */
async function ansibleSetup(w: World, server: Server): Promise<{run: () => Promise<unknown>} | string> {
	if (!existsSync(anchor)) {
		return `no Ansible anchor at ${anchor}`;
	}
	const found = await execa('ansible-playbook', ['--version'], {reject: false});
	if (found.exitCode !== 0) {
		return 'ansible-playbook is not installed (apt-get install ansible-core)';
	}
	const dir = await mkdtemp(path.join(tmpdir(), 'labbox-bench-ansible-'));
	await cp(anchor, dir, {recursive: true});
	const made = await makeSelfSigned(['labbox.local']);
	await execa('mkdir', ['-p', path.join(dir, 'files'), path.join(dir, 'control')]);
	await writeFile(path.join(dir, 'files/fullchain.pem'), made.certificate);
	await writeFile(path.join(dir, 'files/privkey.pem'), made.privateKey, {mode: 0o600});
	const ssh = await sshOptions(w, server, dir);
	const inventory = path.join(dir, 'inventory.ini');
	await writeFile(
		inventory,
		`[all]\nlabbox ansible_host=${server.host} ansible_user=root ansible_ssh_private_key_file=${w.ssh.keyPath} ansible_python_interpreter=/usr/bin/python3 ansible_ssh_common_args='${ssh.slice(2).join(' ')}'\n`,
	);
	const config = (await readFile(path.join(dir, 'ansible.cfg.example'), 'utf8'))
		.replace('INVENTORY_FILE', inventory)
		.replace('A_PRIVATE_FOLDER', path.join(dir, 'control'));
	await writeFile(path.join(dir, 'ansible.cfg'), config);
	const image = w.registry!.images.nginx;
	const run = () =>
		execa('ansible-playbook', ['-e', `lab_image=${image}`, 'playbook.yml'], {
			cwd: dir,
			env: {ANSIBLE_CONFIG: path.join(dir, 'ansible.cfg')},
			reject: true,
		});
	// Converged as the README says: run, pull the image on the server, run again; the timed runs change nothing.
	await run().catch(() => {});
	await server.exec(`docker pull ${image}`);
	await run();
	return {run};
}

/** The irreducible work of a first run, measured on a fresh server: Docker's packages and the image pulls. */
async function irreducible(w: World, server: Server): Promise<{packages: number; pulls: number}> {
	const packages = await timed(() =>
		server.exec(
			'DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker.io docker-cli docker-compose >/dev/null',
		),
	);
	const {singleuser, hub, nginx} = w.registry!.images;
	const pulls = await timed(() => server.exec(`docker pull -q ${singleuser} && docker pull -q ${hub} && docker pull -q ${nginx}`));
	return {packages, pulls};
}

/**
 * `otherNode`: a second Node binary (a current one: users run Node 22+) whose no-op and plan are timed in the
 * same rounds, each beside the machine's Node, whose rows stay.
 */
export async function noOpBench(otherNode?: string): Promise<void> {
	const w = await world().catch((error: unknown) => error as Error);
	if (w instanceof Error || !w.registry) {
		console.log(
			`no-op bench skipped: the test world is not up (${w instanceof Error ? w.message : 'no registry'}); start it with \`npm run world -- up\``,
		);
		return;
	}
	const [labServer, ansibleServer] = await Promise.all([startServer('debian13'), startServer('debian13')]);
	try {
		await setDnsRecord(domain, labServer.host);
		const lab = await mkdtemp(path.join(tmpdir(), 'labbox-bench-lab-'));
		const home = await mkdtemp(path.join(tmpdir(), 'labbox-bench-home-'));
		await writeFile(path.join(lab, 'lab.yaml'), labYaml(labConfig(w, labServer, domain)));
		const labbox = (args: string[], node?: string) =>
			runLabbox(args, {lab, home, node, env: {LABBOX_AUTH_CLIENT_SECRET: w.oidc!.clientSecret}});
		const version = async (node = 'node') => (await execa(node, ['--version'])).stdout.trim();
		const nodes = [
			{label: `Node ${await version()}`},
			...(otherNode ? [{label: `Node ${await version(otherNode)}`, node: otherNode}] : []),
		];

		const first = await timed(async () => {
			const result = await labbox(['--yes']);
			if (result.exitCode !== 0) {
				throw new Error(`the first labbox run failed:\n${String(result.all)}`);
			}
		});
		const state = JSON.parse(await readFile(path.join(lab, '.labbox/state.json'), 'utf8')) as {steps: Record<string, {durationMs: number}>};
		const work = await irreducible(w, ansibleServer);
		console.log(`first labbox --yes on a fresh debian13 server: ${seconds(first)} in all`);
		for (const [id, record] of Object.entries(state.steps)) {
			const beside =
				id === 'docker'
					? ` (Docker's packages alone, apt-get install: ${seconds(work.packages)})`
					: id === 'images'
						? ` (the image pulls alone, docker pull: ${seconds(work.pulls)})`
						: '';
			console.log(`  ${id.padEnd(12)} ${seconds(record.durationMs)}${beside}`);
		}

		const ansible = await ansibleSetup(w, ansibleServer);
		if (typeof ansible === 'string') {
			console.log(`Ansible column skipped: ${ansible}`);
		}
		const ssh = await sshOptions(w, labServer, lab);
		const floor = () => execa('ssh', [...ssh, `root@${labServer.host}`, 'sh -s'], {input: floorScript, reject: false});
		const bare = () => execa('ssh', [...ssh, `root@${labServer.host}`, 'true'], {reject: true});

		// noop0/plan0: the machine's Node; noop1/plan1: `otherNode`, in the same rounds.
		const times: Record<string, number[]> = {ansible: [], floor: [], bare: []};
		for (const index of nodes.keys()) {
			times[`noop${index}`] = [];
			times[`plan${index}`] = [];
		}
		const counts: Record<string, {logins: number; commands: number}> = {};
		for (let round = 0; round < rounds; round++) {
			for (const [index, {node}] of nodes.entries()) {
				times[`noop${index}`]!.push(
					await timed(async () => {
						const result = await labbox(['--yes'], node);
						if (result.exitCode !== 0) throw new Error(`a no-op labbox run failed:\n${String(result.all)}`);
					}),
				);
				counts[`noop${index}`] = await remoteCounts(lab);
				times[`plan${index}`]!.push(await timed(() => labbox(['plan'], node)));
				counts[`plan${index}`] = await remoteCounts(lab);
			}
			if (typeof ansible !== 'string') {
				times.ansible.push(await timed(ansible.run));
			}
			times.floor.push(await timed(floor));
			times.bare.push(await timed(bare));
		}
		const m = Object.fromEntries(
			Object.entries(times).map(([key, values]) => [key, values.length > 0 ? median(values) : Number.NaN]),
		) as Record<string, number>;
		const ratio = (a: number, b: number) => (Number.isNaN(b) ? 'n/a' : `${(a / b).toFixed(2)}x`);
		console.log(`no-op on a finished lab, medians of ${rounds} alternating rounds:`);
		for (const [index, {label}] of nodes.entries()) {
			for (const [key, what] of [
				[`noop${index}`, 'labbox --yes (no-op)'],
				[`plan${index}`, 'labbox plan'],
			] as const) {
				console.log(
					`  ${`${what}, ${label}`.padEnd(36)} ${seconds(m[key]!)}  ${ratio(m[key]!, m.ansible!)} of Ansible, ${ratio(m[key]!, m.floor!)} of the floor; ${counts[key]!.logins} SSH login(s), ${counts[key]!.commands} remote command(s)`,
				);
			}
		}
		console.log(`  ${'Ansible, tuned'.padEnd(36)} ${Number.isNaN(m.ansible!) ? 'skipped' : seconds(m.ansible!)}`);
		console.log(`  ${'the floor (one ssh)'.padEnd(36)} ${seconds(m.floor!)}  (bare ssh true ${seconds(m.bare!)})`);
	} finally {
		await clearDnsRecord(domain).catch(() => {});
		await Promise.all([labServer.remove(), ansibleServer.remove()]);
	}
}
