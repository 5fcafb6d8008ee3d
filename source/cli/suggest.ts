/**
 * The candidates closest to a mistyped word (`stauts` → `status`, `home` → `homes`), for "did you mean"
 * hints (issue 10 item 12). Optimal string alignment distance: a swap of two neighbours counts as one edit.
 */
export function closest(word: string, candidates: readonly string[]): string[] {
	const scored = candidates.map(candidate => ({candidate, distance: editDistance(word.toLowerCase(), candidate.toLowerCase())}));
	// Within two edits, and never more than a third of the word's length or so: `x` suggests nothing.
	const limit = Math.min(2, Math.max(1, Math.floor(word.length / 3)));
	const best = Math.min(...scored.map(score => score.distance));
	return best > limit ? [] : scored.filter(score => score.distance === best).map(score => score.candidate);
}

/** `Did you mean 'status'?`, or nothing when no candidate is close. */
export function didYouMean(word: string, candidates: readonly string[]): string {
	const found = closest(word, candidates);
	return found.length === 0 ? '' : ` Did you mean ${found.map(candidate => `'${candidate}'`).join(' or ')}?`;
}

function editDistance(a: string, b: string): number {
	const d: number[][] = Array.from({length: a.length + 1}, (_row, i) =>
		Array.from({length: b.length + 1}, (_cell, j) => (i === 0 ? j : j === 0 ? i : 0)),
	);
	for (let i = 1; i <= a.length; i++) {
		for (let j = 1; j <= b.length; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
			if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
				d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
			}
		}
	}
	return d[a.length]![b.length]!;
}
