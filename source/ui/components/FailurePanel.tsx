import {Box, Text} from 'ink';
import type {StepView} from '../store/types.js';
import {theme} from '../theme.js';
import {sanitizeLine} from '../text.js';

export interface FailurePanelProps {
	/** The failed step (its detail, hint and last output lines). */
	readonly step: StepView;
	/** The run's log file. */
	readonly logPath?: string;
	/** The exact command to try again (run-end.retry), once the run has ended. */
	readonly retry?: string;
	/** How many output lines to show at most. */
	readonly maxLines?: number;
}

/** What failed, why (its last output), what to do, where the full log is, and how to retry. */
export function FailurePanel({step, logPath, retry, maxLines = 15}: FailurePanelProps) {
	const output = (step.output ?? []).slice(-maxLines);
	return (
		<Box flexDirection="column" borderStyle="round" borderColor={theme.error} paddingX={1} marginTop={1}>
			<Text color={theme.error} bold>
				✖ {step.title} failed
			</Text>
			{step.detail ? <Text>{sanitizeLine(step.detail)}</Text> : undefined}
			{output.length > 0 ? (
				<Box flexDirection="column" marginTop={1}>
					<Text color={theme.muted}>Last output:</Text>
					{output.map((line, index) => (
						// eslint-disable-next-line react/no-array-index-key
						<Text key={index} color={theme.muted} wrap="truncate-end">
							│ {sanitizeLine(line)}
						</Text>
					))}
				</Box>
			) : undefined}
			{step.hint ? (
				<Box marginTop={1}>
					<Box flexShrink={0} marginRight={1}>
						<Text color={theme.warning}>Fix:</Text>
					</Box>
					<Text>{step.hint}</Text>
				</Box>
			) : undefined}
			{logPath ? <Text color={theme.muted}>Log: {logPath}</Text> : undefined}
			{retry ? (
				<Text>
					Retry:{' '}
					<Text color={theme.accent} bold>
						{retry}
					</Text>
				</Text>
			) : undefined}
		</Box>
	);
}
