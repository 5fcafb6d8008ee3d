import {resolvedConfig} from '../../../source/config/resolve.js';
// Issue 11: a step's check is a pure function of its facts (as the engine gathers them), the configuration and
// its local probes. Facts in, a Check out: no SSH, no fake session.
import {describe, expect, it} from 'vitest';
import type {LabConfig} from '../../../source/config/fields.js';
import {decideConnect} from '../../../steps/connect/index.js';
import {checkDocker} from '../../../steps/docker/index.js';
import {checkHomes} from '../../../steps/homes.js';
import {checkImages} from '../../../steps/images/index.js';
import {decideSshPort} from '../../../steps/ssh-port/decide.js';
import {readSshPortFacts} from '../../../steps/ssh-port/index.js';

const gib = 1024 ** 3;
const config: LabConfig = resolvedConfig({
	'lab.root': '/srv/lab',
	'ssh.port': 2222,
	'docker.source': 'distro',
	'images.singleuser': 'registry.test/scipy-notebook:1',
	'images.hub': 'registry.test/jupyterhub:5.4.6',
	'images.hubBuild': false,
	'images.nginx': 'registry.test/nginx:1.28',
});
const trixie = {id: 'debian', versionId: '13', codename: 'trixie', prettyName: 'Debian GNU/Linux 13 (trixie)'};
const disk = (available: number) => ({mount: '/', total: 100 * gib, available, dataRoot: '/var/lib/docker'});
/** The space facts: Docker installed, every watched image there (image0…image2), room enough. */
const roomy = {dockerInstalled: true, dockerDisk: disk(50 * gib), systemDisk: disk(50 * gib), image0: true, image1: true, image2: true};

describe('connect: facts in, check out', () => {
	const server = {
		os: trixie,
		arch: 'x86_64',
		cpus: 4,
		memory: 8 * gib,
		disk: disk(50 * gib),
		systemd: true,
		sshdStart: {mode: 'service', unit: 'ssh.service'},
		firewall: 'none',
		dockerServer: '26.1.5',
		...roomy,
	};

	it('done, with the server in one line', () => {
		expect(decideConnect(server, config).check).toEqual({
			status: 'done',
			detail: 'Debian GNU/Linux 13 (trixie) · x86_64 · 4 CPUs · 8.0 GiB RAM · 50.0 GiB free · sshd by ssh.service · Docker 26.1.5',
		});
	});

	it('blocked on an OS labbox does not support', () => {
		expect(decideConnect({...server, os: {...trixie, versionId: '11'}}, config).check).toMatchObject({
			status: 'blocked',
			reason: /which labbox does not support/,
		});
	});

	it('blocked when the images will not fit, before anything changes', () => {
		expect(decideConnect({...server, image0: false, dockerDisk: disk(1 * gib), systemDisk: disk(1 * gib)}, config).check).toMatchObject({
			status: 'blocked',
			reason: /^Not enough disk space: 1.0 GiB is free/,
		});
	});
});

describe('docker: facts in, check out', () => {
	const installed = {
		os: trixie,
		packages: 'docker.io install ok installed\ndocker-cli install ok installed\ndocker-compose install ok installed',
		snap: '',
		active: 'active',
		enabled: 'enabled',
		server: '26.1.5',
		compose: '2.26.1',
		composeV1: false,
		groups: 'root',
		dpkgJournal: '',
		...roomy,
	};

	it('done when Docker and Compose v2 run', () => {
		expect(checkDocker(installed, config, 'root')).toMatchObject({status: 'done'});
	});

	it('todo on a server without Docker, blocked when the install and the images do not fit', () => {
		const fresh = {...installed, packages: '', active: 'inactive', enabled: '', server: false, compose: false, dockerInstalled: false};
		expect(checkDocker(fresh, config, 'root')).toMatchObject({status: 'todo'});
		expect(checkDocker({...fresh, image0: false, dockerDisk: disk(gib), systemDisk: disk(gib)}, config, 'root')).toMatchObject({
			status: 'blocked',
			reason: /Not enough disk space/,
		});
	});
});

describe('images: facts in, check out', () => {
	it('done when every pinned image is there; the pulls otherwise', () => {
		expect(checkImages(roomy, config)).toEqual({status: 'done', detail: 'every image is on the server'});
		expect(checkImages({...roomy, image0: false}, config)).toEqual({status: 'todo', changes: ['pull registry.test/scipy-notebook:1']});
	});
});

describe('homes: facts in, check out', () => {
	const folders = {
		'/srv/lab': {mode: '755', owner: '0:0', type: 'directory'},
		'/srv/lab/homes': {mode: '755', owner: '0:0', type: 'directory'},
		'/srv/lab/shared': {mode: '2775', owner: '1000:100', type: 'directory'},
		'/srv/lab/datasets': {mode: '755', owner: '0:0', type: 'directory'},
		'/srv/lab/data': {mode: '700', owner: '0:0', type: 'directory'},
	};

	it('done when every folder is as wanted; what to create otherwise', () => {
		expect(checkHomes({folders, made: []}, config, false)).toEqual({status: 'done', detail: '/srv/lab is ready'});
		const {'/srv/lab/data': _data, ...missing} = folders;
		expect(checkHomes({folders: missing, made: []}, config, false)).toEqual({status: 'todo', changes: ['create /srv/lab/data (0:0, 700)']});
	});

	it('blocked under --yes on a folder labbox did not create', () => {
		expect(
			checkHomes({folders: {...folders, '/srv/lab': {mode: '1777', owner: '0:0', type: 'directory'}}, made: []}, config, false),
		).toMatchObject({status: 'blocked', reason: /did not create/});
	});
});

describe('ssh-port: facts in, check out', () => {
	const facts = {
		start: {mode: 'service' as const, unit: 'ssh.service'},
		sshdPorts: [22, 2222],
		socketListen: '',
		firewall: 'none' as const,
		holders: '',
		revertScript: false,
		revertUnits: {armed: false, running: false},
		sshdDropIn: undefined,
		socketDropIn: undefined,
	};

	it('done when sshd listens on the old and the new port', () => {
		expect(decideSshPort(readSshPortFacts(facts, config, 22))).toEqual({status: 'done', detail: 'sshd listens on 22, 2222'});
	});

	it('todo when it listens on 22 only', () => {
		expect(decideSshPort(readSshPortFacts({...facts, sshdPorts: [22]}, config, 22))).toEqual({
			status: 'todo',
			changes: ['sshd listens on 22 and 2222 (now 22), started by ssh.service'],
		});
	});
});
