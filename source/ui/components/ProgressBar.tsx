import {Box, Text} from 'ink';
import {theme} from '../theme.js';

export interface ProgressBarProps {
	/** 0..1 (clamped). */
	readonly fraction: number;
	/** Shown after the percentage, e.g. "120 MB of 300 MB". */
	readonly label?: string;
	/** Width of the bar in cells, when there is room. */
	readonly width?: number;
	/** The most cells the whole line may take: the label is cut to fit, then the bar narrows (issue 10 item 7). */
	readonly maxWidth?: number;
}

// ` 100%`: the percentage and the space before it.
const percentWidth = 5;
// What the label keeps before the bar gives up cells.
const minLabel = 20;

/** A bar, the percentage and an optional label, always on one line. */
export function ProgressBar({fraction, label, width = 30, maxWidth}: ProgressBarProps) {
	const clamped = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
	const bar = maxWidth === undefined ? width : Math.max(4, Math.min(width, maxWidth - percentWidth - 1 - minLabel));
	const labelWidth = maxWidth === undefined ? undefined : maxWidth - bar - percentWidth - 1;
	const filled = Math.round(clamped * bar);
	// The bar never shrinks or wraps: Yoga would split it over two lines when the label is long.
	return (
		<Box>
			<Box flexShrink={0}>
				<Text color={theme.accent}>{'█'.repeat(filled)}</Text>
				<Text color={theme.muted}>{'░'.repeat(bar - filled)}</Text>
				<Text> {String(Math.floor(clamped * 100)).padStart(3)}%</Text>
			</Box>
			{label && (labelWidth === undefined || labelWidth > 0) ? (
				<Box marginLeft={1} flexShrink={labelWidth === undefined ? 1 : 0} width={labelWidth}>
					<Text color={theme.muted} wrap="truncate-end">
						{label}
					</Text>
				</Box>
			) : undefined}
		</Box>
	);
}
