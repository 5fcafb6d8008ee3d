/** Runs the real jupyterhub_config.py with python3 on a lab's rendered files and returns what it configured. */
import {execFile} from 'node:child_process';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {labFiles} from '../../../source/templates/lab-files.js';
import {inputsFor} from './labs.js';

// A stand-in for traitlets' config: `c.Section.key = value` recorded as nested dicts, sets as sorted lists.
const probe = [
	'import json, sys',
	'class Section(dict):',
	'    def __getattr__(self, key): return self.setdefault(key, Section())',
	'    def __setattr__(self, key, value): self[key] = value',
	'c = Section()',
	'exec(open(sys.argv[1]).read(), {"get_config": lambda: c})',
	'print(json.dumps(c, default=lambda value: sorted(value) if isinstance(value, set) else repr(value)))',
].join('\n');

const configFile = path.join(import.meta.dirname, '../../../templates/jupyterhub/jupyterhub_config.py');

/**
 * The configuration the hub would get for this lab (settings.json and the .env secrets, as in the container); the
 * labbox service's token file is made in a folder of its own.
 */
export async function hubConfig(config: Record<string, unknown>): Promise<Record<string, Record<string, unknown>>> {
	const files = labFiles(inputsFor(config));
	const folder = mkdtempSync(path.join(tmpdir(), 'labbox-hub-config-'));
	const settingsFile = path.join(folder, 'settings.json');
	writeFileSync(settingsFile, files.find(file => file.path === 'jupyterhub/settings.json')!.content);
	const secrets = /^LABBOX_SECRETS=(.+)$/m.exec(files.find(file => file.path === '.env')!.content)![1]!;
	const {stdout} = await promisify(execFile)('python3', ['-c', probe, configFile], {
		env: {
			...process.env,
			PYTHONPATH: path.join(import.meta.dirname, 'python-stubs'),
			LABBOX_SETTINGS: settingsFile,
			LABBOX_SECRETS: secrets,
			LABBOX_API_TOKEN_FILE: path.join(folder, 'labbox-api-token'),
		},
		encoding: 'utf8',
		timeout: 30_000,
	});
	return JSON.parse(stdout);
}
