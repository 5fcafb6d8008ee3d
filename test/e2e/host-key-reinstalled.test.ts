// A reinstalled server, as a person meets it in a real terminal (issue 10 item 8): known_hosts still holds the
// old host key for port 22 and for the port an earlier labbox moved sshd to. The changed-key message names
// every entry to remove; a fix that was only half done is named by ssh-port as what it is (a changed key on the
// new port), not as a firewall to open; once every entry is gone the move succeeds.
import {writeFile, mkdir} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {execa} from 'execa';
import {describe, expect, it} from 'vitest';
import {hashedEntry} from '../../source/remote/known-hosts.js';
import {makeKeyPair} from '../helpers/ssh-keys.js';
import {TmuxTerminal} from '../helpers/tmux.js';
import {world} from '../world/index.js';
import {sshPorts, stepsLab} from './server-lab.js';

const bin = path.join(fileURLToPath(new URL('../..', import.meta.url)), 'bin/labbox.js');

/** The `ssh-keygen -R …` commands the screen names, in order (each in backquotes, as the hint prints them). */
const removals = (screen: string) => [...screen.matchAll(/`(ssh-keygen -R [^`]+)`/g)].map(match => match[1]!);

describe('a reinstalled server (its old host key still in known_hosts for 22 and 2222)', () => {
	it('names every known_hosts entry to remove; a half-done fix is named by ssh-port, never as a firewall', async () => {
		const lab = await stepsLab('debian13');
		const w = await world();
		const {host} = lab.server;
		let terminal: TmuxTerminal | undefined;
		// ssh-keygen finds ~/.ssh in the account's passwd entry, not in $HOME: the removals name this lab's file.
		const knownHosts = path.join(lab.home, '.ssh', 'known_hosts');
		// A wide terminal: the hints are read back from the screen, and boxed lines are not joined when wrapped.
		const labbox = async () =>
			(terminal = await TmuxTerminal.start(`node ${bin} run connect ssh-port`, {
				cwd: lab.lab,
				width: 400,
				height: 60,
				env: {HOME: lab.home, SSH_AUTH_SOCK: '', LABBOX_AUTH_CLIENT_SECRET: w.oidc!.clientSecret, TERM: 'xterm-256color'},
			}));
		const finished = async () => {
			const screen = await terminal!.waitFor(/EXIT=\d+/, 240_000);
			await terminal!.close();
			return screen;
		};
		try {
			// Trusted through known_hosts as a person who ran labbox before the reinstall would have it: no pin.
			await lab.change({'server.hostKey': undefined});
			await mkdir(path.join(lab.home, '.ssh'), {recursive: true, mode: 0o700});
			const old = makeKeyPair().publicKey;
			await writeFile(knownHosts, `${hashedEntry(host, 22, old)}\n${hashedEntry(host, 2222, old)}\n`, {mode: 0o600});

			await labbox();
			const changed = await finished();
			expect(changed).toContain(`The host key of ${host}:22 has CHANGED`);
			expect(changed).toContain('EXIT=1');
			const both = removals(changed);
			expect(both).toEqual([`ssh-keygen -R ${host}`, `ssh-keygen -R '[${host}]:2222'`]);

			// Half the fix (what the hint used to say): only the entry for port 22.
			await execa('sh', ['-c', `${both[0]!} -f ${knownHosts}`]);
			await labbox();
			await terminal!.waitFor(/Trust it\?/);
			await terminal!.type('y');
			const half = await finished();
			expect(half).toContain('Could not log in on the new SSH port 2222');
			expect(half).toContain('has CHANGED');
			expect(half).not.toContain('Open 2222/tcp');
			expect(removals(half)).toEqual([`ssh-keygen -R '[${host}]:2222'`]);
			expect(half).toContain('EXIT=1');
			expect(await sshPorts(lab.server)).toEqual([22]);

			// The rest of the fix, as shown: the move goes through.
			await execa('sh', ['-c', `${removals(half)[0]!} -f ${knownHosts}`]);
			await labbox();
			// No question mid-run: whether to close port 22 is the wizard's to ask, before the plan (issue 10 item 9).
			const moved = await finished();
			expect(moved).not.toContain('Close the old SSH port');
			expect(moved).toContain('EXIT=0');
			expect(await sshPorts(lab.server)).toEqual([22, 2222]);
		} finally {
			await terminal?.close();
			await lab.remove();
		}
	});
});
