import {useRef, useState} from 'react';
import {useKeys} from './use-keys.js';

/**
 * Keyboard for a list of choices: ↑/↓ (or k/j) move and wrap, Enter picks, Esc goes back (`onBack`). The index lives in a ref updated in
 * the key handler, so "↓ then Enter" typed faster than React re-renders picks the right item (ink-select-input
 * reads its index from the last render).
 */
export function useSelectList(
	count: number,
	initial: number,
	onMove: (index: number) => void,
	onPick: (index: number) => boolean,
	onBack?: () => void,
): number {
	const index = useRef(initial);
	const [shown, setShown] = useState(initial);
	useKeys((input, key, release) => {
		if (onBack && key.escape) {
			release();
			onBack(); // ↑ moves in the list; Esc goes back a question (issue 10 item 17)
			return;
		}
		if (key.return) {
			if (onPick(index.current)) {
				release();
			}
			return;
		}
		const step = key.upArrow || input === 'k' ? -1 : key.downArrow || input === 'j' ? 1 : 0;
		if (step === 0 || count === 0) {
			return;
		}
		index.current = (index.current + step + count) % count;
		setShown(index.current);
		onMove(index.current);
	}, true);
	return shown;
}
