import {useStdin} from 'ink';

/**
 * True when keys can be read (stdin is a terminal). `useInput` throws otherwise, so gate it with this.
 * Ink reports `stdin.isTTY` as is: undefined for a pipe, which `useInput({isActive})` would take as active.
 */
export function useInteractive(): boolean {
	return useStdin().isRawModeSupported === true;
}
