/** How each step phase looks, for every renderer: one exhaustive switch (gemini-cli ChecklistItem). */
import type {StepPhase} from '../engine/types.js';
import {theme, type ThemeColor} from './theme.js';

export interface PhaseLook {
	/** One character; the Ink renderer replaces it with a spinner while `running`. */
	readonly icon: string;
	readonly label: string;
	readonly color: ThemeColor;
	/** Checking, applying or verifying: the step is working now. */
	readonly running: boolean;
}

export function describePhase(phase: StepPhase): PhaseLook {
	switch (phase) {
		case 'pending': {
			return {icon: '○', label: 'pending', color: theme.muted, running: false};
		}
		case 'checking':
		case 'applying':
		case 'verifying': {
			return {icon: '▸', label: phase, color: theme.accent, running: true};
		}
		case 'ok': {
			return {icon: '✔', label: 'already done', color: theme.success, running: false};
		}
		case 'changed': {
			return {icon: '✔', label: 'changed', color: theme.success, running: false};
		}
		case 'failed': {
			return {icon: '✖', label: 'failed', color: theme.error, running: false};
		}
		case 'skipped': {
			return {icon: '–', label: 'skipped', color: theme.muted, running: false};
		}
		case 'interrupted': {
			return {icon: '⚠', label: 'interrupted', color: theme.warning, running: false};
		}
		default: {
			const unknown: never = phase;
			throw new Error(`Unknown step phase: ${String(unknown)}`);
		}
	}
}
