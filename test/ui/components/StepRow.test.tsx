import {describe, expect, it} from 'vitest';
import type {StepPhase} from '../../../source/engine/types.js';
import {StepRow} from '../../../source/ui/components/StepRow.js';
import {describePhase} from '../../../source/ui/phase.js';
import {draw} from '../support/frames.js';

const phases: ReadonlyArray<[StepPhase, string, string]> = [
	['pending', '○', 'pending'],
	['checking', 'spinner', 'checking'],
	['applying', 'spinner', 'applying'],
	['verifying', 'spinner', 'verifying'],
	['ok', '✔', 'already done'],
	['changed', '✔', 'changed'],
	['failed', '✖', 'failed'],
	['skipped', '–', 'skipped'],
	['interrupted', '⚠', 'interrupted'],
];
// ink-spinner's `dots` frames.
const spinnerFrames = /^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/;

describe('StepRow', () => {
	it.each(phases)('shows %s with its icon and label', (phase, icon, label) => {
		const frame = draw(<StepRow step={{id: 'docker', title: 'Install Docker', phase, detail: 'some detail'}} />, 80);
		if (icon === 'spinner') {
			expect(frame).toMatch(spinnerFrames);
		} else {
			expect(frame.startsWith(`${icon} `)).toBe(true);
		}
		expect(frame).toContain(`Install Docker ${label}`);
		expect(frame).toContain('some detail');
	});

	it('covers every phase with a distinct look', () => {
		const looks = phases.map(([phase]) => describePhase(phase));
		expect(new Set(looks.map(look => look.label)).size).toBe(phases.length);
		expect(looks.filter(look => look.running).map(look => look.label)).toEqual(['checking', 'applying', 'verifying']);
	});

	it('shows the duration of an ended step', () => {
		const frame = draw(<StepRow step={{id: 'docker', title: 'Install Docker', phase: 'changed', durationMs: 12_345}} />);
		expect(frame).toContain('changed 12.3s');
	});

	it('shows the elapsed time of a running step', () => {
		const frame = draw(<StepRow step={{id: 'docker', title: 'Install Docker', phase: 'applying', startedAt: Date.now() - 65_000}} />);
		expect(frame).toContain('applying 1m 05s');
	});

	it('lines the phases up after the longest title', () => {
		const frame = draw(<StepRow titleWidth={20} step={{id: 'dns', title: 'Check DNS', phase: 'ok'}} />);
		expect(frame).toContain(`Check DNS${' '.repeat(11)} already done`);
	});

	it('cuts a long detail to the terminal width', () => {
		const frame = draw(<StepRow step={{id: 'dns', title: 'DNS', phase: 'ok', detail: 'x'.repeat(200)}} />, 40);
		expect(frame.split('\n')).toHaveLength(1);
		expect(frame.length).toBeLessThanOrEqual(40);
		expect(frame).toContain('…');
	});
});
