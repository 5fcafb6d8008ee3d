import type {Step} from '../source/engine/types.js';

/** The lab's steps, in the order they run (shared/DESIGN.md "Steps, in order"). */
export const steps: readonly Step[] = [];
