import {useState} from 'react';
import type {Question} from '../../config/question.js';

export interface ValidatedAnswer {
	readonly value: string;
	/** The validation error to show now (only once the user typed or tried to submit). */
	readonly error: string | undefined;
	readonly change: (value: string) => void;
	/** Answers when valid (and says so); otherwise shows the error and refuses. */
	readonly submit: (value?: string) => boolean;
}

/** The answer being typed for one question, validated on every change with `question.validate`. */
export function useValidatedAnswer(question: Question, initial: string, onAnswer: (value: string) => void): ValidatedAnswer {
	const [value, setValue] = useState(initial);
	const [touched, setTouched] = useState(false);
	const error = question.validate(value);
	return {
		value,
		error: touched ? error : undefined,
		change(next) {
			setValue(next);
			setTouched(true);
		},
		submit(submitted = value) {
			const problem = question.validate(submitted);
			setValue(submitted);
			setTouched(true);
			if (problem !== undefined) {
				return false;
			}
			onAnswer(submitted);
			return true;
		},
	};
}
