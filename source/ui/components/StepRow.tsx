import {Box, Text} from 'ink';
import Spinner from 'ink-spinner';
import {describePhase} from '../phase.js';
import type {StepView} from '../store/types.js';
import {theme} from '../theme.js';
import {formatDuration, sanitizeLine} from '../text.js';
import {Elapsed} from './Elapsed.js';
import {Wrapped} from './Wrapped.js';

export interface StepRowProps {
	/** The step to draw: its phase picks the icon, colour and label. */
	readonly step: StepView;
	/** Width of the title column (the longest title), so phases line up; 0 for none. */
	readonly titleWidth?: number;
	/** Wrap a long detail onto the next lines instead of cutting it (a finished step, printed once). */
	readonly wrapDetail?: boolean;
}

/** One step on one line: icon (a spinner while it works), title, phase, time, detail (truncated). */
export function StepRow({step, titleWidth = 0, wrapDetail = false}: StepRowProps) {
	const look = describePhase(step.phase);
	const detail = step.detail ? sanitizeLine(step.detail) : '';
	if (wrapDetail && !look.running) {
		// One line, so a long detail wraps under the whole row rather than in a narrow column.
		const time = step.durationMs === undefined ? '' : ` ${formatDuration(step.durationMs)}`;
		return (
			<Wrapped
				segments={[
					{text: look.icon, color: look.color},
					{text: ` ${step.title.padEnd(titleWidth)} `},
					{text: look.label, color: look.color},
					{text: `${time}${detail ? ` ${detail}` : ''}`, color: theme.muted},
				]}
			/>
		);
	}
	return (
		<Box>
			<Box width={2} flexShrink={0}>
				<Text color={look.color}>{look.running ? <Spinner type="dots" /> : look.icon}</Text>
			</Box>
			<Box flexShrink={0} minWidth={titleWidth}>
				<Text bold={look.running}>{step.title}</Text>
			</Box>
			<Box flexShrink={0} marginLeft={1}>
				<Text color={look.color}>{look.label}</Text>
			</Box>
			<StepTime step={step} running={look.running} />
			{detail ? (
				<Box marginLeft={1} flexGrow={1} flexShrink={1}>
					<Text color={theme.muted} wrap={wrapDetail ? 'wrap' : 'truncate-end'}>
						{detail}
					</Text>
				</Box>
			) : undefined}
		</Box>
	);
}

/** The final duration of an ended step, or the live elapsed time of a running one. */
function StepTime({step, running}: {readonly step: StepView; readonly running: boolean}) {
	if (step.durationMs !== undefined) {
		return (
			<Box flexShrink={0} marginLeft={1}>
				<Text color={theme.muted}>{formatDuration(step.durationMs)}</Text>
			</Box>
		);
	}
	if (running && step.startedAt !== undefined) {
		return (
			<Box flexShrink={0} marginLeft={1}>
				<Elapsed since={step.startedAt} />
			</Box>
		);
	}
	return null;
}
