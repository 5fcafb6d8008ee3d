import {Box, Text} from 'ink';
import type {PlanItem} from '../renderer.js';
import {planNotes, stepName} from '../text.js';
import {theme} from '../theme.js';

export interface PlanItemRowProps {
	/** One step of the plan and what its check found. */
	readonly item: PlanItem;
}

/** A step of the plan: already done, what it will change (one line each), or why it is blocked and the fix. */
export function PlanItemRow({item}: PlanItemRowProps) {
	const {check} = item;
	const notes = planNotes(item);
	const why = notes.length > 0 ? <Text color={theme.warning}> ({notes.join(', ')})</Text> : undefined;
	switch (check.status) {
		case 'done': {
			return (
				<Text>
					<Text color={theme.success}>✔</Text> {stepName(item)}{' '}
					<Text color={theme.muted}>already done{check.detail ? `: ${check.detail}` : ''}</Text>
				</Text>
			);
		}
		case 'todo': {
			return (
				<Box flexDirection="column">
					<Text>
						<Text color={theme.highlight}>●</Text> {stepName(item)} <Text color={theme.highlight}>will change</Text>
						{why}
					</Text>
					{check.changes.map((change, index) => (
						// Two changes may read the same: the position keeps the keys apart.
						<Text key={`${index}-${change}`} wrap="truncate-end">
							{'    '}
							<Text color={theme.highlight}>+</Text> {change}
						</Text>
					))}
				</Box>
			);
		}
		case 'blocked': {
			return (
				<Box flexDirection="column">
					<Text>
						<Text color={theme.error}>✖</Text> {stepName(item)} <Text color={theme.error}>blocked: {check.reason}</Text>
					</Text>
					<Text>
						{'    '}
						<Text color={theme.warning}>Fix:</Text> {check.fix}
					</Text>
				</Box>
			);
		}
		default: {
			const unknown: never = check;
			throw new Error(`Unknown check: ${JSON.stringify(unknown)}`);
		}
	}
}
