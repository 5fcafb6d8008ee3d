// Progress goes to stderr so `npm run world -- server X` can print clean JSON on stdout.
export function say(message: string): void {
	process.stderr.write(`[world] ${message}\n`);
}

/** Runs one part of the world and prints how long it took (the timings the issue asks for). */
export async function timed<T>(part: string, work: () => Promise<T>): Promise<T> {
	const started = Date.now();
	say(`${part}...`);
	try {
		const result = await work();
		say(`${part}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
		return result;
	} catch (error) {
		say(`${part}: FAILED after ${((Date.now() - started) / 1000).toFixed(1)} s`);
		throw error;
	}
}
