import {execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';

/** What `ssh-keygen -y` prints for a PEM key (as the certificate step runs it on the server). */
export function sshLine(pem: string): string {
	const folder = mkdtempSync(path.join(tmpdir(), 'labbox-key-'));
	try {
		writeFileSync(path.join(folder, 'key.pem'), pem, {mode: 0o600});
		return execFileSync('ssh-keygen', ['-y', '-f', path.join(folder, 'key.pem')]).toString();
	} finally {
		rmSync(folder, {recursive: true});
	}
}
