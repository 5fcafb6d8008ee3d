import {describe, expect, it} from 'vitest';
import {closest, didYouMean} from '../../../source/cli/suggest.js';

const commands = ['setup', 'run', 'resume', 'plan', 'status', 'steps'];

describe('did you mean', () => {
	it.each([
		['stauts', ['status']],
		['statsu', ['status']],
		['stpes', ['steps']],
		['resme', ['resume']],
		['pln', ['plan']],
		['logs', []],
		['x', []],
		['frobnicate', []],
	])('%s → %j', (word, expected) => {
		expect(closest(word, commands)).toEqual(expected);
	});

	it('finds a step id from a near miss, and says nothing for a far one', () => {
		const steps = ['connect', 'ssh-port', 'docker', 'dns', 'certificate', 'homes', 'images', 'stack'];
		expect(didYouMean('home', steps)).toBe(" Did you mean 'homes'?");
		expect(didYouMean('certifcate', steps)).toBe(" Did you mean 'certificate'?");
		expect(didYouMean('backup', steps)).toBe('');
	});
});
