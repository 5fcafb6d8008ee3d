// Rewrites the lab.yaml key table in README.md from the field table (source/config/fields.ts).
// Run `npm run readme:keys` after adding or changing a key; test/unit/cli/readme.test.ts checks it.
import {readFileSync, writeFileSync} from 'node:fs';
import {fields} from '../source/config/fields.js';
import {envName, flagName} from '../source/config/resolve.js';

const rows = fields.map(field => {
	const fallback =
		field.defaultValue === undefined
			? field.required
				? '*required*'
				: ''
			: Array.isArray(field.defaultValue)
				? field.defaultValue.length === 0
					? '[]'
					: field.defaultValue.join(', ')
				: String(field.defaultValue);
	const secret = field.secret ? ' (**secret**: environment or `secrets.env` only)' : '';
	return `| \`${field.key}\` | ${field.description}${secret} | ${fallback} | \`--${flagName(field.key)}\` / \`${envName(field.key)}\` |`;
});
const table = ['| key | what | default | flag / variable |', '| --- | --- | --- | --- |', ...rows].join('\n');
const file = new URL('../README.md', import.meta.url);
const readme = readFileSync(file, 'utf8');
const start = readme.indexOf('| key | what |');
const end = readme.indexOf('\n\n', start);
writeFileSync(file, readme.slice(0, start) + table + readme.slice(end));
