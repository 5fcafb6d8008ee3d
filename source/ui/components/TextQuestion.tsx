import {Box, Text} from 'ink';
import TextInput from 'ink-text-input';
import type {Question} from '../../config/question.js';
import {useValidatedAnswer} from '../hooks/use-validated-answer.js';
import {theme} from '../theme.js';
import {ValidationError} from './ValidationError.js';

export interface TextQuestionProps {
	/** A `text` or `secret` question (a secret is masked with `*`). */
	readonly question: Question;
	/** Called with a valid answer on Enter. */
	readonly onAnswer: (value: string) => void;
}

/** A one-line text input, pre-filled with the default, validated as it is typed. */
export function TextQuestion({question, onAnswer}: TextQuestionProps) {
	const answer = useValidatedAnswer(question, question.defaultValue ?? '', onAnswer);
	return (
		<Box flexDirection="column">
			<Box>
				<Text color={theme.accent}>› </Text>
				<TextInput
					value={answer.value}
					mask={question.kind === 'secret' ? '*' : undefined}
					onChange={answer.change}
					onSubmit={answer.submit}
				/>
			</Box>
			<ValidationError error={answer.error} />
		</Box>
	);
}
