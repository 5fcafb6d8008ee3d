import {useInput} from 'ink';
import type {ReactNode} from 'react';
import {KeyboardContext} from '../hooks/keyboard-context.js';
import {useInteractive} from '../hooks/use-interactive.js';
import type {KeyRouter} from '../store/key-router.js';

export interface KeyboardProps {
	/** Where keys go (the open question or plan), or wait for the next one. */
	readonly router: KeyRouter;
	/** Ctrl-C, which raw mode turns into a key: the CLI aborts the run. */
	readonly onInterrupt: () => void;
	readonly children?: ReactNode;
}

/**
 * The app's only reader of the keyboard (rendered with `exitOnCtrlC: false`): Ctrl-C goes to `onInterrupt`,
 * every other key to the router. Nothing is read when stdin is not a terminal.
 */
export function Keyboard({router, onInterrupt, children}: KeyboardProps) {
	useInput(
		(input, key) => {
			if (key.ctrl && input === 'c') {
				onInterrupt();
			} else {
				router.dispatch(input, key);
			}
		},
		{isActive: useInteractive()},
	);
	return <KeyboardContext.Provider value={router}>{children}</KeyboardContext.Provider>;
}
