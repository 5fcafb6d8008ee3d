import {Box, Text, useStdout} from 'ink';
import {breakWidth, type Segment, wrapSegments} from '../text.js';

export interface WrappedProps {
	/** One line of text in parts of different looks. */
	readonly segments: readonly Segment[];
	/** Put before each continuation line. */
	readonly indent?: string;
}

/**
 * A line broken between words at the terminal's width by labbox, not by Ink: Ink's wrap keeps the space it
 * breaks at, so the line after a full one began with a space (seen in the step rows and the summary at 80×24).
 */
export function Wrapped({segments, indent = ''}: WrappedProps) {
	const width = breakWidth(useStdout().stdout.columns);
	return (
		<Box flexDirection="column">
			{wrapSegments(segments, width, indent).map((line, index) => (
				<Text key={index}>
					{line.map((segment, part) => (
						<Text key={part} color={segment.color} bold={segment.bold}>
							{segment.text}
						</Text>
					))}
				</Text>
			))}
		</Box>
	);
}
