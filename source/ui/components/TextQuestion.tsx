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

/** A one-line text input, pre-filled with the default, validated as it is typed. */
export function TextQuestion({question, onAnswer}: TextQuestionProps) {
	const initial = question.defaultValue ?? '';
	const answer = useValidatedAnswer(question, initial, onAnswer);
	const {value, cursor} = useTextField(initial, answer.change, answer.submit);
	const shown = question.kind === 'secret' ? '*'.repeat(value.length) : value;
	return (
		<Box flexDirection="column">
			<Text>
				<Text color={theme.accent}>› </Text>
				{shown.slice(0, cursor)}
				<Text inverse>{shown[cursor] ?? ' '}</Text>
				{shown.slice(cursor + 1)}
			</Text>
			<ValidationError error={answer.error} />
		</Box>
	);
}
