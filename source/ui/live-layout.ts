/**
 * How the live area fits the terminal (issue 10 item 7). Ink redraws it by erasing as many lines as it drew:
 * a live area as tall as the screen, or one line wider than it (the terminal wraps it), leaves a copy of the
 * frame's top line in the scroll-back on every redraw. So the live area is cut to the screen, never wrapped.
 */

export interface LiveLayoutInput {
	/** The terminal's height. */
	readonly rows: number;
	/** Unfinished steps to show, the running one first. */
	readonly steps: number;
	/** The running step shows a progress bar (one row). */
	readonly progress: boolean;
	/** How many output lines the user asked for (--verbose: more). */
	readonly tailLines: number;
	/** A question is open below: it needs the room the output would take. */
	readonly prompt: boolean;
}

export interface LiveLayout {
	/** Step rows drawn; when fewer than the steps, one more row says how many are left (`folded`). */
	readonly stepRows: number;
	readonly folded: boolean;
	/** Output lines of the running step (plus one row for "… N earlier lines"). */
	readonly tailRows: number;
}

/** Rows Ink needs besides the live area: its frame ends with a newline (the cursor's row), and one spare. */
const reserved = 2;

export function liveLayout({rows, steps, progress, tailLines, prompt}: LiveLayoutInput): LiveLayout {
	const room = Math.max(1, rows - reserved) - (progress ? 1 : 0);
	// The output tail's own rows: at least two lines and the "earlier lines" count, unless a question is open.
	const tailMin = prompt ? 0 : 3;
	if (steps + tailMin <= room) {
		return {stepRows: steps, folded: false, tailRows: prompt ? 0 : Math.max(0, Math.min(tailLines, room - steps - 1))};
	}
	const stepRows = Math.max(1, room - tailMin - 1);
	return {stepRows, folded: true, tailRows: prompt ? 0 : Math.max(0, Math.min(tailLines, room - stepRows - 2))};
}
