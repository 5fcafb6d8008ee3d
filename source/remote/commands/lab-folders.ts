/**
 * Folders labbox creates under the lab root, and its record of them (issue 9 item 2): a folder the lab did not
 * create keeps its owner and mode unless the user agrees, so whoever creates one records it here.
 */
import path from 'node:path/posix';
import {any, append, combine, group, type Command} from '../command.js';
import {isDirectory, makeDirectory, readFile} from './files.js';

/** The record: one path per line, each a folder labbox created. */
export function madeFoldersFile(root: string): string {
	return path.join(root, '.labbox-folders');
}

/** Creates `folder` (and its parents) unless it is a folder already, and records it as made by labbox. */
export function makeLabFolder(root: string, folder: string): Command {
	return any(isDirectory(folder), group(combine(makeDirectory(folder), append(['printf', '%s\\n', folder], madeFoldersFile(root)))));
}

/** Prints the record (nothing when labbox created no folder there yet). */
export function readMadeFolders(root: string): Command {
	return readFile(madeFoldersFile(root));
}
