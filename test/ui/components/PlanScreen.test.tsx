import {render} from 'ink-testing-library';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {cleanup} from 'ink-testing-library';
import {PlanList} from '../../../source/ui/components/PlanList.js';
import {PlanScreen} from '../../../source/ui/components/PlanScreen.js';
import type {PlanItem} from '../../../source/ui/renderer.js';
import {keys, stripAnsi, tick, waitFor} from '../support/frames.js';

const items: PlanItem[] = [
	{id: 'connect', title: 'Connect', check: {status: 'done', detail: 'root@lab'}, inputsChanged: false, lastResult: 'ok'},
	{
		id: 'docker',
		title: 'Install Docker',
		check: {status: 'todo', changes: ['install docker.io', 'add deploy to the docker group']},
		inputsChanged: false,
	},
	{
		id: 'certificate',
		title: 'Certificate',
		check: {status: 'todo', changes: ['issue a certificate for lab.example.org']},
		inputsChanged: true,
		lastResult: 'failed',
	},
	{
		id: 'dns',
		title: 'DNS',
		check: {status: 'blocked', reason: 'lab.example.org does not resolve', fix: 'Add an A record for lab.example.org'},
		inputsChanged: false,
	},
];

afterEach(() => {
	cleanup();
});

describe('PlanScreen', () => {
	it('shows what is done, what will change, what is blocked (the list, printed once) and how to start (live)', () => {
		const list = stripAnsi(render(<PlanList items={items} />).lastFrame() ?? '');
		const screen = stripAnsi(render(<PlanScreen items={items} onAnswer={() => {}} />).lastFrame() ?? '');
		expect(screen.trim().split('\n')).toHaveLength(2);
		const frame = `${list}\n${screen}`;
		expect(frame).toContain('✔ Connect already done: root@lab');
		expect(frame).toContain('● Install Docker will change');
		expect(frame).toContain('    + install docker.io');
		expect(frame).toContain('    + add deploy to the docker group');
		expect(frame).toContain('● Certificate will change (inputs changed, last run: failed)');
		expect(frame).toContain('✖ DNS blocked: lab.example.org does not resolve');
		expect(frame).toContain('    Fix: Add an A record for lab.example.org');
		expect(frame).toContain('2 to change, 1 already done, 1 blocked');
		expect(frame).toContain('Enter to start · q or Esc to cancel');
	});

	it.each([
		['Enter', keys.enter, true],
		['q', 'q', false],
		['Esc', keys.escape, false],
	])('answers on %s', async (_name, key, expected) => {
		const onAnswer = vi.fn();
		const {stdin} = render(<PlanScreen items={items} onAnswer={onAnswer} />);
		await tick();
		stdin.write('x');
		stdin.write(key);
		await waitFor(
			() => String(onAnswer.mock.calls.length),
			count => count === '1',
		);
		expect(onAnswer).toHaveBeenCalledWith(expected);
	});
});
