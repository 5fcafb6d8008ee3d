import {Static} from 'ink';
import {useRunSnapshot} from '../hooks/use-run-snapshot.js';
import type {KeyRouter} from '../store/key-router.js';
import type {RunStore} from '../store/run-store.js';
import {Activity} from './Activity.js';
import {Keyboard} from './Keyboard.js';
import {LiveArea} from './LiveArea.js';
import {PromptArea} from './PromptArea.js';
import {StaticLine} from './StaticLine.js';

export interface AppProps {
	/** Where the run's state comes from (fed by the renderer with engine events). */
	readonly store: RunStore;
	/** Where keys go; the renderer keeps one for the app's life. */
	readonly keys: KeyRouter;
	/** Ctrl-C. */
	readonly onInterrupt: () => void;
	/** Output lines shown under the running step. */
	readonly tailLines?: number;
}

/** The whole TUI: finished work printed once, the live run below it, and the open prompt last. */
export function App({store, keys, onInterrupt, tailLines = 8}: AppProps) {
	const snapshot = useRunSnapshot(store);
	return (
		<Keyboard router={keys} onInterrupt={onInterrupt}>
			<Static items={[...snapshot.staticItems]}>{item => <StaticLine key={item.key} item={item} />}</Static>
			<LiveArea snapshot={snapshot} tailLines={tailLines} />
			{snapshot.activity && !snapshot.prompt ? <Activity text={snapshot.activity.text} since={snapshot.activity.since} /> : undefined}
			<PromptArea prompt={snapshot.prompt} />
		</Keyboard>
	);
}
