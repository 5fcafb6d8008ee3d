import type {PromptRequest} from '../store/types.js';
import {PlanScreen} from './PlanScreen.js';
import {QuestionPrompt} from './QuestionPrompt.js';

export interface PromptAreaProps {
	/** What the user is asked now, if anything. */
	readonly prompt: PromptRequest | undefined;
}

/** The plan screen or the open wizard question, below the run. */
export function PromptArea({prompt}: PromptAreaProps) {
	switch (prompt?.kind) {
		case undefined: {
			return null;
		}
		case 'plan': {
			return <PlanScreen items={prompt.items} onAnswer={prompt.answer} />;
		}
		case 'question': {
			return <QuestionPrompt question={prompt.question} onAnswer={prompt.answer} onBack={prompt.back} />;
		}
		default: {
			const unknown: never = prompt;
			throw new Error(`Unknown prompt: ${JSON.stringify(unknown)}`);
		}
	}
}
