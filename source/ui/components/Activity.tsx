import {Box, Text} from 'ink';
import Spinner from 'ink-spinner';
import {theme} from '../theme.js';
import {sanitizeLine} from '../text.js';
import {Elapsed} from './Elapsed.js';

export interface ActivityProps {
	/** What labbox waits on (`Connecting to HOST:PORT…`). */
	readonly text: string;
	/** `Date.now()` when it began. */
	readonly since: number;
}

/** One live line: a spinner, what labbox waits on, and the seconds so far (never wraps). */
export function Activity({text, since}: ActivityProps) {
	return (
		<Box>
			<Box width={2} flexShrink={0}>
				<Text color={theme.accent}>
					<Spinner type="dots" />
				</Text>
			</Box>
			<Box flexShrink={1}>
				<Text wrap="truncate-end">{sanitizeLine(text)}</Text>
			</Box>
			<Box flexShrink={0} marginLeft={1}>
				<Elapsed since={since} />
			</Box>
		</Box>
	);
}
