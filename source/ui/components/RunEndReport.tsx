import {Box} from 'ink';
import type {RunEnd, StepView} from '../store/types.js';
import {FailurePanel} from './FailurePanel.js';
import {Summary} from './Summary.js';

export interface RunEndReportProps {
	/** The run-end event. */
	readonly end: RunEnd;
	/** All steps, as they ended. */
	readonly steps: readonly StepView[];
	/** The run's log, when run-end does not name it. */
	readonly logPath?: string;
	/** Writes each `labbox …` command as the user started labbox (RendererOptions.hints). */
	readonly hints?: (text: string) => string;
}

/** The last words of a run, printed once: a panel per failed step, then the summary. */
export function RunEndReport({end, steps, logPath, hints}: RunEndReportProps) {
	return (
		<Box flexDirection="column">
			{steps
				.filter(step => step.phase === 'failed')
				.map(step => (
					<FailurePanel key={step.id} step={step} logPath={end.logPath ?? logPath} retry={end.retry} />
				))}
			<Summary end={end} steps={steps} hints={hints} />
		</Box>
	);
}
