import {useInput} from 'ink';
import {useInteractive} from './use-interactive.js';

/**
 * Ctrl-C while Ink holds the terminal in raw mode arrives as a key, not as SIGINT: hand it to the CLI, which
 * aborts the run (the engine then ends the step as interrupted). Rendered with `exitOnCtrlC: false`.
 */
export function useInterrupt(onInterrupt: () => void): void {
	const interactive = useInteractive();
	useInput(
		(input, key) => {
			if (key.ctrl && input === 'c') {
				onInterrupt();
			}
		},
		{isActive: interactive},
	);
}
