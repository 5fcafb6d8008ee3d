import {createHash} from 'node:crypto';

/** Short, stable hash of everything an image is made from: its tag, so a changed recipe rebuilds. */
export function recipeHash(...parts: unknown[]): string {
	return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 12);
}
