import type {Key} from 'ink';
import {useRef, useState} from 'react';
import {useKeys} from './use-keys.js';

/** The text being edited and where the cursor is. */
export interface TextFieldState {
	readonly value: string;
	readonly cursor: number;
}

/**
 * Line editing for one text field: printable keys insert at the cursor, Backspace/Delete remove, arrows and
 * Ctrl-A/Ctrl-E move, Ctrl-U clears, Enter submits, Esc or ↑ go back (`onBack`). The state lives in a ref updated inside the key handler,
 * so keys arriving faster than React re-renders are never lost (ink-text-input computes from the last render).
 */
export function useTextField(
	initial: string,
	onChange: (value: string) => void,
	onSubmit: (value: string) => boolean,
	onBack?: () => void,
): TextFieldState {
	const state = useRef<TextFieldState>({value: initial, cursor: initial.length});
	const [shown, setShown] = useState(state.current);
	useKeys((input, key, release) => {
		if (onBack && (key.escape || key.upArrow)) {
			release();
			onBack(); // issue 10 item 17: the wizard asks the previous question again
			return;
		}
		// Typed ahead (a slow link, tmux send-keys) or pasted, text and Enter can come as one chunk: type, then submit.
		const newline = key.return ? 0 : input.search(/[\r\n]/);
		const typed = newline === -1 ? input : input.slice(0, newline);
		// Several Backspaces in one chunk (a held key, a slow link) arrive as one string of DEL or BS bytes, which
		// Ink reports as text: each one erases (issue 10 item 14).
		const next = /^[\u007F\b]{2,}$/.test(typed)
			? [...typed].reduce(state => edit(state, '', {...key, backspace: true}), state.current)
			: edit(state.current, typed, key);
		if (next !== state.current) {
			const changed = next.value !== state.current.value;
			state.current = next;
			setShown(next);
			if (changed) {
				onChange(next.value);
			}
		}
		if (newline !== -1 && onSubmit(state.current.value)) {
			release();
		}
	}, true);
	return shown;
}

function edit({value, cursor}: TextFieldState, input: string, key: Key): TextFieldState {
	if (key.leftArrow || key.rightArrow) {
		return {value, cursor: Math.min(value.length, Math.max(0, cursor + (key.leftArrow ? -1 : 1)))};
	}
	if (key.ctrl && (input === 'a' || input === 'e')) {
		return {value, cursor: input === 'a' ? 0 : value.length};
	}
	if (key.ctrl && input === 'u') {
		return {value: '', cursor: 0};
	}
	if (key.backspace || key.delete) {
		// Terminals send DEL (0x7f) for Backspace, which Ink reports as `delete`: both erase before the cursor.
		return cursor === 0 ? {value, cursor} : {value: value.slice(0, cursor - 1) + value.slice(cursor), cursor: cursor - 1};
	}
	if (key.ctrl || key.meta || key.escape || key.tab || key.upArrow || key.downArrow || key.return || input === '') {
		return {value, cursor};
	}
	// eslint-disable-next-line no-control-regex
	const typed = input.replace(/[\u0000-\u001F\u007F]/g, '');
	return typed ? {value: value.slice(0, cursor) + typed + value.slice(cursor), cursor: cursor + typed.length} : {value, cursor};
}
