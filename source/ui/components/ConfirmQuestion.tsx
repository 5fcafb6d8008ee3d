import {Box, Text, useInput} from 'ink';
import type {Question} from '../../config/question.js';
import {useInteractive} from '../hooks/use-interactive.js';
import {useValidatedAnswer} from '../hooks/use-validated-answer.js';
import {theme} from '../theme.js';
import {ValidationError} from './ValidationError.js';

export interface ConfirmQuestionProps {
	/** A `confirm` question; its default (`true`/`yes`/`y`/`1`/`on` mean yes) is taken on Enter. */
	readonly question: Question;
	/** Called with `true` or `false`. */
	readonly onAnswer: (value: string) => void;
}

const yesWords = new Set(['true', 'yes', 'y', '1', 'on']);

/** Yes or no: `y` / `n` answer at once, Enter takes the default. */
export function ConfirmQuestion({question, onAnswer}: ConfirmQuestionProps) {
	const interactive = useInteractive();
	const defaultYes = yesWords.has((question.defaultValue ?? '').toLowerCase());
	const answer = useValidatedAnswer(question, String(defaultYes), onAnswer);
	useInput(
		(input, key) => {
			if (key.return) {
				answer.submit();
			} else if (input.toLowerCase() === 'y') {
				answer.submit('true');
			} else if (input.toLowerCase() === 'n') {
				answer.submit('false');
			}
		},
		{isActive: interactive},
	);
	return (
		<Box flexDirection="column">
			<Text>
				<Text color={theme.accent}>› </Text>
				{defaultYes ? 'Y/n' : 'y/N'}
			</Text>
			<ValidationError error={answer.error} />
		</Box>
	);
}
