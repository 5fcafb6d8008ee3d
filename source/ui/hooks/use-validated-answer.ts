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

/**
 * The answer being typed for one question, checked with `question.validate` on Enter, not while typing
 * (issue 10 item 15: `me@` was red before the address was typed); typing again clears the error shown.
 */
export function useValidatedAnswer(question: Question, initial: string, onAnswer: (value: string) => void): ValidatedAnswer {
	const [value, setValue] = useState(initial);
	const [error, setError] = useState<string | undefined>(undefined);
	return {
		value,
		error,
		change(next) {
			setValue(next);
			setError(undefined);
		},
		submit(submitted = value) {
			const problem = question.validate(submitted);
			setValue(submitted);
			setError(problem);
			if (problem !== undefined) {
				return false;
			}
			onAnswer(submitted);
			return true;
		},
	};
}
