/** One question the wizard asks, made from the config schema (source/config/schema.ts); the UI only shows it. */
export interface Question {
	/** The lab.yaml key the answer is stored under, e.g. `server.host`. */
	readonly key: string;
	/** The question, one line. */
	readonly message: string;
	/** A longer explanation shown under the question (may be several lines). */
	readonly help?: string;
	readonly kind: 'text' | 'secret' | 'select' | 'confirm';
	/** For `select`: the choices, in order. */
	readonly choices?: ReadonlyArray<{readonly label: string; readonly value: string}>;
	/** Pre-filled answer (Enter accepts it). */
	readonly defaultValue?: string;
	/** An earlier question of this wizard can be asked again (Esc), issue 10 item 17. */
	readonly canGoBack?: boolean;
	/** The answer as it is kept, to echo it: a pasted `https://lab.example.org/` is lab.example.org, `@carol` carol. */
	readonly kept?: (input: string) => string;
	/** Checks one typed answer: returns an error message naming the problem and the fix, or undefined. */
	validate(input: string): string | undefined;
}

/** The wizard's answers, by key, as typed (strings); the schema parses them. */
export type Answers = Record<string, string>;

/** What `ask` rejects with when the user goes back (Esc): the wizard asks the previous question again. */
export class GoBack extends Error {
	constructor() {
		super('Back to the previous question.');
		this.name = 'GoBack';
	}
}
