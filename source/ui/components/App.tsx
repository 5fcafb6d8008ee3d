import {Box, Static, useStdout} from 'ink';
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
	/** Writes each `labbox …` command as the user started labbox (RendererOptions.hints). */
	readonly hints?: (text: string) => string;
}

/** The whole TUI: finished work printed once, the live run below it, and the open prompt last. */
export function App({store, keys, onInterrupt, tailLines = 8, hints}: AppProps) {
	const snapshot = useRunSnapshot(store);
	// Lines printed once are laid out at the terminal's width: Ink's <Static> has none of its own, and the
	// terminal would break a longer line mid-word.
	const width = Math.max(20, (useStdout().stdout.columns || 80) - 1);
	return (
		<Keyboard router={keys} onInterrupt={onInterrupt}>
			<Static items={[...snapshot.staticItems]}>
				{item => (
					<Box key={item.key} width={width}>
						<StaticLine item={item} hints={hints} />
					</Box>
				)}
			</Static>
			<LiveArea snapshot={snapshot} tailLines={tailLines} />
			{snapshot.activity && !snapshot.prompt ? <Activity text={snapshot.activity.text} since={snapshot.activity.since} /> : undefined}
			<PromptArea prompt={snapshot.prompt} />
		</Keyboard>
	);
}
