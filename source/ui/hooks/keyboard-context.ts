import {createContext} from 'react';
import type {KeyRouter} from '../store/key-router.js';

/** The app's key router (see components/Keyboard.tsx); undefined when a component is drawn on its own. */
export const KeyboardContext = createContext<KeyRouter | undefined>(undefined);
