/** The folders under the lab root that labbox created (its record, commands/lab-folders.ts). */
import {readMadeFolders} from '../commands/lab-folders.js';
import {lines, type Fact} from './fact.js';

/** The recorded paths; an empty list when there is no record. */
export function madeFolders(root: string): Fact<string[]> {
	return {
		name: 'made-folders',
		command: readMadeFolders(root),
		parse: output => lines(output).filter(line => line.startsWith('/')),
	};
}
