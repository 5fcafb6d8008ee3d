import {Box, Text} from 'ink';
import type {Question} from '../../config/question.js';
import {useKeys} from '../hooks/use-keys.js';
import {useValidatedAnswer} from '../hooks/use-validated-answer.js';
import {theme} from '../theme.js';
import {ValidationError} from './ValidationError.js';

export interface ConfirmQuestionProps {
	/** A `confirm` question; its default (`true`/`yes`/`y`/`1`/`on` mean yes) is taken on Enter. */
	readonly question: Question;
	/** Called with `true` or `false`. */
	readonly onAnswer: (value: string) => void;
	/** Esc or ↑: back to the previous question. */
	readonly onBack?: () => void;
}

const yesWords = new Set(['true', 'yes', 'y', '1', 'on']);

/** Yes or no: `y` / `n` answer at once (an Enter right after them is theirs), Enter alone takes the default. */
export function ConfirmQuestion({question, onAnswer, onBack}: ConfirmQuestionProps) {
	const defaultYes = yesWords.has((question.defaultValue ?? '').toLowerCase());
	const answer = useValidatedAnswer(question, String(defaultYes), onAnswer);
	useKeys((input, key, release) => {
		if (onBack && (key.escape || key.upArrow)) {
			release();
			onBack();
			return;
		}
		// "y⏎" typed fast, pasted or over a slow link arrives as one chunk: the Enter belongs to the y.
		const typed = input.toLowerCase().replace(/[\r\n]+$/, '');
		const value = key.return ? answer.value : typed === 'y' ? 'true' : typed === 'n' ? 'false' : undefined;
		if (value !== undefined && answer.submit(value)) {
			// y or n alone answers at once; the Enter people type after it must not answer the next question.
			release({answeredByKey: !key.return && typed === input.toLowerCase()});
		}
	}, true);
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
