import {Box, Text} from 'ink';
import type {Question} from '../../config/question.js';
import {useSelectList} from '../hooks/use-select-list.js';
import {useValidatedAnswer} from '../hooks/use-validated-answer.js';
import {theme} from '../theme.js';
import {ValidationError} from './ValidationError.js';

export interface SelectQuestionProps {
	/** A `select` question: its choices, the default highlighted first. */
	readonly question: Question;
	/** Called with the chosen value on Enter, if it validates. */
	readonly onAnswer: (value: string) => void;
	/** Esc: back to the previous question. */
	readonly onBack?: () => void;
}

/** A list of choices: arrows move, Enter picks. */
export function SelectQuestion({question, onAnswer, onBack}: SelectQuestionProps) {
	const choices = question.choices ?? [];
	const initial = Math.max(
		0,
		choices.findIndex(choice => choice.value === question.defaultValue),
	);
	const answer = useValidatedAnswer(question, choices[initial]?.value ?? '', onAnswer);
	const value = (index: number) => choices[index]?.value ?? '';
	const selected = useSelectList(
		choices.length,
		initial,
		index => {
			answer.change(value(index));
		},
		index => answer.submit(value(index)),
		onBack,
	);
	return (
		<Box flexDirection="column">
			{choices.map((choice, index) => (
				<Text key={choice.value} color={index === selected ? theme.accent : undefined}>
					{index === selected ? '❯ ' : '  '}
					{choice.label}
				</Text>
			))}
			<ValidationError error={answer.error} />
		</Box>
	);
}
