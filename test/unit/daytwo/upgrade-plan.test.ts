import {describe, expect, it} from 'vitest';
import {
	ownPins,
	parseRunning,
	pinChanges,
	restoreDatabase,
	saveDatabase,
	upgradePlan,
	wantedPins,
} from '../../../source/daytwo/upgrade-plan.js';
import {toShell} from '../../../source/remote/command.js';

// What labbox wrote on the server, as `runningFiles` prints it (shortened).
const onServer = `== compose
name: labbox
services:
  nginx:
    image: nginx:1.26.0-alpine
    restart: unless-stopped
  hub:
    image: labbox-hub:0123456789ab
    pull_policy: never
== dockerfile
# The lab's hub
FROM quay.io/jupyterhub/jupyterhub:5.2.1
RUN python3 -m pip install dockerspawner==14.0.0
== settings
{"domain": "lab.example.org", "images": {"singleuser": "quay.io/jupyter/scipy-notebook:2025-12-31"}}
`;

describe('labbox upgrade: from → to (issue 13 item 3)', () => {
	it('reads the running images from the files on the server; a built hub by its FROM line', () => {
		expect(parseRunning(onServer)).toEqual({
			'images.hub': 'quay.io/jupyterhub/jupyterhub:5.2.1',
			'images.nginx': 'nginx:1.26.0-alpine',
			'images.singleuser': 'quay.io/jupyter/scipy-notebook:2025-12-31',
		});
		expect(parseRunning(onServer.replace('image: labbox-hub:0123456789ab', 'image: "registry.test:5000/hub:5.4.6"'))?.['images.hub']).toBe(
			'registry.test:5000/hub:5.4.6',
		);
		expect(parseRunning('== compose\n== dockerfile\n== settings\n')).toBeUndefined();
	});

	it("wants lab.yaml's pins, else this labbox's; the plan lists only what moves", () => {
		const wanted = wantedPins({'images.nginx': 'nginx:1.28.0-alpine'});
		expect(wanted).toEqual({
			'images.hub': 'quay.io/jupyterhub/jupyterhub:5.4.6',
			'images.nginx': 'nginx:1.28.0-alpine',
			'images.singleuser': 'quay.io/jupyter/scipy-notebook:2026-09-01',
		});
		const changes = pinChanges(parseRunning(onServer)!, wanted);
		expect(upgradePlan(changes, '/srv/lab', false)).toEqual([
			'images.hub: quay.io/jupyterhub/jupyterhub:5.2.1 → quay.io/jupyterhub/jupyterhub:5.4.6',
			'images.nginx: nginx:1.26.0-alpine → nginx:1.28.0-alpine',
			'images.singleuser: quay.io/jupyter/scipy-notebook:2025-12-31 → quay.io/jupyter/scipy-notebook:2026-09-01',
			'no backups are set up: only the hub database is copied aside',
			'labbox run images: pull or build the new images (the lab runs on meanwhile)',
			'stop the hub and copy its database to /srv/lab/data/jupyterhub.sqlite.before-upgrade (running notebook servers keep running)',
			'labbox run stack: start the lab on the new images (the hub upgrades its database), check https://NAME/hub/health and the login page',
			'on a failure: the previous images and database come back, and labbox says why',
		]);
		expect(upgradePlan(changes, '/srv/lab', true)[3]).toBe('take a backup first (labbox backup)');
		expect(pinChanges(wanted, wanted)).toEqual([]);
	});

	it('says when lab.yaml holds the lab on images of its own', () => {
		expect(ownPins({'images.hub': 'quay.io/jupyterhub/jupyterhub:5.2.1', 'images.nginx': 'nginx:1.28.0-alpine'})).toEqual([
			'lab.yaml pins images.hub to quay.io/jupyterhub/jupyterhub:5.2.1 (this labbox pins quay.io/jupyterhub/jupyterhub:5.4.6; remove the key to follow labbox)',
		]);
	});

	it('copies the database aside with the hub stopped, and puts it back on a rollback', () => {
		expect(toShell(saveDatabase('/srv/lab'))).toBe(
			'docker compose --file /srv/lab/compose.yaml stop hub && cp -p /srv/lab/data/jupyterhub.sqlite /srv/lab/data/jupyterhub.sqlite.before-upgrade',
		);
		expect(toShell(restoreDatabase('/srv/lab'))).toBe(
			'docker compose --file /srv/lab/compose.yaml stop hub && cp -p /srv/lab/data/jupyterhub.sqlite.before-upgrade /srv/lab/data/jupyterhub.sqlite',
		);
	});
});
