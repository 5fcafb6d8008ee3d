import {Box, Text} from 'ink';
import {theme} from '../theme.js';

export interface ProgressBarProps {
	/** 0..1 (clamped). */
	readonly fraction: number;
	/** Shown after the percentage, e.g. "120 MB of 300 MB". */
	readonly label?: string;
	/** Width of the bar in cells. */
	readonly width?: number;
}

/** A bar, the percentage and an optional label, on one line. */
export function ProgressBar({fraction, label, width = 30}: ProgressBarProps) {
	const clamped = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
	const filled = Math.round(clamped * width);
	return (
		<Box>
			<Text color={theme.accent}>{'█'.repeat(filled)}</Text>
			<Text color={theme.muted}>{'░'.repeat(width - filled)}</Text>
			<Text> {String(Math.floor(clamped * 100)).padStart(3)}%</Text>
			{label ? (
				<Box marginLeft={1} flexShrink={1}>
					<Text color={theme.muted} wrap="truncate-end">
						{label}
					</Text>
				</Box>
			) : undefined}
		</Box>
	);
}
