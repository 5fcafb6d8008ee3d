import {execa} from 'execa';
import {say} from './log.js';

let listsUpdated = false;

function assertRoot(what: string): void {
	if (process.getuid?.() !== 0) {
		throw new Error(`the test world must run as root to ${what} (try: sudo npm run world -- up)`);
	}
}

async function missing(packages: string[]): Promise<string[]> {
	const result = await execa('dpkg-query', ['-W', '-f', '${Package} ${Status}\n', ...packages], {reject: false});
	const installed = new Set(
		String(result.stdout)
			.split('\n')
			.filter(line => line.endsWith(' installed'))
			.map(line => line.split(' ')[0]),
	);
	return packages.filter(name => !installed.has(name));
}

/** Installs the Debian packages the world needs on the test machine, when they are missing. */
export async function ensureHostPackages(packages: string[]): Promise<void> {
	const todo = await missing(packages);
	if (todo.length === 0) return;
	assertRoot(`install ${todo.join(', ')}`);
	const env = {DEBIAN_FRONTEND: 'noninteractive'};
	if (!listsUpdated) {
		say('apt-get update');
		await execa('apt-get', ['update', '-q'], {env, stdio: ['ignore', 'ignore', 'inherit']});
		listsUpdated = true;
	}
	say(`apt-get install ${todo.join(' ')}`);
	await execa('apt-get', ['install', '-y', '-q', '--no-install-recommends', '-o', 'DPkg::Lock::Timeout=120', ...todo], {
		env,
		stdio: ['ignore', 'ignore', 'inherit'],
	});
}

export {assertRoot};
