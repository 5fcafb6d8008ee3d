import type {Key} from 'ink';
import {describe, expect, it} from 'vitest';
import {enterAfterKeyMs, KeyRouter, type KeyHandler} from '../../../source/ui/store/key-router.js';

const plain = {return: false} as Key;
const enter = {return: true} as Key;

function recorder(router: KeyRouter, releaseOnEnter = false) {
	const seen: string[] = [];
	const handler: KeyHandler = (input, key) => {
		seen.push(key.return ? '⏎' : input);
		if (key.return && releaseOnEnter) {
			router.release(handler);
		}
	};
	return {seen, handler};
}

describe('KeyRouter', () => {
	it('gives keys to the owner, and queues them while there is none', () => {
		const router = new KeyRouter();
		const first = recorder(router);
		const detach = router.attach(first.handler, true);
		router.dispatch('a', plain);
		detach();
		router.dispatch('b', plain);
		const second = recorder(router);
		router.attach(second.handler, true);
		expect(first.seen).toEqual(['a']);
		expect(second.seen).toEqual(['b']);
	});

	it('replays typed-ahead keys in order, and what is left after an answer waits for the next owner', () => {
		const router = new KeyRouter();
		for (const input of ['x', '\r', 'y', '\r']) {
			router.dispatch(input, input === '\r' ? enter : plain);
		}
		const first = recorder(router, true);
		router.attach(first.handler, true);
		const second = recorder(router, true);
		router.attach(second.handler, true);
		expect(first.seen).toEqual(['x', '⏎']);
		expect(second.seen).toEqual(['y', '⏎']);
	});

	it('drops keys typed long before, and gives none to an owner that takes no replay', () => {
		let now = 0;
		const router = new KeyRouter(() => now);
		router.dispatch('old', plain);
		now = 10_000;
		router.dispatch('new', plain);
		const plan = recorder(router);
		router.attach(plan.handler, false);
		router.release(plan.handler);
		const question = recorder(router);
		router.attach(question.handler, true);
		expect(plan.seen).toEqual([]);
		expect(question.seen).toEqual([]);
		router.dispatch('late', plain);
		expect(question.seen).toEqual(['late']);
	});

	it('lets go only of its own owner', () => {
		const router = new KeyRouter();
		const first = recorder(router);
		const second = recorder(router);
		router.attach(first.handler, true);
		router.attach(second.handler, true);
		router.release(first.handler);
		router.dispatch('k', plain);
		expect(second.seen).toEqual(['k']);
		expect(first.seen).toEqual([]);
	});

	describe('an Enter right after a one-key answer (y⏎ at a yes/no question) belongs to that answer', () => {
		function answeredWithY(now: () => number) {
			const router = new KeyRouter(now);
			const confirm: KeyHandler = input => {
				if (input === 'y') {
					router.release(confirm, {answeredByKey: true});
				}
			};
			router.attach(confirm, true);
			router.dispatch('y', plain);
			return router;
		}

		it('is dropped when it comes before the next question is drawn, or just after', () => {
			let now = 0;
			const router = answeredWithY(() => now);
			now = 100;
			router.dispatch('\r', enter);
			const next = recorder(router);
			router.attach(next.handler, true);
			expect(next.seen).toEqual([]);

			const drawnFirst = answeredWithY(() => now);
			const other = recorder(drawnFirst);
			drawnFirst.attach(other.handler, true);
			now += enterAfterKeyMs - 1;
			drawnFirst.dispatch('\r', enter);
			expect(other.seen).toEqual([]);
			drawnFirst.dispatch('\r', enter);
			expect(other.seen).toEqual(['⏎']);
		});

		it('answers the next question when it comes later, or after another key, or after an answer typed with Enter', () => {
			let now = 0;
			const late = answeredWithY(() => now);
			const first = recorder(late);
			late.attach(first.handler, true);
			now = enterAfterKeyMs + 1;
			late.dispatch('\r', enter);
			expect(first.seen).toEqual(['⏎']);

			const typing = answeredWithY(() => now);
			const second = recorder(typing);
			typing.attach(second.handler, true);
			typing.dispatch('a', plain);
			typing.dispatch('\r', enter);
			expect(second.seen).toEqual(['a', '⏎']);

			const router = new KeyRouter(() => now);
			const withEnter = recorder(router, true);
			router.attach(withEnter.handler, true);
			router.dispatch('\r', enter);
			const third = recorder(router);
			router.attach(third.handler, true);
			router.dispatch('\r', enter);
			expect(third.seen).toEqual(['⏎']);
		});
	});
});
