import {inkTerminals, plan} from '../support/ink-terminal.js';
import {describe, expect, it} from 'vitest';
import {question} from '../support/events.js';
import {keys, tick, waitFor} from '../support/frames.js';

const mount = inkTerminals();

describe('the Ink renderer asks', () => {
	it('shows the plan and starts on Enter', async () => {
		const {stdout, stdin, renderer} = mount();
		const started = renderer.confirmPlan(plan);
		await waitFor(
			() => stdout.text(),
			text => text.includes('Enter to start'),
		);
		expect(stdout.text()).toContain('+ install docker.io with password ***');
		stdin.write(keys.enter);
		await expect(started).resolves.toBe(true);
		await waitFor(
			() => stdout.text(),
			text => text.includes('Plan accepted: 1 of 2 steps to change.'),
		);
	});

	it('cancels the plan on q', async () => {
		const {stdout, stdin, renderer} = mount();
		const started = renderer.confirmPlan(plan);
		await waitFor(
			() => stdout.text(),
			text => text.includes('Enter to start'),
		);
		stdin.write('q');
		await expect(started).resolves.toBe(false);
	});

	it('asks a question, keeps the answer on screen, and hides a secret', async () => {
		const {stdout, stdin, renderer} = mount();
		const answer = renderer.ask(question({kind: 'secret'}));
		await waitFor(
			() => stdout.text(),
			text => text.includes('? Admin password'),
		);
		for (const key of ['hunter22', '!', keys.enter]) {
			stdin.write(key);
			await tick(5);
		}
		await expect(answer).resolves.toBe('hunter22!');
		await waitFor(
			() => stdout.text(),
			text => text.includes('✔ Admin password (hidden)'),
		);
		expect(stdout.text()).not.toContain('hunter22');
	});

	it("echoes an answer as it is kept: a pasted URL as the lab's name (issue 10 item 16)", async () => {
		const {stdout, stdin, renderer} = mount();
		const answer = renderer.ask(question({message: "The lab's DNS name", kept: input => input.replaceAll(/^https:\/\/|\/$/g, '')}));
		await waitFor(
			() => stdout.text(),
			text => text.includes("? The lab's DNS name"),
		);
		stdin.write('https://lab.example.org/\r');
		await expect(answer).resolves.toBe('https://lab.example.org/');
		await waitFor(
			() => stdout.text(),
			text => text.includes("✔ The lab's DNS name lab.example.org"),
		);
	});

	it('gives answers typed ahead to the next question, but never starts the plan with them', async () => {
		const {stdout, stdin, renderer} = mount();
		const first = renderer.ask(question({key: 'server.host', message: 'Server address'}));
		await waitFor(
			() => stdout.text(),
			text => text.includes('? Server address'),
		);
		stdin.write('lab.example.org\r');
		stdin.write('grace-hopper');
		stdin.write(keys.enter);
		stdin.write(keys.enter);
		await expect(first).resolves.toBe('lab.example.org');
		await expect(renderer.ask(question({message: 'Admin name'}))).resolves.toBe('grace-hopper');
		const started = renderer.confirmPlan(plan);
		await waitFor(
			() => stdout.text(),
			text => text.includes('Enter to start'),
		);
		await tick(50);
		expect(stdout.text()).not.toContain('Plan accepted');
		stdin.write(keys.enter);
		await expect(started).resolves.toBe(true);
	});

	it('hands Ctrl-C to onInterrupt and cancels an open question', async () => {
		const {stdout, stdin, renderer, onInterrupt} = mount();
		const answer = renderer.ask(question());
		await waitFor(
			() => stdout.text(),
			text => text.includes('? Admin password'),
		);
		stdin.write(keys.ctrlC);
		await expect(answer).rejects.toThrow('Cancelled: interrupted.');
		expect(onInterrupt).toHaveBeenCalledTimes(1);
	});

	it('cannot ask without a terminal on stdin, but still shows the plan and goes on', async () => {
		const {stdout, renderer} = mount({stdinIsTTY: false});
		await expect(renderer.ask(question())).rejects.toThrow('set `auth.password` in lab.yaml');
		await expect(renderer.confirmPlan(plan)).resolves.toBe(true);
		await renderer.close();
		expect(stdout.text()).toContain('Install Docker: install docker.io with password ***');
	});
});
