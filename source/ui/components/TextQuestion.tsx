import {Box, Text} from 'ink';
import type {Question} from '../../config/question.js';
import {useTextField} from '../hooks/use-text-field.js';
import {useValidatedAnswer} from '../hooks/use-validated-answer.js';
import {theme} from '../theme.js';
import {ValidationError} from './ValidationError.js';

export interface TextQuestionProps {
	/** A `text` or `secret` question (a secret is shown as one `*` per character). */
	readonly question: Question;
	/** Called with a valid answer on Enter. */
	readonly onAnswer: (value: string) => void;
}

/**
 * A one-line text input. The default is a placeholder that the first key replaces and Enter on an empty line
 * takes (issue 10 item 15: typing 2222 at `› 22` gave 222222); the answer is checked on Enter, not as typed.
 */
export function TextQuestion({question, onAnswer}: TextQuestionProps) {
	const placeholder = question.defaultValue ?? '';
	const answer = useValidatedAnswer(question, '', onAnswer);
	const {value, cursor} = useTextField('', answer.change, typed => answer.submit(typed === '' ? placeholder : typed));
	const shown = question.kind === 'secret' ? '*'.repeat(value.length) : value;
	return (
		<Box flexDirection="column">
			<Text>
				<Text color={theme.accent}>› </Text>
				{shown.slice(0, cursor)}
				<Text inverse>{shown[cursor] ?? (shown === '' && placeholder ? placeholder[0] : ' ')}</Text>
				{shown === '' && placeholder ? <Text color={theme.muted}>{placeholder.slice(1)}</Text> : shown.slice(cursor + 1)}
			</Text>
			<ValidationError error={answer.error} />
		</Box>
	);
}
