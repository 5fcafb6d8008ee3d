// Whole screens as the user sees them, to review a change of layout at a glance (vitest snapshots).
import {describe, expect, it} from 'vitest';
import {FailurePanel} from '../../../source/ui/components/FailurePanel.js';
import {PlanList} from '../../../source/ui/components/PlanList.js';
import {PlanScreen} from '../../../source/ui/components/PlanScreen.js';
import {StaticLine} from '../../../source/ui/components/StaticLine.js';
import {Summary} from '../../../source/ui/components/Summary.js';
import {RunModel} from '../../../source/ui/store/run-model.js';
import {connectOk, dockerChanged, failingRun} from '../support/events.js';
import {draw} from '../support/frames.js';

/** The run's snapshot after every event of a failing run. */
function endedRun() {
	const model = new RunModel(8);
	for (const event of failingRun()) {
		model.apply(event, 0);
	}
	return model.snapshot(undefined);
}

describe('screens', () => {
	it('the finished steps of a failing run', () => {
		const {staticItems} = endedRun();
		expect(staticItems.map(item => draw(<StaticLine item={item} />)).join('\n')).toMatchSnapshot();
	});

	it('the failure panel', () => {
		const {steps, end} = endedRun();
		expect(draw(<FailurePanel step={steps[2]!} logPath={end?.logPath} retry={end?.retry} />)).toMatchSnapshot();
	});

	it('the summary of a finished run', () => {
		const steps = [
			{id: 'connect', title: 'Connect', phase: 'ok' as const},
			{id: 'docker', title: 'Install Docker', phase: 'changed' as const, detail: 'Docker 26.1 running'},
		];
		const end = {type: 'run-end' as const, outcome: 'done' as const, outcomes: [connectOk, dockerChanged], url: 'https://lab.example.org'};
		expect(draw(<Summary steps={steps} end={end} />, 100)).toMatchSnapshot();
	});

	it('the plan screen', () => {
		const items = [
			{id: 'connect', title: 'Connect', check: {status: 'done' as const, detail: 'Debian 13'}, inputsChanged: false},
			{id: 'docker', title: 'Install Docker', check: {status: 'todo' as const, changes: ['install docker.io']}, inputsChanged: true},
		];
		expect(
			draw(
				<>
					<PlanList items={items} />
					<PlanScreen items={items} onAnswer={() => {}} />
				</>,
			),
		).toMatchSnapshot();
	});
});
