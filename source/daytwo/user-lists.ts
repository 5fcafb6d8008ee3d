/**
 * `labbox users add|remove` (issue 13 item 1): the allow list and the admins in lab.yaml, changed in place.
 * lab.yaml is the user's file (often committed, with their comments): only the two lists change, every other
 * line, comment and the list's own style (block `- alice` or flow `[alice]`) stay as they were.
 */
import {isMap, isScalar, isSeq, parseDocument, type Document, type YAMLSeq} from 'yaml';
import {userNameProblem} from '../config/names.js';

/** The two lists `labbox users` changes, by lab.yaml key. */
export const allowKey = 'auth.allowedUsers';
export const adminKey = 'auth.admins';

export interface UserLists {
	readonly allowed: readonly string[];
	readonly admins: readonly string[];
}

/** What one `users add|remove` changes in lab.yaml: a line each, `add bob to auth.allowedUsers`. */
export interface ListChange {
	readonly key: typeof allowKey | typeof adminKey;
	readonly action: 'add' | 'remove';
	readonly name: string;
}

/** Names the provider and the home folders could not have: each with why (nothing is changed when any is bad). */
export function badNames(names: readonly string[]): string[] {
	return names.flatMap(name => userNameProblem(name) ?? []);
}

// JupyterHub lower-cases names: `Alice` and `alice` are one user.
const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const includes = (list: readonly string[], name: string) => list.some(item => same(item, name));

/** The changes `labbox users add NAMES [--admin]` makes: each name allowed (and an admin with --admin). */
export function addChanges(lists: UserLists, names: readonly string[], admin: boolean): ListChange[] {
	const unique = names.filter((name, index) => names.findIndex(other => same(other, name)) === index);
	return unique.flatMap(name => [
		...(includes(lists.allowed, name) ? [] : [{key: allowKey, action: 'add', name} as const]),
		...(admin && !includes(lists.admins, name) ? [{key: adminKey, action: 'add', name} as const] : []),
	]);
}

/** The changes `labbox users remove NAMES` makes: each name out of both lists. */
export function removeChanges(lists: UserLists, names: readonly string[]): ListChange[] {
	return names.flatMap(name => [
		...lists.allowed.filter(item => same(item, name)).map(item => ({key: allowKey, action: 'remove', name: item}) as const),
		...lists.admins.filter(item => same(item, name)).map(item => ({key: adminKey, action: 'remove', name: item}) as const),
	]);
}

/** The lists after the changes. */
export function applyChanges(lists: UserLists, changes: readonly ListChange[]): UserLists {
	const apply = (key: ListChange['key'], list: readonly string[]) => {
		let items = [...list];
		for (const change of changes.filter(each => each.key === key)) {
			if (change.action === 'add') {
				items.push(change.name);
			} else {
				items = items.filter(item => item !== change.name);
			}
		}
		return items;
	};
	return {allowed: apply(allowKey, lists.allowed), admins: apply(adminKey, lists.admins)};
}

/** The plan's line for one change. */
export function describeChange(change: ListChange): string {
	return change.action === 'add' ? `lab.yaml: add ${change.name} to ${change.key}` : `lab.yaml: remove ${change.name} from ${change.key}`;
}

/** The sequence at `key` (auth.allowedUsers), made when missing; a scalar there (one name) becomes a list. */
function sequenceAt(document: Document, key: string): YAMLSeq {
	const path = key.split('.');
	if (!isMap(document.contents)) {
		document.contents = document.createNode({}) as typeof document.contents;
	}
	const node = document.getIn(path, true);
	if (isSeq(node)) {
		return node;
	}
	const items = isScalar(node) && node.value !== null && String(node.value) !== '' ? [String(node.value)] : [];
	document.setIn(path, document.createNode(items));
	return document.getIn(path, true) as YAMLSeq;
}

/**
 * lab.yaml's text with the changes made, everything else as it was. Throws on YAML that does not parse (the
 * caller has read it through the configuration already, so that means it changed meanwhile).
 */
export function editUserLists(text: string, changes: readonly ListChange[]): string {
	const document = parseDocument(text);
	if (document.errors.length > 0) {
		throw new Error(`lab.yaml is not valid YAML: ${document.errors[0]!.message}`);
	}
	for (const change of changes) {
		const seq = sequenceAt(document, change.key);
		if (change.action === 'add') {
			seq.add(document.createNode(change.name));
		} else {
			seq.items = seq.items.filter(item => !(isScalar(item) && String(item.value) === change.name));
		}
	}
	// `[ada, bob]` as people write flow lists (the library's default pads them: `[ ada, bob ]`).
	return document.toString({flowCollectionPadding: false});
}
