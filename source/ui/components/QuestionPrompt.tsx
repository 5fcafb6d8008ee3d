import {Box, Text, useStdout} from 'ink';
import type {Question} from '../../config/question.js';
import {breakWidth, wrapLines} from '../text.js';
import {Wrapped} from './Wrapped.js';
import {theme} from '../theme.js';
import {ConfirmQuestion} from './ConfirmQuestion.js';
import {SelectQuestion} from './SelectQuestion.js';
import {TextQuestion} from './TextQuestion.js';

export interface QuestionPromptProps {
	/** The wizard question to ask. */
	readonly question: Question;
	/** Called once with a valid answer. */
	readonly onAnswer: (value: string) => void;
	/** Esc (or ↑ where ↑ does not move a choice): back to the previous question; absent at the first one. */
	readonly onBack?: () => void;
}

/** One wizard question: the message, its help, and the input its kind needs. */
export function QuestionPrompt({question, onAnswer, onBack}: QuestionPromptProps) {
	const width = breakWidth(useStdout().stdout.columns);
	return (
		<Box flexDirection="column" marginTop={1}>
			<Wrapped
				segments={[
					{text: '? ', color: theme.accent, bold: true},
					{text: question.message, bold: true},
				]}
			/>
			{question.help ? <Text color={theme.muted}>{wrapLines(question.help, width)}</Text> : undefined}
			<QuestionInput key={question.key} question={question} onAnswer={onAnswer} onBack={onBack} />
			{onBack ? <Text color={theme.muted}>Esc: back to the previous question</Text> : undefined}
		</Box>
	);
}

function QuestionInput({question, onAnswer, onBack}: QuestionPromptProps) {
	switch (question.kind) {
		case 'text':
		case 'secret': {
			return <TextQuestion question={question} onAnswer={onAnswer} onBack={onBack} />;
		}
		case 'select': {
			return <SelectQuestion question={question} onAnswer={onAnswer} onBack={onBack} />;
		}
		case 'confirm': {
			return <ConfirmQuestion question={question} onAnswer={onAnswer} onBack={onBack} />;
		}
		default: {
			const unknown: never = question.kind;
			throw new Error(`Unknown question kind: ${String(unknown)}`);
		}
	}
}
