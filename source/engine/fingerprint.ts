import {createHash} from 'node:crypto';

/** A stable hash of the config values a step uses (keys sorted, so order never changes it). */
export function fingerprint(config: Readonly<Record<string, unknown>>, keys: readonly string[] = []): string {
	const picked = [...keys].sort().map(key => [key, config[key] ?? null]);
	return createHash('sha256').update(JSON.stringify(picked)).digest('hex').slice(0, 16);
}
