/** What the stack is made from: the configuration, the server's size, the secret, the login CA file. */
import {readFile} from 'node:fs/promises';
import {labFile} from '../../source/engine/paths.js';
import {StepError, type StepContext} from '../../source/engine/types.js';
import {gatherFacts} from '../../source/remote/facts/gather.js';
import {cpus, memory} from '../../source/remote/facts/hardware.js';
import type {RemoteShell} from '../../source/remote/remote-shell.js';
import {labFiles, type LabFile} from '../../source/templates/lab-files.js';
import {imageSettings, labSettings, type SizeFacts} from '../../source/templates/settings.js';

/** The connect step's facts when it ran in this run, else read now (the limits' defaults depend on them). */
async function sizeFacts(ctx: StepContext, shell: RemoteShell): Promise<SizeFacts> {
	const shared = ctx.shared.get('facts') as SizeFacts | undefined;
	if (shared?.cpus !== undefined && shared.memory !== undefined) {
		return shared;
	}
	return gatherFacts(shell, {cpus, memory}, {signal: ctx.signal});
}

async function loginCa(labDir: string, file: unknown): Promise<string | undefined> {
	if (file === undefined) {
		return undefined;
	}
	const resolved = labFile(labDir, String(file));
	try {
		return await readFile(resolved, 'utf8');
	} catch (error) {
		throw new StepError(`Cannot read auth.caFile ${resolved}: ${(error as Error).message}`, 'Set auth.caFile in lab.yaml to the PEM file of the CA your login provider uses, or remove it.');
	}
}

/** Every file of the lab, rendered from this run's configuration. */
export async function renderLab(ctx: StepContext, shell: RemoteShell): Promise<LabFile[]> {
	const {config} = ctx;
	return labFiles({
		settings: labSettings(config, await sizeFacts(ctx, shell)),
		secrets: {clientSecret: String(config['auth.clientSecret'] ?? ''), ...(config['auth.type'] === 'local' ? {adminPassword: String(config['auth.adminPassword'])} : {})},
		images: imageSettings(config),
		loginCa: await loginCa(ctx.labDir, config['auth.caFile']),
	});
}
