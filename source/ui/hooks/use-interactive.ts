import {useStdin} from 'ink';

/** True when keys can be read (stdin is a terminal): `useInput` throws otherwise, so gate it with this. */
export function useInteractive(): boolean {
	return useStdin().isRawModeSupported;
}
