import {Box, Text} from 'ink';
import type {PlanItem} from '../renderer.js';
import {PlanItemRow} from './PlanItemRow.js';

export interface PlanListProps {
	/** The steps of the coming run, in order, with what their checks found. */
	readonly items: readonly PlanItem[];
}

/**
 * The plan's steps: what is done, what will change, what is blocked. Printed once, above the live area, so a
 * plan of any length can be scrolled and never makes the live area taller than the screen (issue 10 item 7).
 */
export function PlanList({items}: PlanListProps) {
	return (
		<Box flexDirection="column" marginTop={1}>
			<Text bold>Plan</Text>
			{items.map(item => (
				<PlanItemRow key={item.id} item={item} />
			))}
		</Box>
	);
}
