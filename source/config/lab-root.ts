/**
 * What `lab.root` may be (issue 9 item 2): a folder of the lab's own. `/tmp` was accepted once and the homes step
 * turned it from 1777 into 755, breaking every program on the server that writes there.
 */

/** The root, the FHS top-level folders and their well-known children: other programs own these. */
const systemFolders = new Set([
	'/',
	...[
		'bin',
		'boot',
		'dev',
		'etc',
		'home',
		'lib',
		'lib32',
		'lib64',
		'libx32',
		'media',
		'mnt',
		'opt',
		'proc',
		'root',
		'run',
		'sbin',
		'snap',
		'srv',
		'sys',
		'tmp',
		'usr',
		'var',
	].map(name => `/${name}`),
	...['bin', 'games', 'include', 'lib', 'lib32', 'lib64', 'libexec', 'libx32', 'local', 'sbin', 'share', 'src'].map(name => `/usr/${name}`),
	...['bin', 'etc', 'games', 'include', 'lib', 'man', 'sbin', 'share', 'src'].map(name => `/usr/local/${name}`),
	...['backups', 'cache', 'crash', 'lib', 'local', 'lock', 'log', 'mail', 'opt', 'run', 'spool', 'tmp', 'www'].map(name => `/var/${name}`),
]);

/** Trees where nothing of the lab belongs, anywhere below them, and why. */
const systemTrees: ReadonlyArray<readonly [string, string]> = [
	['/proc', 'the kernel’s view of processes, not a folder on disk'],
	['/sys', 'the kernel’s view of devices, not a folder on disk'],
	['/dev', 'device files, not a folder on disk'],
	['/run', 'emptied at every boot'],
	['/var/run', 'emptied at every boot'],
	['/var/lock', 'emptied at every boot'],
	['/tmp', 'emptied at boot and by cleaners'],
	['/var/tmp', 'cleaned of old files'],
	['/boot', 'the boot loader’s small partition'],
	['/etc', 'the system’s configuration'],
	...[
		'/bin',
		'/sbin',
		'/lib',
		'/lib32',
		'/lib64',
		'/libx32',
		'/usr/bin',
		'/usr/sbin',
		'/usr/lib',
		'/usr/lib32',
		'/usr/lib64',
		'/usr/libexec',
		'/usr/share',
		'/usr/include',
	].map(tree => [tree, 'managed by the package manager'] as const),
	['/var/lib/docker', 'Docker’s own data'],
	['/var/lib/containerd', 'containerd’s own data'],
];

const fix = 'use a folder of its own, such as /srv/lab';

/** Why `root` cannot be the lab's root (one sentence ending in the fix), or undefined when it can. */
export function labRootProblem(root: string): string | undefined {
	if (!root.startsWith('/')) {
		return `${root} is not an absolute path: ${fix}`;
	}
	if (root.includes('//') || (root.length > 1 && root.endsWith('/'))) {
		return `${root} has a doubled or trailing slash: write it plainly, e.g. /srv/lab`;
	}
	if (root.split('/').some(part => part === '.' || part === '..')) {
		return `${root} has a "." or ".." part, so where it lands is not plain: write the folder itself, e.g. /srv/lab`;
	}
	if (systemFolders.has(root)) {
		return `${root} is a system folder other programs use (the lab would change its owner and mode): ${fix}`;
	}
	const tree = systemTrees.find(([prefix]) => root.startsWith(`${prefix}/`));
	if (tree) {
		return `${root} is inside ${tree[0]} (${tree[1]}): ${fix}`;
	}
	return undefined;
}
