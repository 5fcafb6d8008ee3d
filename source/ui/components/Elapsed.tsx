import {Text} from 'ink';
import {useNow} from '../hooks/use-now.js';
import {theme} from '../theme.js';
import {formatDuration} from '../text.js';

export interface ElapsedProps {
	/** `Date.now()` when the step started. */
	readonly since: number;
}

/** The live elapsed time of a running step, in whole seconds (refreshed each second, on its own). */
export function Elapsed({since}: ElapsedProps) {
	const now = useNow(1000);
	const seconds = Math.floor(Math.max(0, now - since) / 1000);
	return <Text color={theme.muted}>{seconds < 60 ? `${seconds}s` : formatDuration(seconds * 1000)}</Text>;
}
