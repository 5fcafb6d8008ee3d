// Ink draws only the last frame when it thinks it runs under CI (is-in-ci, read once when ink is first imported):
// tests that look at live frames import this module before anything that imports ink. The CLI never picks
// Ink under CI, so this changes nothing the user can see.
const saved = {CI: process.env.CI, CONTINUOUS_INTEGRATION: process.env.CONTINUOUS_INTEGRATION};
process.env.CI = 'false';
process.env.CONTINUOUS_INTEGRATION = 'false';

/** Puts the CI variables back (after the tests of a file: ink has read them by then). */
export function restoreCiEnv(): void {
	for (const [key, value] of Object.entries(saved)) {
		if (value === undefined) {
			delete process.env[key];
		} else {
			process.env[key] = value;
		}
	}
}
