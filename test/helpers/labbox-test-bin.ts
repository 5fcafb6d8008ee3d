// labbox with test steps instead of the lab's, for tests that run it as a real process (under tsx).
// TEST_LAB_BUILT=1 runs the built CLI (dist/), as users get it; otherwise the sources.
import {stepsFromEnv} from './test-steps.js';

const built = '../../dist/source/cli/main.js';
const {main} = (process.env.TEST_LAB_BUILT === '1' ? await import(built) : await import('../../source/cli/main.js')) as typeof import('../../source/cli/main.js');
process.exitCode = await main(process.argv.slice(2), {steps: stepsFromEnv(process.env)});
