/** The engine's fact gatherer over the run's SSH session: every asked step's declared facts in one round trip. */
import type {GatherSteps} from '../../engine/fact-batch.js';
import {labShell} from '../lab-session.js';
import {gatherSets} from './gather.js';

export const gatherStepFacts: GatherSteps = async (ctx, steps) => {
	const shell = await labShell(ctx);
	const input = {config: ctx.config, target: shell.session.target};
	return gatherSets(shell, new Map(steps.flatMap(step => (step.facts ? [[step.id, step.facts(input)] as const] : []))), {
		signal: ctx.signal,
	});
};
