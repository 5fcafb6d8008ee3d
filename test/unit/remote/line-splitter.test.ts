import {expect, it} from 'vitest';
import {lastLines, LineSplitter} from '../../../source/remote/line-splitter.js';

it('emits complete lines as they come, keeps the partial one, and decodes UTF-8 split across chunks', () => {
	const lines: string[] = [];
	const splitter = new LineSplitter(line => lines.push(line));
	const bytes = Buffer.from('héllo\r\nwor');
	splitter.push(bytes.subarray(0, 2));
	splitter.push(bytes.subarray(2));
	expect(lines).toEqual(['héllo']);
	splitter.push(Buffer.from('ld\nlast'));
	expect(lines).toEqual(['héllo', 'world']);
	splitter.end();
	expect(lines).toEqual(['héllo', 'world', 'last']);
	expect(splitter.text).toBe('héllo\r\nworld\nlast');
});

it('keeps the last non-empty lines', () => {
	expect(lastLines('a\n\nb\nc\n', 2)).toEqual(['b', 'c']);
});
