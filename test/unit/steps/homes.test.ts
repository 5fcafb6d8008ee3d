import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {toShell} from '../../../source/remote/command.js';
import {folderFactsCommand, homesCommands, homesWork, parseFolderFacts, wantedFolders} from '../../../steps/homes.js';
import {root} from '../../helpers/labbox-process.js';

const folder = path.join(root, 'test/fixtures/steps/homes');
const cases = readdirSync(folder).map(file => [file, JSON.parse(readFileSync(path.join(folder, file), 'utf8'))] as const);

describe('homes', () => {
	it.each(cases)('%s: facts in, commands out', (_file, fixture) => {
		expect(homesCommands(wantedFolders(fixture.root), fixture.facts).map(command => toShell(command))).toEqual(fixture.commands);
	});

	it.each(cases)('%s: one plan line per folder', (_file, fixture) => {
		expect(homesWork(wantedFolders(fixture.root), fixture.facts).map(item => item.change)).toEqual(fixture.changes);
	});

	it('reads every folder in one quiet stat', () => {
		expect(toShell(folderFactsCommand(wantedFolders('/srv/lab')))).toBe(
			"stat -c '%n|%a|%u:%g|%F' /srv/lab /srv/lab/homes /srv/lab/shared /srv/lab/datasets /srv/lab/data 2>/dev/null",
		);
	});

	it('parses stat output, ignoring what is not a line of it', () => {
		expect(parseFolderFacts('/srv/lab|755|0:0|directory\nstat: cannot stat\n/srv/lab/data|700|0:0|directory\n')).toEqual({
			'/srv/lab': {mode: '755', owner: '0:0', type: 'directory'},
			'/srv/lab/data': {mode: '700', owner: '0:0', type: 'directory'},
		});
	});
});
