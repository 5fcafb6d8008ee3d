/**
 * A whole lab run replayed as engine events through the renderer the CLI picks, at a real terminal's size:
 * eight steps with the lab's own titles, apt output, image pulls whose progress labels are longer than a
 * narrow terminal, and the stack's health wait (its elapsed time ticking). `npx tsx examples/live-area/index.ts
 * [--fast]`; the real-terminal tests (test/ui/live-area.test.ts) run it at 60×20 and 80×24 (issue 10 item 7).
 */
import {setTimeout as sleep} from 'node:timers/promises';
import type {EngineEvent, StepOutcome} from '../../source/engine/types.js';
import {chooseRendererKind, createRenderer} from '../../source/ui/renderer.js';

const fast = process.argv.includes('--fast');
const pause = async (ms: number) => sleep(fast ? ms / 10 : ms);
const steps = [
	{id: 'connect', title: 'Connect to the server'},
	{id: 'ssh-port', title: 'SSH port'},
	{id: 'docker', title: 'Docker'},
	{id: 'dns', title: "The lab's name"},
	{id: 'certificate', title: 'Certificate'},
	{id: 'homes', title: 'Lab folders'},
	{id: 'images', title: 'Images'},
	{id: 'stack', title: 'Lab'},
];
const controller = new AbortController();
const renderer = await createRenderer(chooseRendererKind({isTTY: Boolean(process.stdout.isTTY), ci: false}), {
	stdout: process.stdout,
	onInterrupt: () => {
		controller.abort();
	},
});
const emit = (event: EngineEvent) => {
	renderer.handle(event);
};
const outcomes: StepOutcome[] = [];

/** One step: start, apply with `work`, end with `detail`. */
async function step(id: string, detail: string, work: () => Promise<void>): Promise<void> {
	const started = Date.now();
	emit({type: 'step-start', id});
	emit({type: 'step-phase', id, phase: 'checking'});
	await pause(200);
	emit({type: 'step-check', id, check: {status: 'todo', changes: [detail]}, inputsChanged: false});
	emit({type: 'step-phase', id, phase: 'applying'});
	await work();
	const end: StepOutcome = {id, result: 'changed', detail, durationMs: Date.now() - started};
	outcomes.push(end);
	emit({type: 'step-end', ...end});
}

async function apt(id: string, count: number): Promise<void> {
	emit({type: 'progress', id, fraction: 0.33, label: 'apt-get install -y docker.io docker-compose containerd runc'});
	for (let index = 0; index < count; index++) {
		emit({
			type: 'line',
			id,
			stream: 'stdout',
			text: `Unpacking libpackage-number-${index}:amd64 (2.${index}.0-1+deb13u1) over (2.0.0-1) ... done`,
		});
		await pause(15);
	}
}

/** An image pull: Docker's layer lines, and the progress label the images step makes of them. */
async function pull(id: string, image: string, index: number, count: number): Promise<void> {
	const layers = 12;
	for (let layer = 1; layer <= layers; layer++) {
		const hex = (0xa1b2c3d4e5f0 + layer).toString(16);
		emit({type: 'line', id, stream: 'stdout', text: `${hex}: Downloading  ${layer * 25}.3MB/${layers * 25}.9MB`});
		emit({
			type: 'progress',
			id,
			fraction: (index + layer / layers) / count,
			label: `${image}: ${layer} of ${layers} layers, ${layer * 25} MB of ${layers * 25} MB`,
		});
		await pause(250);
	}
}

async function main(): Promise<void> {
	emit({
		type: 'run-start',
		mode: 'setup',
		steps,
		selected: steps.map(s => s.id),
		logPath: '/home/ada/my-lab/.labbox/logs/2026-11-27T09-00-00.log',
	});
	await step('connect', 'root@203.0.113.7: Debian 13, amd64, 4 CPUs, 7.6 GiB', async () => pause(300));
	await step('ssh-port', 'sshd listens on 2222 (22 stays open)', async () => pause(500));
	await step('docker', 'Docker 26.1.5 and Compose 2.26.1 running', async () => apt('docker', 120));
	await step('dns', 'lab.example.org → 203.0.113.7, port 80 reaches the server', async () => pause(400));
	await step('certificate', "issued by (STAGING) Let's Encrypt, valid until 2027-02-25", async () => pause(600));
	await step('homes', 'created /srv/lab/homes, shared, datasets, data', async () => pause(300));
	await step('images', 'every image is on the server', async () => {
		await pull('images', 'quay.io/jupyter/scipy-notebook:2025-12-31', 0, 2);
		await pull('images', 'quay.io/jupyterhub/jupyterhub:5.4.6', 1, 2);
	});
	await step('stack', 'https://lab.example.org answers', async () => {
		emit({type: 'progress', id: 'stack', fraction: 0.1, label: 'docker compose up'});
		for (const name of ['nginx', 'hub', 'renewer']) {
			emit({type: 'line', id: 'stack', stream: 'stderr', text: ` Container lab-${name}-1  Started`});
		}
		// The health wait: the same screen for seconds, only the elapsed time and the label change.
		for (let second = 1; second <= 8; second++) {
			emit({
				type: 'progress',
				id: 'stack',
				fraction: 0.5 + second / 20,
				label: `waiting for https://lab.example.org/hub/health: https://lab.example.org/hub/health answered 502`,
			});
			await pause(1000);
		}
	});
	emit({
		type: 'run-end',
		outcome: 'done',
		outcomes,
		logPath: '/home/ada/my-lab/.labbox/logs/2026-11-27T09-00-00.log',
		url: 'https://lab.example.org',
	});
	await renderer.close();
}

controller.signal.addEventListener('abort', () => {
	void renderer.close().then(() => process.exit(130));
});

await main();
