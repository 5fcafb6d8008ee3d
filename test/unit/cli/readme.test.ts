import {readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {fields} from '../../../source/config/fields.js';
import {envName, flagName} from '../../../source/config/resolve.js';
import {root} from '../../helpers/labbox-process.js';

const readme = readFileSync(path.join(root, 'README.md'), 'utf8');

describe('README', () => {
	it.each(fields.map(field => [field.key, field] as const))('documents %s with its flag and variable', (key, field) => {
		expect(readme).toContain(`| \`${key}\` |`);
		expect(readme).toContain(`\`--${flagName(field.key)}\` / \`${envName(field.key)}\``);
	});

	it('gives the same test command that .ci/run runs', () => {
		expect(readme).toContain('npm ci && npm test');
		expect(readFileSync(path.join(root, '.ci/run'), 'utf8')).toMatch(/^npm ci && npm test$/m);
	});
});
