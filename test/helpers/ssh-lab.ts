import {mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {tempDir} from './lab-folder.js';

/**
 * A lab folder and HOME for an SSH server on 127.0.0.1:port (the in-process one of ssh-server.ts), logging in as
 * researcher with `privateKey`, kept in the lab folder as `id_test`; known_hosts is HOME's, empty.
 */
export function labForServer(port: number, privateKey: string, sshPort = 22): {lab: string; home: string; knownHosts: string} {
	const lab = tempDir();
	const home = tempDir('labbox-home-');
	mkdirSync(path.join(home, '.ssh'), {mode: 0o700});
	writeFileSync(path.join(lab, 'id_test'), privateKey, {mode: 0o600});
	writeFileSync(
		path.join(lab, 'lab.yaml'),
		`server:\n  host: 127.0.0.1\n  port: ${port}\n  user: researcher\n  identityFile: id_test\nssh:\n  port: ${sshPort}\n  closeOldPort: false\ndomain: lab.example.org\ncertificate:\n  mode: letsencrypt\n  email: ada@example.org\n  staging: true\nauth:\n  type: github\n  clientId: Iv1.abc\n  allowedUsers: [ada]\n  allowedGroups: [my-lab-org]\n  admins: [ada]\nbackup:\n  repository: none\n`,
	);
	writeFileSync(path.join(lab, 'secrets.env'), 'LABBOX_AUTH_CLIENT_SECRET=very-secret-value\n', {mode: 0o600});
	return {lab, home, knownHosts: path.join(home, '.ssh', 'known_hosts')};
}
