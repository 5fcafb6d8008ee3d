// labbox with test steps instead of the lab's, for tests that run it as a real process (under tsx).
// TEST_LAB_BUILT=1 runs the built CLI (the bundle in dist/), as users get it, and its SSH session; otherwise the sources.
import {stepsFromEnv} from './test-steps.js';

const built = process.env.TEST_LAB_BUILT === '1';
const {main} = (
	built ? await import('../../dist/labbox.js' as string) : await import('../../source/cli/main.js')
) as typeof import('../../source/cli/main.js');
const {labShell} = (
	built ? await import('../../dist/lab-session.js' as string) : await import('../../source/remote/lab-session.js')
) as typeof import('../../source/remote/lab-session.js');
process.exitCode = await main(process.argv.slice(2), {steps: stepsFromEnv(process.env, labShell)});
