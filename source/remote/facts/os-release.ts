/** Which distribution and release the server runs, from /etc/os-release. */
import {readFile} from '../commands/files.js';
import {lines, type Fact} from './fact.js';

/** The fields of /etc/os-release that labbox uses. */
export interface OsRelease {
	/** `debian`, `ubuntu`... */
	readonly id: string;
	/** `12`, `24.04`; absent on rolling releases and Debian testing. */
	readonly versionId?: string;
	/** `bookworm`, `noble`. */
	readonly codename?: string;
	/** For people: `Debian GNU/Linux 13 (trixie)`. */
	readonly prettyName: string;
}

function unquote(value: string): string {
	return /^(["']).*\1$/.test(value) ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value;
}

export const osRelease: Fact<OsRelease> = {
	name: 'os-release',
	command: readFile('/etc/os-release'),
	parse(output) {
		const fields = new Map(
			lines(output)
				.filter(line => !line.startsWith('#') && line.includes('='))
				.map(line => [line.slice(0, line.indexOf('=')), unquote(line.slice(line.indexOf('=') + 1))]),
		);
		const id = fields.get('ID');
		if (!id) {
			return undefined;
		}

		return {
			id,
			versionId: fields.get('VERSION_ID'),
			codename: fields.get('VERSION_CODENAME'),
			prettyName: fields.get('PRETTY_NAME') ?? id,
		};
	},
};
