/**
 * The settings ssh would use for a host: asked of OpenSSH itself (`ssh -G HOST`) when it is installed, as it
 * evaluates what our reader cannot (Match blocks, /etc/ssh/ssh_config, canonicalisation); else our own
 * ~/.ssh/config reader (ssh-config.ts) as the fallback (issue 11).
 */
import {execFile} from 'node:child_process';
import {homedir, userInfo} from 'node:os';
import {join} from 'node:path';
import {expandIdentityFile, readSshConfig, resolveHost, type SshConfigContext, type SshHostSettings} from './ssh-config.js';

/** How to ask OpenSSH; the defaults are the user's own ssh and config. */
export interface OpenSshOptions extends SshConfigContext {
	/** The ssh program (default `ssh` on PATH). */
	readonly ssh?: string;
	/** A config file instead of ssh's own (`ssh -F FILE`: then /etc/ssh/ssh_config is not read either). */
	readonly configFile?: string;
}

/** `ssh -G` output as keyword → values (IdentityFile has several, in order). */
export function parseSshG(output: string): Map<string, string[]> {
	const options = new Map<string, string[]>();
	for (const line of output.split('\n')) {
		const match = /^(\S+) (.*)$/.exec(line.trim());
		if (match) {
			options.set(match[1]!, [...(options.get(match[1]!) ?? []), match[2]!]);
		}
	}

	return options;
}

/**
 * The settings from ssh -G's answers for the host (`configured`) and for the same host without any config
 * (`defaults`, `ssh -F none -G`): a value equal to ssh's own default counts as not set, so that labbox's
 * defaults (user root, the agent and ~/.ssh/id_* keys) keep applying as they do with the reader.
 */
export function settingsFromSshG(
	alias: string,
	configured: ReadonlyMap<string, readonly string[]>,
	defaults: ReadonlyMap<string, readonly string[]>,
	context: SshConfigContext = {},
): SshHostSettings {
	const set = (keyword: string) => {
		const value = configured.get(keyword)?.[0];
		return value === defaults.get(keyword)?.[0] ? undefined : value;
	};

	const hostName = configured.get('hostname')?.[0] ?? alias;
	const user = set('user');
	const port = Number(set('port'));
	const files = configured.get('identityfile') ?? [];
	const defaultFiles = defaults.get('identityfile') ?? [];
	const ownFiles = files.length === defaultFiles.length && files.every((file, index) => file === defaultFiles[index]) ? [] : files;
	return {
		alias,
		hostName,
		user,
		port: Number.isInteger(port) && port > 0 ? port : undefined,
		identityFiles: ownFiles.map(file => expandIdentityFile(file, {hostName, user}, context)),
		identitiesOnly: set('identitiesonly') === 'yes' ? true : undefined,
	};
}

/** Runs ssh -G (bounded: 5 s); undefined when ssh is missing or fails. */
async function sshG(args: readonly string[], ssh: string): Promise<Map<string, string[]> | undefined> {
	return new Promise(resolve => {
		execFile(ssh, [...args], {timeout: 5000, encoding: 'utf8'}, (error, stdout) => {
			resolve(error ? undefined : parseSshG(stdout));
		});
	});
}

/** The settings ssh would use for `alias`: OpenSSH's own answer when it can give one, else our reader's. */
export async function hostSettings(alias: string, options: OpenSshOptions = {}): Promise<SshHostSettings> {
	const ssh = options.ssh ?? 'ssh';
	// `--` is not understood by ssh before a destination; an alias starting with `-` is no host anyway.
	if (!alias.startsWith('-')) {
		const file = configFile(options);
		const config = file ? ['-F', file] : [];
		const [configured, defaults] = await Promise.all([sshG([...config, '-G', alias], ssh), sshG(['-F', 'none', '-G', alias], ssh)]);
		if (configured && defaults) {
			return settingsFromSshG(alias, configured, defaults, options);
		}
	}

	return resolveHost(await readSshConfig(options, options.configFile), alias, options);
}

/**
 * ssh finds `~` in the account's passwd entry, labbox (known_hosts, keys, the reader) in $HOME: when they differ
 * (tests, sudo -E), ssh is told labbox's config file. Otherwise none, so that ssh reads what it always reads.
 */
function configFile(options: OpenSshOptions): string | undefined {
	const home = options.home ?? homedir();
	let own: string | undefined;
	try {
		own = userInfo().homedir;
	} catch {
		// No passwd entry for this uid (some containers).
	}

	return options.configFile ?? (home === own ? undefined : join(home, '.ssh', 'config'));
}
