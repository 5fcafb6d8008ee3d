import {Static} from 'ink';
import {useInterrupt} from '../hooks/use-interrupt.js';
import {useRunSnapshot} from '../hooks/use-run-snapshot.js';
import type {RunStore} from '../store/run-store.js';
import {LiveArea} from './LiveArea.js';
import {PromptArea} from './PromptArea.js';
import {StaticLine} from './StaticLine.js';

export interface AppProps {
	/** Where the run's state comes from (fed by the renderer with engine events). */
	readonly store: RunStore;
	/** Ctrl-C. */
	readonly onInterrupt: () => void;
	/** Output lines shown under the running step. */
	readonly tailLines?: number;
}

/** The whole TUI: finished work printed once, the live run below it, and the open prompt last. */
export function App({store, onInterrupt, tailLines = 8}: AppProps) {
	const snapshot = useRunSnapshot(store);
	useInterrupt(onInterrupt);
	return (
		<>
			<Static items={[...snapshot.staticItems]}>{item => <StaticLine key={item.key} item={item} />}</Static>
			<LiveArea snapshot={snapshot} tailLines={tailLines} />
			<PromptArea prompt={snapshot.prompt} />
		</>
	);
}
