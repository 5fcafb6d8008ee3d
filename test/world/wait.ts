import {setTimeout as sleep} from 'node:timers/promises';

export interface WaitOptions {
	timeoutMs?: number;
	intervalMs?: number;
}

/**
 * Polls `probe` until it returns a value other than undefined/false. Bounded in both time and
 * count (timeout / interval), and the last error is reported, so a world that never gets ready
 * fails loudly instead of hanging.
 */
export async function waitFor<T>(
	what: string,
	probe: () => Promise<T | undefined | false>,
	{timeoutMs = 60_000, intervalMs = 250}: WaitOptions = {},
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	const maxTries = Math.ceil(timeoutMs / intervalMs) + 1;
	let lastError: unknown;
	for (let attempt = 0; attempt < maxTries && Date.now() <= deadline; attempt++) {
		try {
			const value = await probe();
			if (value !== undefined && value !== false) return value;
		} catch (error) {
			lastError = error;
		}
		await sleep(intervalMs);
	}
	const cause = lastError instanceof Error ? `: ${lastError.message}` : '';
	throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${cause}`);
}
