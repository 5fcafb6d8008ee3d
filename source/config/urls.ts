/**
 * What a URL in lab.yaml may be (issue 9 item 12): https (plain http only to this machine, for a provider run
 * beside the hub), nothing a parser would silently drop or a log would show (control characters, spaces,
 * credentials).
 */

const localHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Why `text` cannot be the URL, or undefined when it can. `localHttp`: http:// is fine for localhost. */
export function webUrlProblem(text: string, options: {readonly localHttp: boolean}): string | undefined {
	// eslint-disable-next-line no-control-regex
	if (/[\u0000-\u0020\u007F-\u009F]/.test(text)) {
		return 'it has a control character or a space: give the address alone';
	}
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		return 'it is not a URL';
	}
	if (url.username !== '' || url.password !== '') {
		return 'it has a user name or password in it (lab.yaml is safe to commit, so no credential belongs there): give the address alone';
	}
	if (url.protocol === 'https:') {
		return undefined;
	}
	if (url.protocol === 'http:' && options.localHttp) {
		return localHosts.has(url.hostname) ? undefined : 'plain http:// is only for localhost: use https://';
	}
	return `a ${url.protocol} URL is not allowed: use https://`;
}
