import {Text} from 'ink';
import {theme} from '../theme.js';

export interface ValidationErrorProps {
	/** The message from `question.validate`, or undefined when the answer is valid. */
	readonly error: string | undefined;
}

/** The validation problem under an input; Enter is refused while it shows. */
export function ValidationError({error}: ValidationErrorProps) {
	return error ? <Text color={theme.error}>✖ {error}</Text> : null;
}
