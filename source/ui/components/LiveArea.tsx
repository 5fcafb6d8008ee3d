import {Box, useStdout} from 'ink';
import type {RunSnapshot} from '../store/types.js';
import {FailurePanel} from './FailurePanel.js';
import {OutputTail} from './OutputTail.js';
import {ProgressBar} from './ProgressBar.js';
import {StepRow} from './StepRow.js';
import {Summary} from './Summary.js';

export interface LiveAreaProps {
	/** The run as last published. */
	readonly snapshot: RunSnapshot;
	/** Output lines shown under the running step. */
	readonly tailLines: number;
}

/** Everything still changing: unfinished steps, the running step's progress and output, failures, the summary. */
export function LiveArea({snapshot, tailLines}: LiveAreaProps) {
	const {steps, staticSteps, activeId, tail, lineCount, end} = snapshot;
	const failed = steps.filter(step => step.phase === 'failed');
	// A live area taller than the terminal makes Ink clear the screen on every frame: the tail gives way first.
	const rows = useStdout().stdout.rows || 24;
	const tailBudget = Math.max(2, Math.min(tailLines, rows - (steps.length - staticSteps) - 4));
	return (
		<Box flexDirection="column">
			{steps.slice(staticSteps).map(step => (
				<Box key={step.id} flexDirection="column">
					<StepRow step={step} titleWidth={snapshot.titleWidth} />
					{step.progress ? (
						<Box marginLeft={2}>
							<ProgressBar fraction={step.progress.fraction} label={step.progress.label} />
						</Box>
					) : undefined}
					{step.id === activeId && tail.length > 0 ? <OutputTail lines={tail} maxLines={tailBudget} total={lineCount} /> : undefined}
				</Box>
			))}
			{failed.map(step => (
				<FailurePanel key={step.id} step={step} logPath={end?.logPath ?? snapshot.logPath} retry={end?.retry} />
			))}
			{end ? <Summary end={end} steps={steps} /> : undefined}
		</Box>
	);
}
