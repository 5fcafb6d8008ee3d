/**
 * OpenSSH host patterns (`Host` lines of ssh_config, host fields of known_hosts): `*` and `?` wildcards,
 * `!` negation, case-insensitive like OpenSSH's match_pattern_list.
 */

/** Does `name` match one pattern (`*.example.org`, `web?`)? */
export function matchesPattern(name: string, pattern: string): boolean {
	const source = [...pattern].map(char => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[\\^$.|+()[\]{}]/g, '\\$&'))).join('');
	return new RegExp(`^${source}$`, 'i').test(name);
}

/** Does `name` match the list: at least one positive pattern, and no negated one (`!bastion`)? */
export function matchesPatternList(name: string, patterns: readonly string[]): boolean {
	let matched = false;
	for (const pattern of patterns) {
		if (pattern.startsWith('!')) {
			if (matchesPattern(name, pattern.slice(1))) {
				return false;
			}
		} else if (matchesPattern(name, pattern)) {
			matched = true;
		}
	}

	return matched;
}
