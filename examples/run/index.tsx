/**
 * A fake run fed to the Ink renderer: a plan, a question, a fast-printing step, progress bars and a failure.
 * `npx tsx examples/run/index.tsx [done|fail] [--ask] [--plain]`; Ctrl-C shows the interrupted screen.
 */
import type {Question} from '../../source/config/question.js';
import type {EngineEvent, StepOutcome, StepResult} from '../../source/engine/types.js';
import {chooseRendererKind, createRenderer, type PlanItem} from '../../source/ui/renderer.js';

const args = new Set(process.argv.slice(2));
const outcome = args.has('done') ? 'done' : 'fail';
const steps = [
	{id: 'connect', title: 'Connect to the server'},
	{id: 'ssh-port', title: 'Move SSH to port 2222'},
	{id: 'docker', title: 'Install Docker'},
	{id: 'dns', title: 'Check DNS'},
	{id: 'certificate', title: 'Get a certificate'},
	{id: 'images', title: 'Pull the images'},
	{id: 'stack', title: 'Start JupyterHub'},
];
const controller = new AbortController();
const renderer = await createRenderer(chooseRendererKind({plain: args.has('--plain'), isTTY: process.stdout.isTTY, ci: false}), {
	stdout: process.stdout,
	onInterrupt: () => {
		controller.abort();
	},
	redact: text => text.replaceAll('hunter22', '***'),
});
const sleep = async (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms));
const outcomes: StepOutcome[] = [];
let current = '';

async function step(id: string, result: StepResult, detail: string, work: () => Promise<void>): Promise<void> {
	current = id;
	const started = Date.now();
	renderer.handle({type: 'step-start', id});
	renderer.handle({type: 'step-phase', id, phase: 'checking'});
	await sleep(300);
	if (result !== 'ok') {
		renderer.handle({type: 'step-check', id, check: {status: 'todo', changes: [detail]}, inputsChanged: false});
		renderer.handle({type: 'step-phase', id, phase: 'applying'});
		await work();
		controller.signal.throwIfAborted();
	}
	const end: StepOutcome = {id, result, detail, durationMs: Date.now() - started};
	outcomes.push(end);
	renderer.handle({type: 'step-end', ...end});
}

async function printFast(id: string, count: number): Promise<void> {
	for (let index = 0; index < count && !controller.signal.aborted; index++) {
		renderer.handle({
			type: 'line',
			id,
			text: `Unpacking package-${index} (1.${index % 97}.0-1) over (1.0) ... \u001B[32mok\u001B[0m`,
			stream: 'stdout',
		});
		if (index % 250 === 0) {
			await sleep(10);
		}
	}
}

async function progress(id: string, total: number): Promise<void> {
	for (let mb = 0; mb <= total && !controller.signal.aborted; mb += 15) {
		renderer.handle({type: 'progress', id, fraction: mb / total, label: `${mb} MB of ${total} MB`});
		await sleep(60);
	}
}

async function main(): Promise<void> {
	const plan: PlanItem[] = steps.map((s, index) => ({
		id: s.id,
		title: s.title,
		inputsChanged: s.id === 'certificate',
		check: index === 0 ? {status: 'done', detail: 'root@lab.example.org'} : {status: 'todo', changes: [`${s.title.toLowerCase()}`]},
	}));
	if (!(await renderer.confirmPlan(plan))) {
		await renderer.close();
		return;
	}
	if (args.has('--ask')) {
		const question: Question = {
			key: 'auth.password',
			message: 'Admin password',
			kind: 'secret',
			validate: v => (v.length < 8 ? 'At least 8 characters.' : undefined),
		};
		await renderer.ask(question);
	}
	renderer.handle({type: 'run-start', mode: 'setup', steps, selected: steps.map(s => s.id), logPath: '.labbox/logs/demo.log'});
	try {
		await step('connect', 'ok', 'Debian 13, amd64, 4 CPUs', async () => {});
		await step('ssh-port', 'changed', 'sshd listens on 2222', async () => sleep(500));
		await step('docker', 'changed', 'Docker 26.1 running', async () => printFast('docker', 30_000));
		await step('dns', 'ok', 'lab.example.org → 203.0.113.7', async () => {});
		await step('certificate', 'changed', 'valid until 2027-01-09', async () => progress('certificate', 60));
		await step('images', 'changed', 'quay.io/jupyter/scipy-notebook pulled', async () => progress('images', 300));
		if (outcome === 'fail') {
			current = 'stack';
			renderer.handle({type: 'step-start', id: 'stack'});
			renderer.handle({type: 'step-phase', id: 'stack', phase: 'applying'});
			await printFast('stack', 40);
			controller.signal.throwIfAborted();
			const end: StepOutcome = {
				id: 'stack',
				result: 'failed',
				detail: 'hub did not answer /hub/health within 60 s',
				durationMs: 61_200,
				hint: 'Look at `docker compose logs hub` on the server; password hunter22 is redacted.',
				output: ['[E] hub: database is locked', '[E] hub: exiting'],
			};
			outcomes.push(end);
			renderer.handle({type: 'step-end', ...end});
			renderer.handle({type: 'run-end', outcome: 'failed', outcomes, logPath: '.labbox/logs/demo.log', retry: 'labbox run stack'});
		} else {
			await step('stack', 'changed', 'https://lab.example.org/hub/health answers 200', async () => sleep(800));
			renderer.handle({type: 'run-end', outcome: 'done', outcomes, logPath: '.labbox/logs/demo.log', url: 'https://lab.example.org'});
		}
	} catch (error) {
		if (controller.signal.aborted) {
			return;
		}
		throw error;
	}
	await renderer.close();
}

controller.signal.addEventListener('abort', () => {
	const end: StepOutcome = {id: current, result: 'interrupted', detail: 'stopped by Ctrl-C', durationMs: 0};
	renderer.handle({type: 'step-end', ...end});
	renderer.handle({type: 'run-end', outcome: 'interrupted', outcomes: [...outcomes, end], retry: 'labbox --resume'} satisfies EngineEvent);
	void renderer.close().then(() => process.exit(130));
});

await main();
