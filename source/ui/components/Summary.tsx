import {Box, Text} from 'ink';
import type {RunEnd, StepView} from '../store/types.js';
import {theme} from '../theme.js';
import {formatDuration} from '../text.js';
import {Wrapped} from './Wrapped.js';

export interface SummaryProps {
	/** The run-end event. */
	readonly end: RunEnd;
	/** All steps, in order, as they ended. */
	readonly steps: readonly StepView[];
	/** Writes each `labbox …` command as the user started labbox (RendererOptions.hints). */
	readonly hints?: (text: string) => string;
}

const asIs = (text: string) => text;

/** The last words of a run: what changed, the URL and next steps; or how to resume; or where it stopped. */
export function Summary({end, steps, hints = asIs}: SummaryProps) {
	const total = end.outcomes.reduce((sum, outcome) => sum + outcome.durationMs, 0);
	const count = (result: string) => steps.filter(step => step.phase === result).length;
	const counts = `${count('changed')} changed, ${count('ok')} already done, ${count('failed')} failed, ${count('skipped')} skipped`;
	switch (end.outcome) {
		case 'done': {
			const changed = steps.filter(step => step.phase === 'changed');
			return (
				<Box flexDirection="column" marginTop={1}>
					<Text color={theme.success} bold>
						✔ Done in {formatDuration(total)}: {counts}
					</Text>
					{changed.map(step => (
						<Wrapped
							key={step.id}
							indent="    "
							segments={[{text: `  • ${step.title}`}, ...(step.detail ? [{text: `: ${step.detail}`, color: theme.muted}] : [])]}
						/>
					))}
					{changed.length === 0 ? <Text color={theme.muted}>{'  '}Nothing changed: everything was already in place.</Text> : undefined}
					{end.url ? (
						<Text>
							Your lab:{' '}
							<Text color={theme.highlight} bold>
								{end.url}
							</Text>
						</Text>
					) : undefined}
					{end.url && end.untrusted ? (
						<Box flexDirection="column">
							<Text color={theme.warning}>⚠ Browsers will warn before opening it: {end.untrusted.why}.</Text>
							<Text>{hints(`  For a trusted certificate: ${end.untrusted.fix}`)}</Text>
						</Box>
					) : undefined}
					<Wrapped
						segments={[
							{
								text: hints(
									`Next: ${end.url ? 'open the URL and log in; ' : ''}\`labbox status\` shows the lab's health; \`labbox run STEP\` re-runs a step.`,
								),
								color: theme.muted,
							},
						]}
					/>
					{end.logPath ? <Text color={theme.muted}>Log: {end.logPath}</Text> : undefined}
				</Box>
			);
		}
		case 'failed': {
			return (
				<Box marginTop={1}>
					<Text color={theme.error} bold>
						✖ Stopped: {counts}.
					</Text>
				</Box>
			);
		}
		case 'interrupted': {
			const where = steps.find(step => step.phase === 'interrupted');
			return (
				<Box flexDirection="column" marginTop={1}>
					<Text color={theme.warning} bold>
						⚠ Interrupted{where ? ` during ${where.title}` : ''}. What was done is recorded.
					</Text>
					<Text>
						Resume with:{' '}
						<Text color={theme.accent} bold>
							{end.retry ?? hints('`labbox --resume`').replaceAll('`', '')}
						</Text>
					</Text>
					{end.logPath ? <Text color={theme.muted}>Log: {end.logPath}</Text> : undefined}
				</Box>
			);
		}
		default: {
			const unknown: never = end.outcome;
			throw new Error(`Unknown run outcome: ${String(unknown)}`);
		}
	}
}
