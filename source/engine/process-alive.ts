import {readFileSync} from 'node:fs';

/**
 * Whether a process of this machine is still running. Signal 0 checks without sending anything (EPERM: it
 * exists but belongs to someone else). A zombie answers signal 0 but runs nothing: a labbox killed with its
 * terminal stays one where nothing reaps orphans (a container's init); Linux says so in /proc.
 */
export function processAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
	} catch {
		return true;
	}
}
