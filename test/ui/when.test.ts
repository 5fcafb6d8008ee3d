import {describe, expect, it} from 'vitest';
import {whenInWords} from '../../source/ui/when.js';

describe('a recorded time in words', () => {
	const now = new Date(2026, 10, 27, 9, 30);
	it.each([
		[new Date(2026, 10, 27, 9, 29, 40), 'just now'],
		[new Date(2026, 10, 27, 9, 29), '1 minute ago'],
		[new Date(2026, 10, 27, 9, 18), '12 minutes ago'],
		[new Date(2026, 10, 27, 7, 1), 'today at 07:01'],
		[new Date(2026, 10, 26, 18, 40), 'yesterday at 18:40'],
		[new Date(2026, 10, 3, 9, 15), 'on 3 Nov at 09:15'],
		[new Date(2025, 0, 9, 23, 5), 'on 9 Jan 2025 at 23:05'],
	])('%s', (then, words) => {
		expect(whenInWords(then.toISOString(), now)).toBe(words);
	});

	it('keeps what it cannot read', () => {
		expect(whenInWords('yesterday-ish', now)).toBe('yesterday-ish');
	});
});
