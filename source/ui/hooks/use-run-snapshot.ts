import {useSyncExternalStore} from 'react';
import type {RunStore} from '../store/run-store.js';
import type {RunSnapshot} from '../store/types.js';

/** The run as last published by the store (re-renders at most once per store interval). */
export function useRunSnapshot(store: RunStore): RunSnapshot {
	return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
}
