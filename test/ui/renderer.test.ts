import {describe, expect, it} from 'vitest';
import {chooseRendererKind} from '../../source/ui/renderer.js';

describe('chooseRendererKind', () => {
	it.each([
		[{isTTY: true, ci: false}, 'ink'],
		[{isTTY: true, ci: false, plain: false}, 'ink'],
		[{isTTY: true, ci: false, plain: true}, 'plain'],
		[{isTTY: false, ci: false}, 'plain'],
		[{isTTY: true, ci: true}, 'plain'],
	] as const)('%j gives %s', (options, kind) => {
		expect(chooseRendererKind(options)).toBe(kind);
	});
});
