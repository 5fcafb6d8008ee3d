import {Box, Text} from 'ink';
import {theme} from '../theme.js';
import {sanitizeLine} from '../text.js';

export interface OutputTailProps {
	/** The last lines of output, oldest first (already bounded by the store). */
	readonly lines: readonly string[];
	/** How many of them to show. */
	readonly maxLines?: number;
	/** How many lines the step printed in all; when more than shown, a count says so. */
	readonly total?: number;
}

/** The live tail of a command's output: one row per line, cut to the terminal width so the height never jumps. */
export function OutputTail({lines, maxLines = 8, total}: OutputTailProps) {
	const shown = lines.slice(-maxLines);
	const hidden = (total ?? lines.length) - shown.length;
	return (
		<Box flexDirection="column" marginLeft={2}>
			{hidden > 0 ? <Text color={theme.muted}>… {hidden} earlier lines (all in the log)</Text> : undefined}
			{shown.map((line, index) => (
				// Lines repeat and have no identity: the position in the window is the key.
				// eslint-disable-next-line react/no-array-index-key
				<Text key={index} color={theme.muted} wrap="truncate-end">
					│ {sanitizeLine(line)}
				</Text>
			))}
		</Box>
	);
}
