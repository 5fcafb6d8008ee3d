import {resolvedConfig} from '../../source/config/resolve.js';
// Prints speed figures of the built CLI (not asserted: machines here are noisy, so compare the ratios within one run).
//   1. cold `labbox --help`, against a bare `node -e 0` (also on the Node of `--node PATH`, when given);
//   2. CPU used by each renderer while a step prints 50,000 lines, against no renderer at all;
//   3. on test-world servers (when the world is up; `--no-server` skips it): the no-op re-run and `labbox plan`
//      against tuned Ansible and the one-ssh floor, logins and round trips, the first run per step (no-op.ts).
import {execFileSync} from 'node:child_process';
import {Writable} from 'node:stream';
import path from 'node:path';
import {execa} from 'execa';
import {Redactor} from '../../source/engine/redact.js';
import {runSteps} from '../../source/engine/runner.js';
import {emptyState} from '../../source/engine/state.js';
import type {EngineListener} from '../../source/engine/types.js';
import {createRenderer, type RendererKind} from '../../source/ui/renderer.js';
import {tempDir} from '../helpers/lab-folder.js';
import {root} from '../helpers/labbox-process.js';
import {testStep} from '../helpers/test-steps.js';
import {noOpBench} from './no-op.js';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function wallMs(command: string, args: string[], runs = 7): Promise<number> {
	const times: number[] = [];
	for (let index = 0; index < runs; index++) {
		const started = process.hrtime.bigint();
		await execa(command, args, {cwd: root});
		times.push(Number(process.hrtime.bigint() - started) / 1e6);
	}
	return median(times);
}

/** A terminal that throws its output away, counting the bytes. */
function fakeTerminal(): NodeJS.WriteStream & {bytes: number; writes: number} {
	const stream = new Writable({
		write(chunk: Buffer, _encoding, done) {
			stream.bytes += chunk.length;
			stream.writes++;
			done();
		},
	}) as unknown as NodeJS.WriteStream & {bytes: number; writes: number};
	Object.assign(stream, {isTTY: true, columns: 100, rows: 30, bytes: 0, writes: 0});
	return stream;
}

async function linesCpu(kind: RendererKind | 'none', lines: number) {
	const stdout = fakeTerminal();
	const renderer = kind === 'none' ? undefined : await createRenderer(kind, {stdout, onInterrupt() {}});
	const listeners: EngineListener[] = renderer ? [event => renderer.handle(event)] : [];
	const before = process.cpuUsage();
	const started = performance.now();
	await runSteps({
		steps: [testStep('loud', tempDir('labbox-bench-'), {lines})],
		mode: 'setup',
		config: resolvedConfig({}),
		...(dir => ({stateFile: path.join(dir, 'state.json'), labDir: dir}))(tempDir('labbox-bench-')),
		state: emptyState,
		redactor: new Redactor(),
		signal: new AbortController().signal,
		prompt: async () => '',
		listeners,
		command: 'labbox',
	});
	await renderer?.close();
	const cpu = process.cpuUsage(before);
	return {wall: performance.now() - started, cpu: (cpu.user + cpu.system) / 1000, bytes: stdout.bytes, writes: stdout.writes};
}

// `--node PATH` (or LABBOX_BENCH_NODE): also time labbox on that Node, beside the machine's (users run Node 22+).
const flag = process.argv.indexOf('--node');
const otherNode = flag === -1 ? process.env.LABBOX_BENCH_NODE || undefined : process.argv[flag + 1];
if (flag !== -1 && (!otherNode || otherNode.startsWith('--'))) {
	console.error('--node needs the path of a node binary, e.g. npm run bench -- --node ~/node-24/bin/node');
	process.exit(2);
}

// Every figure is of the built CLI (bin/labbox.js runs dist/).
execFileSync('npm', ['run', 'build'], {cwd: root, stdio: 'ignore'});
for (const binary of ['node', ...(otherNode ? [otherNode] : [])]) {
	const version = (await execa(binary, ['--version'])).stdout.trim();
	const node = await wallMs(binary, ['-e', '0']);
	const help = await wallMs(binary, ['bin/labbox.js', '--help']);
	console.log(
		`cold start on Node ${version}: node -e 0 ${node.toFixed(0)} ms, labbox --help ${help.toFixed(0)} ms (${(help / node).toFixed(2)}x node)`,
	);
}

const lines = 50_000;
const none = await linesCpu('none', lines);
for (const kind of ['none', 'plain', 'ink'] as const) {
	const result = kind === 'none' ? none : await linesCpu(kind, lines);
	console.log(
		`${lines} lines, renderer ${kind.padEnd(5)}: wall ${result.wall.toFixed(0)} ms, cpu ${result.cpu.toFixed(0)} ms (${(result.cpu / none.cpu).toFixed(2)}x no renderer), ${result.bytes} bytes in ${result.writes} writes`,
	);
}

if (!process.argv.includes('--no-server')) {
	await noOpBench(otherNode);
}
