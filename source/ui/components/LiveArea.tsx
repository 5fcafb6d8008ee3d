import {Box, Text, useStdout} from 'ink';
import {liveLayout} from '../live-layout.js';
import type {RunSnapshot} from '../store/types.js';
import {theme} from '../theme.js';
import {OutputTail} from './OutputTail.js';
import {ProgressBar} from './ProgressBar.js';
import {StepRow} from './StepRow.js';

export interface LiveAreaProps {
	/** The run as last published. */
	readonly snapshot: RunSnapshot;
	/** Output lines shown under the running step. */
	readonly tailLines: number;
}

/**
 * Everything still changing: the unfinished steps, the running step's progress and output. Never taller or
 * wider than the terminal (see live-layout.ts); the run's end is printed once, above (RunModel's static items).
 */
export function LiveArea({snapshot, tailLines}: LiveAreaProps) {
	const {stdout} = useStdout();
	const {steps, staticSteps, activeId, tail, lineCount, end} = snapshot;
	if (end) {
		return null;
	}
	const live = steps.slice(staticSteps);
	const layout = liveLayout({
		rows: stdout.rows || 24,
		steps: live.length,
		progress: live.some(step => step.progress),
		tailLines,
		prompt: snapshot.prompt !== undefined,
	});
	const shown = live.slice(0, layout.stepRows);
	const rest = live.slice(layout.stepRows);
	// One column spare: a line as wide as the terminal may wrap in some of them.
	const width = Math.max(20, (stdout.columns || 80) - 1);
	return (
		<Box flexDirection="column" width={width}>
			{shown.map(step => (
				<Box key={step.id} flexDirection="column">
					<StepRow step={step} titleWidth={snapshot.titleWidth} />
					{step.progress ? (
						<Box marginLeft={2}>
							<ProgressBar fraction={step.progress.fraction} label={step.progress.label} maxWidth={width - 2} />
						</Box>
					) : undefined}
					{step.id === activeId && tail.length > 0 && layout.tailRows > 0 ? (
						<OutputTail lines={tail} maxLines={layout.tailRows} total={lineCount} />
					) : undefined}
				</Box>
			))}
			{rest.length > 0 ? (
				<Text color={theme.muted} wrap="truncate-end">
					○ {rest.length} more: {rest.map(step => step.title).join(', ')}
				</Text>
			) : undefined}
		</Box>
	);
}
