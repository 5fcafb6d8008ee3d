import {readdir, readFile} from 'node:fs/promises';
import {join} from 'node:path';

// The Debian mirror is read from this machine's apt sources, never written in the repo.
const sourcesDir = '/etc/apt/sources.list.d';
const sourcesList = '/etc/apt/sources.list';

function fromDeb822(text: string): string | undefined {
	for (const stanza of text.split(/\n\s*\n/)) {
		const uri = /^URIs:\s*(\S+)/m.exec(stanza)?.[1];
		const suites = /^Suites:\s*(.+)$/m.exec(stanza)?.[1] ?? '';
		const enabled = !/^Enabled:\s*no/im.test(stanza);
		// The main archive, not the security one (debootstrap needs the full archive).
		if (uri && enabled && !/security/.test(suites) && !/security/.test(uri)) return uri;
	}
	return undefined;
}

function fromOneLine(text: string): string | undefined {
	for (const line of text.split('\n')) {
		const match = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)/.exec(line.trim());
		if (match && !/security/.test(match[1]) && !/security/.test(match[2])) return match[1];
	}
	return undefined;
}

export async function debianMirror(): Promise<string> {
	const files = await readdir(sourcesDir).catch(() => [] as string[]);
	for (const file of files.filter(name => name.endsWith('.sources')).sort()) {
		const found = fromDeb822(await readFile(join(sourcesDir, file), 'utf8'));
		if (found) return found;
	}
	const list = await readFile(sourcesList, 'utf8').catch(() => '');
	const found = fromOneLine(list);
	if (found) return found;
	throw new Error(`no Debian mirror found in ${sourcesDir}/*.sources or ${sourcesList}`);
}
