import {useInput, type Key} from 'ink';
import {useContext, useLayoutEffect, useRef} from 'react';
import type {ReleaseOptions} from '../store/key-router.js';
import {KeyboardContext} from './keyboard-context.js';
import {useInteractive} from './use-interactive.js';

/** Handles one key; calls `release()` once it has its answer, so the next keys wait for the next question. */
export type OwnedKeyHandler = (input: string, key: Key, release: (options?: ReleaseOptions) => void) => void;

/**
 * Owns the keyboard while mounted. Inside the app, keys come from the router (with the keys typed ahead when
 * `replay`); drawn on its own (tests, demos), the component reads them with Ink's `useInput`.
 */
export function useKeys(handler: OwnedKeyHandler, replay: boolean): void {
	const router = useContext(KeyboardContext);
	const latest = useRef(handler);
	latest.current = handler;
	// A layout effect: the router hands keys over in the same commit that draws the input.
	useLayoutEffect(() => {
		if (!router) {
			return undefined;
		}
		const owned = (input: string, key: Key) => {
			latest.current(input, key, release);
		};
		const release = (options?: ReleaseOptions) => {
			router.release(owned, options);
		};
		return router.attach(owned, replay);
	}, [router, replay]);
	useInput(
		(input, key) => {
			latest.current(input, key, () => {});
		},
		{isActive: useInteractive() && !router},
	);
}
