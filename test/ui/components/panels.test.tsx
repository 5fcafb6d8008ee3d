import {describe, expect, it} from 'vitest';
import {FailurePanel} from '../../../source/ui/components/FailurePanel.js';
import {OutputTail} from '../../../source/ui/components/OutputTail.js';
import {ProgressBar} from '../../../source/ui/components/ProgressBar.js';
import {Summary} from '../../../source/ui/components/Summary.js';
import type {StepView} from '../../../source/ui/store/types.js';
import {connectOk, dockerChanged, stackFailed} from '../support/events.js';
import {draw} from '../support/frames.js';

const failed: StepView = {
	id: 'stack',
	title: 'Start JupyterHub',
	phase: 'failed',
	detail: stackFailed.detail,
	hint: stackFailed.hint,
	output: stackFailed.output,
};

describe('FailurePanel', () => {
	it('says what failed, its last output, the fix, the log and the retry command', () => {
		const frame = draw(<FailurePanel step={failed} logPath=".labbox/logs/run-1.log" retry="labbox run stack" />);
		expect(frame).toContain('✖ Start JupyterHub failed');
		expect(frame).toContain('the hub did not answer /hub/health');
		expect(frame).toMatch(/│ │ \[E\] database is locked\s+│/);
		expect(frame).toContain('│ [E] exiting');
		expect(frame).toContain('Fix: Run `docker compose logs hub` on the server.');
		expect(frame).toContain('Log: .labbox/logs/run-1.log');
		expect(frame).toContain('Retry: labbox run stack');
		expect(frame.split('\n')[1]).toMatch(/^╭─+╮$/);
	});

	it('shows only the last lines of a long output', () => {
		const output = Array.from({length: 40}, (_, index) => `line ${index}`);
		const frame = draw(<FailurePanel step={{...failed, output}} maxLines={5} />);
		expect(frame).toContain('line 39');
		expect(frame).toContain('line 35');
		expect(frame).not.toContain('line 34');
	});
});

describe('Summary', () => {
	const steps: StepView[] = [
		{id: 'connect', title: 'Connect', phase: 'ok'},
		{id: 'docker', title: 'Install Docker', phase: 'changed', detail: 'Docker 26.1 running'},
	];

	it('lists what changed, the URL and the next steps when done', () => {
		const frame = draw(
			<Summary
				steps={steps}
				end={{type: 'run-end', outcome: 'done', outcomes: [connectOk, dockerChanged], url: 'https://lab.example.org', logPath: 'run.log'}}
			/>,
			120,
		);
		expect(frame).toContain('✔ Done in 13.5s: 1 changed, 1 already done, 0 failed, 0 skipped');
		expect(frame).toContain('• Install Docker: Docker 26.1 running');
		expect(frame).not.toContain('• Connect');
		expect(frame).toContain('Your lab: https://lab.example.org');
		expect(frame).toContain('Next: open the URL and log in');
		expect(frame).toContain('Log: run.log');
	});

	it('says how to resume when interrupted', () => {
		const interrupted: StepView[] = [steps[0]!, {id: 'docker', title: 'Install Docker', phase: 'interrupted'}];
		const frame = draw(
			<Summary steps={interrupted} end={{type: 'run-end', outcome: 'interrupted', outcomes: [connectOk], retry: 'labbox --resume'}} />,
		);
		expect(frame).toContain('⚠ Interrupted during Install Docker.');
		expect(frame).toContain('Resume with: labbox --resume');
	});

	it('counts the results when a step failed', () => {
		const frame = draw(
			<Summary steps={[...steps, failed]} end={{type: 'run-end', outcome: 'failed', outcomes: [connectOk, dockerChanged, stackFailed]}} />,
		);
		expect(frame).toContain('✖ Stopped: 1 changed, 1 already done, 1 failed, 0 skipped.');
	});
});

describe('ProgressBar', () => {
	it.each([
		[0, 0, '  0%'],
		[0.5, 5, ' 50%'],
		[1, 10, '100%'],
		[1.7, 10, '100%'],
	])('draws %d as %d filled cells and %s', (fraction, filled, percent) => {
		const frame = draw(<ProgressBar fraction={fraction} width={10} label="120 MB" />);
		expect(frame).toBe(`${'█'.repeat(filled)}${'░'.repeat(10 - filled)} ${percent} 120 MB`);
	});
});

describe('OutputTail', () => {
	it('shows the last lines, cut to the width, clean of colours and carriage returns', () => {
		const lines = ['old', 'progress 10%\rprogress 99%', '\u001B[31mred\u001B[0m', 'y'.repeat(100)];
		const frame = draw(<OutputTail lines={lines} maxLines={3} total={1000} />, 40);
		expect(frame.split('\n')).toEqual(['  … 997 earlier lines (all in the log)', '  │ progress 99%', '  │ red', `  │ ${'y'.repeat(35)}…`]);
	});
});
