import {cleanup, render} from 'ink-testing-library';
import {afterEach, describe, expect, it, vi} from 'vitest';
import type {Question} from '../../../source/config/question.js';
import {QuestionPrompt} from '../../../source/ui/components/QuestionPrompt.js';
import {question} from '../support/events.js';
import {keys, stripAnsi, tick, waitFor} from '../support/frames.js';

afterEach(() => {
	cleanup();
});

async function ask(q: Question) {
	const onAnswer = vi.fn<(value: string) => void>();
	const app = render(<QuestionPrompt question={q} onAnswer={onAnswer} />);
	await tick();
	const frame = () => stripAnsi(app.lastFrame() ?? '');
	/** Types keys one write at a time (as a terminal sends them) and waits for the frame to settle. */
	const type = async (...inputs: string[]) => {
		for (const input of inputs) {
			app.stdin.write(input);
			await tick(5);
		}
	};
	/** The one answer given (waits for it). */
	const answered = async () => {
		await waitFor(
			() => String(onAnswer.mock.calls.length),
			count => count === '1',
		);
		return onAnswer.mock.calls[0]![0];
	};
	return {onAnswer, frame, type, answered};
}

describe('QuestionPrompt', () => {
	it('breaks a long question between words, with no space at the start of a line (a host key question at 120 columns read "Trust" / " it?")', async () => {
		// "Trust" ends at the 100th column (ink-testing-library's width), the space after it is the 101st.
		const start = 'The server 172.18.128.2:22 is not known yet. Its host key is SHA256:';
		const message = `${start}${'x'.repeat(100 - '? '.length - start.length - '. Trust'.length)}. Trust it?`;
		const {frame} = await ask(
			question({key: 'server.hostKey', kind: 'confirm', message, defaultValue: 'false', validate: () => undefined}),
		);
		const lines = frame().split('\n');
		expect(lines.join(' ')).toContain('Trust it?');
		expect(lines.filter(line => line.startsWith(' '))).toEqual([]);
	});

	it('shows the question, its help and the pre-filled default; Enter accepts it', async () => {
		const {frame, type, answered} = await ask(
			question({message: 'Server address', help: 'A host name or IP.', defaultValue: 'lab.example.org', validate: () => undefined}),
		);
		expect(frame()).toContain('? Server address');
		expect(frame()).toContain('A host name or IP.');
		expect(frame()).toContain('› lab.example.org');
		await type(keys.enter);
		expect(await answered()).toBe('lab.example.org');
	});

	it('validates on Enter, not while typing: shows the error under the input and refuses Enter until valid (issue 10 item 15)', async () => {
		const {frame, type, onAnswer, answered} = await ask(question());
		expect(frame()).not.toContain('Too short');
		await type('a', 'b', 'c');
		await waitFor(frame, text => text.includes('› abc'));
		expect(frame()).not.toContain('Too short');
		await type(keys.enter);
		await waitFor(frame, text => text.includes('✖ Too short: use at least 8 characters.'));
		expect(onAnswer).not.toHaveBeenCalled();
		await type('defgh');
		await waitFor(frame, text => text.includes('› abcdefgh') && !text.includes('Too short'));
		await type(keys.enter);
		expect(await answered()).toBe('abcdefgh');
	});

	it('takes text and Enter arriving in one chunk (typed ahead) as typing then Enter', async () => {
		const {type, answered} = await ask(question());
		await type('long enough\r');
		expect(await answered()).toBe('long enough');
	});

	it('shows an empty required answer as an error on Enter', async () => {
		const {frame, type, onAnswer} = await ask(question());
		await type(keys.enter);
		await waitFor(frame, text => text.includes('Too short'));
		expect(onAnswer).not.toHaveBeenCalled();
	});

	it('edits at the cursor: arrows, backspace, Ctrl-U', async () => {
		const {frame, type, answered} = await ask(question({validate: () => undefined}));
		await type('lab.org', '\u001B[D', '\u001B[D', '\u001B[D', 'example.');
		await waitFor(frame, text => text.includes('› lab.example.org'));
		await type('\u0015', 'x', keys.backspace, 'ok', keys.enter);
		expect(await answered()).toBe('ok');
	});

	it('masks a secret as it is typed', async () => {
		const {frame, type, answered} = await ask(question({kind: 'secret'}));
		await type('hunter22', 'x');
		const shown = await waitFor(frame, text => text.includes('*********'));
		expect(shown).not.toContain('hunter22');
		await type(keys.backspace, keys.enter);
		expect(await answered()).toBe('hunter22');
	});

	it('selects with the arrows and Enter, starting at the default', async () => {
		const choices = [
			{label: "Let's Encrypt", value: 'acme'},
			{label: 'Self-signed', value: 'self-signed'},
			{label: 'My own certificate', value: 'own'},
		];
		const {frame, type, answered} = await ask(
			question({kind: 'select', message: 'Certificate', choices, defaultValue: 'self-signed', validate: () => undefined}),
		);
		expect(frame()).toContain('❯ Self-signed');
		await type(keys.down);
		await waitFor(frame, text => text.includes('❯ My own certificate'));
		await type(keys.up, keys.up);
		await waitFor(frame, text => text.includes("❯ Let's Encrypt"));
		await type(keys.enter);
		expect(await answered()).toBe('acme');
	});

	it('refuses a choice that does not validate', async () => {
		const choices = [
			{label: 'Anyone who can log in', value: 'anyone'},
			{label: 'Listed users', value: 'listed'},
		];
		const validate = (value: string) => (value === 'anyone' ? 'Anyone on the internet could log in: choose listed users.' : undefined);
		const {frame, type, onAnswer, answered} = await ask(question({kind: 'select', message: 'Who may log in?', choices, validate}));
		await type(keys.enter);
		await waitFor(frame, text => text.includes('✖ Anyone on the internet could log in'));
		expect(onAnswer).not.toHaveBeenCalled();
		await type(keys.down, keys.enter);
		expect(await answered()).toBe('listed');
	});

	it.each([
		['y', 'false', 'y/N', 'true'],
		['n', 'true', 'Y/n', 'false'],
		[keys.enter, 'yes', 'Y/n', 'true'],
		[keys.enter, undefined, 'y/N', 'false'],
	])('confirms with %j (default %s, shown %s) as %s', async (key, defaultValue, hint, expected) => {
		const {frame, type, answered} = await ask(
			question({kind: 'confirm', message: 'Open port 80?', defaultValue, validate: () => undefined}),
		);
		expect(frame()).toContain(`› ${hint}`);
		await type(key);
		expect(await answered()).toBe(expected);
	});

	it.each([
		['y\r', 'true'],
		['N\r', 'false'],
	])('confirms with %j arriving in one chunk (typed fast, a slow link) as %s', async (chunk, expected) => {
		const {type, answered} = await ask(question({kind: 'confirm', message: 'Open port 80?', validate: () => undefined}));
		await type(chunk);
		expect(await answered()).toBe(expected);
	});

	it('shows a default as a placeholder that the first key replaces, and takes it on Enter (issue 10 item 15)', async () => {
		const port = {
			key: 'ssh.port',
			kind: 'text',
			message: 'Move sshd to which port?',
			defaultValue: '22',
			validate: () => undefined,
		} as const;
		const first = await ask(port);
		await waitFor(first.frame, text => text.includes('› 22'));
		await first.type('2', '2', '2', '2', keys.enter);
		expect(await first.answered()).toBe('2222');
		const second = await ask(port);
		await second.type(keys.enter);
		expect(await second.answered()).toBe('22');
	});

	it('erases once per Backspace when several arrive in one chunk (issue 10 item 14)', async () => {
		const {frame, type, answered} = await ask(question());
		await type('abcdefghij');
		await waitFor(frame, text => text.includes('› abcdefghij'));
		await type('\u007F\u007F\u007F\u007F\u007F');
		await waitFor(frame, text => text.includes('› abcde') && !text.includes('abcdef'));
		await type('12345\r');
		expect(await answered()).toBe('abcde12345');
	});
});
