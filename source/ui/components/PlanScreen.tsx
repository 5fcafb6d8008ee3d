import {Box, Text} from 'ink';
import {useKeys} from '../hooks/use-keys.js';
import type {PlanItem} from '../renderer.js';
import {theme} from '../theme.js';

export interface PlanScreenProps {
	/** The steps of the coming run, in order, with what their checks found. */
	readonly items: readonly PlanItem[];
	/** Called with true on Enter, false on q or Esc. */
	readonly onAnswer: (start: boolean) => void;
}

/**
 * The plan's go-ahead, under the plan itself (PlanList, printed once above): how many steps change, how many
 * are done or blocked; Enter starts, q/Esc cancels.
 */
export function PlanScreen({items, onAnswer}: PlanScreenProps) {
	// No replay: a key typed before the plan was on screen must not start the run.
	useKeys((input, key, release) => {
		if (key.return || key.escape || input === 'q') {
			release();
			onAnswer(key.return);
		}
	}, false);
	const count = (status: string) => items.filter(item => item.check.status === status).length;
	const blocked = count('blocked');
	return (
		<Box flexDirection="column" marginTop={1}>
			<Text>
				{count('todo')} to change, {count('done')} already done
				{blocked > 0 ? <Text color={theme.error}>, {blocked} blocked (the run stops there until fixed)</Text> : undefined}
			</Text>
			<Text>
				<Text color={theme.accent} bold>
					Enter
				</Text>{' '}
				to start ·{' '}
				<Text color={theme.accent} bold>
					q
				</Text>{' '}
				or Esc to cancel
			</Text>
		</Box>
	);
}
