/** What the stack is made from: the configuration, the server's size, the secret, the login CA file. */
import {readFile} from 'node:fs/promises';
import {labFile} from '../../source/engine/paths.js';
import {StepError, type StepContext} from '../../source/engine/types.js';
import {labFiles, type LabFile} from '../../source/templates/lab-files.js';
import {imageSettings, labSettings, type SizeFacts} from '../../source/templates/settings.js';

async function loginCa(labDir: string, file: unknown): Promise<string | undefined> {
	if (file === undefined) {
		return undefined;
	}
	const resolved = labFile(labDir, String(file));
	try {
		return await readFile(resolved, 'utf8');
	} catch (error) {
		throw new StepError(
			`Cannot read auth.caFile ${resolved}: ${(error as Error).message}`,
			'Set auth.caFile in lab.yaml to the PEM file of the CA your login provider uses, or remove it.',
		);
	}
}

/** Every file of the lab, rendered from this run's configuration and the server's size (the limits' defaults). */
export async function renderLab(ctx: Pick<StepContext, 'config' | 'labDir'>, size: SizeFacts): Promise<LabFile[]> {
	const {config} = ctx;
	return labFiles({
		settings: labSettings(config, size),
		secrets: {
			clientSecret: String(config['auth.clientSecret'] ?? ''),
			...(config['auth.type'] === 'local' ? {adminPassword: String(config['auth.adminPassword'])} : {}),
		},
		images: imageSettings(config),
		loginCa: await loginCa(ctx.labDir, config['auth.caFile']),
	});
}
