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
	/** Esc or ↑: back to the previous question. */
	readonly onBack?: () => void;
}

/**
 * A one-line text input. The default is a placeholder that the first key replaces and Enter on an empty line
 * takes (issue 10 item 15: typing 2222 at `› 22` gave 222222); the answer is checked on Enter, not as typed.
 */
export function TextQuestion({question, onAnswer, onBack}: TextQuestionProps) {
	const placeholder = question.defaultValue ?? '';
	const answer = useValidatedAnswer(question, '', onAnswer);
	const {value, cursor} = useTextField('', answer.change, typed => answer.submit(typed === '' ? placeholder : typed), onBack);
	const secret = question.kind === 'secret';
	const shown = secret ? '*'.repeat(value.length) : value;
	// A secret given before (the user went back to it) is never drawn: Enter keeps it.
	const hint = secret && placeholder ? '(Enter keeps the one given)' : placeholder;
	return (
		<Box flexDirection="column">
			<Text>
				<Text color={theme.accent}>› </Text>
				{shown.slice(0, cursor)}
				<Text inverse>{shown[cursor] ?? (shown === '' && hint ? hint[0] : ' ')}</Text>
				{shown === '' && hint ? <Text color={theme.muted}>{hint.slice(1)}</Text> : shown.slice(cursor + 1)}
			</Text>
			<ValidationError error={answer.error} />
		</Box>
	);
}
