/**
 * Semantic colours of the TUI: components name what a colour means, never the colour itself,
 * so a palette change (or a colour-blind theme) is one edit here.
 */
export const theme = {
	/** The running step, spinners, keys the user can press. */
	accent: 'cyan',
	/** A step that ended well (already so, or changed and verified). */
	success: 'green',
	/** Something that needs attention but is not an error (interrupted, inputs changed, hints). */
	warning: 'yellow',
	/** A failed or blocked step, validation errors. */
	error: 'red',
	/** Secondary text: details, output lines, pending and skipped steps. */
	muted: 'gray',
	/** What a step will change, and the lab's URL. */
	highlight: 'blue',
} as const;

export type ThemeColor = (typeof theme)[keyof typeof theme];
