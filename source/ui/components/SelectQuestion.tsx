import {Box} from 'ink';
import SelectInput from 'ink-select-input';
import type {Question} from '../../config/question.js';
import {useValidatedAnswer} from '../hooks/use-validated-answer.js';
import {ValidationError} from './ValidationError.js';

export interface SelectQuestionProps {
	/** A `select` question: its choices, the default highlighted first. */
	readonly question: Question;
	/** Called with the chosen value on Enter, if it validates. */
	readonly onAnswer: (value: string) => void;
}

/** A list of choices: arrows move, Enter picks. */
export function SelectQuestion({question, onAnswer}: SelectQuestionProps) {
	const choices = question.choices ?? [];
	const initialIndex = Math.max(0, choices.findIndex(choice => choice.value === question.defaultValue));
	const answer = useValidatedAnswer(question, choices[initialIndex]?.value ?? '', onAnswer);
	const items = choices.map(choice => ({key: choice.value, label: choice.label, value: choice.value}));
	return (
		<Box flexDirection="column">
			<SelectInput
				items={items}
				initialIndex={initialIndex}
				onHighlight={item => {
					answer.change(item.value);
				}}
				onSelect={item => {
					answer.submit(item.value);
				}}
			/>
			<ValidationError error={answer.error} />
		</Box>
	);
}
