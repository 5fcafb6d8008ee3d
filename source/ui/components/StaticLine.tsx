import {Text, useStdout} from 'ink';
import type {StaticItem} from '../store/types.js';
import {breakWidth, wrapLines} from '../text.js';
import {theme} from '../theme.js';
import {PlanList} from './PlanList.js';
import {RunEndReport} from './RunEndReport.js';
import {StepRow} from './StepRow.js';

export interface StaticLineProps {
	/** A finished step, an answered question, the plan or a note: printed once, above the live area. */
	readonly item: StaticItem;
	/** Writes each `labbox …` command as the user started labbox (RendererOptions.hints). */
	readonly hints?: (text: string) => string;
}

/** One line of the permanent scroll-back. */
export function StaticLine({item, hints}: StaticLineProps) {
	const width = breakWidth(useStdout().stdout.columns);
	switch (item.kind) {
		case 'step': {
			return <StepRow wrapDetail step={item.step} titleWidth={item.titleWidth} />;
		}
		case 'answer': {
			return (
				<Text>
					<Text color={theme.success}>✔</Text> {item.message} <Text color={theme.accent}>{item.shown}</Text>
				</Text>
			);
		}
		case 'note': {
			return <Text color={theme.muted}>{wrapLines(item.text, width)}</Text>;
		}
		case 'plan': {
			return <PlanList items={item.items} />;
		}
		case 'end': {
			return <RunEndReport end={item.end} steps={item.steps} logPath={item.logPath} hints={hints} />;
		}
		default: {
			const unknown: never = item;
			throw new Error(`Unknown static item: ${JSON.stringify(unknown)}`);
		}
	}
}
