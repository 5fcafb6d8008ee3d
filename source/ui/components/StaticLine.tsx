import {Text} from 'ink';
import type {StaticItem} from '../store/types.js';
import {theme} from '../theme.js';
import {StepRow} from './StepRow.js';

export interface StaticLineProps {
	/** A finished step, an answered question or a note: printed once, above the live area. */
	readonly item: StaticItem;
}

/** One line of the permanent scroll-back. */
export function StaticLine({item}: StaticLineProps) {
	switch (item.kind) {
		case 'step': {
			return <StepRow step={item.step} titleWidth={item.titleWidth} />;
		}
		case 'answer': {
			return (
				<Text>
					<Text color={theme.success}>✔</Text> {item.message} <Text color={theme.accent}>{item.shown}</Text>
				</Text>
			);
		}
		case 'note': {
			return <Text color={theme.muted}>{item.text}</Text>;
		}
		default: {
			const unknown: never = item;
			throw new Error(`Unknown static item: ${JSON.stringify(unknown)}`);
		}
	}
}
