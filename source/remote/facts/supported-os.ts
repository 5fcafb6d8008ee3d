/** Which distributions labbox supports: those it is tested on, with Docker and Compose v2 available. */
import type {OsRelease} from './os-release.js';

const supported: Readonly<Record<string, readonly string[]>> = {
	debian: ['12', '13'],
	ubuntu: ['22.04', '24.04'],
};

/** For messages: the supported list, in words. */
export const supportedOsText = 'Debian 12 or 13, Ubuntu 22.04 or 24.04';

/** Is the server's OS one labbox supports? */
export function isSupportedOs(facts: {readonly os?: OsRelease}): boolean {
	const {os} = facts;
	return os?.versionId !== undefined && (supported[os.id]?.includes(os.versionId) ?? false);
}
