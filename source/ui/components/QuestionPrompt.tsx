import {Box, Text} from 'ink';
import type {Question} from '../../config/question.js';
import {theme} from '../theme.js';
import {ConfirmQuestion} from './ConfirmQuestion.js';
import {SelectQuestion} from './SelectQuestion.js';
import {TextQuestion} from './TextQuestion.js';

export interface QuestionPromptProps {
	/** The wizard question to ask. */
	readonly question: Question;
	/** Called once with a valid answer. */
	readonly onAnswer: (value: string) => void;
}

/** One wizard question: the message, its help, and the input its kind needs. */
export function QuestionPrompt({question, onAnswer}: QuestionPromptProps) {
	return (
		<Box flexDirection="column" marginTop={1}>
			<Text bold>
				<Text color={theme.accent}>? </Text>
				{question.message}
			</Text>
			{question.help ? <Text color={theme.muted}>{question.help}</Text> : undefined}
			<QuestionInput key={question.key} question={question} onAnswer={onAnswer} />
		</Box>
	);
}

function QuestionInput({question, onAnswer}: QuestionPromptProps) {
	switch (question.kind) {
		case 'text':
		case 'secret': {
			return <TextQuestion question={question} onAnswer={onAnswer} />;
		}
		case 'select': {
			return <SelectQuestion question={question} onAnswer={onAnswer} />;
		}
		case 'confirm': {
			return <ConfirmQuestion question={question} onAnswer={onAnswer} />;
		}
		default: {
			const unknown: never = question.kind;
			throw new Error(`Unknown question kind: ${String(unknown)}`);
		}
	}
}
