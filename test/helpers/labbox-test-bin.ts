// The built labbox (dist/), with test steps instead of the lab's: for tests that run it as a real process.
import {main} from '../../dist/source/cli/main.js';
import {stepsFromEnv} from './test-steps.js';

process.exitCode = await main(process.argv.slice(2), {steps: stepsFromEnv(process.env)});
