// Self-test of the test world (issue 3): each piece answers the way the e2e tests will rely on.
import {describe, expect, it} from 'vitest';
import {freshServer, sshRun, variants} from '../world/index.js';

describe.each(variants)('server %s', variant => {
	const fresh = freshServer(variant);

	it('lets root log in with the world key', async () => {
		const server = fresh();
		const result = await sshRun(server, 'root', 'id -u');
		expect(result).toMatchObject({code: 0, stdout: '0\n'});
	});

	it('refuses a connection whose host key does not match', async () => {
		const server = fresh();
		const otherKey = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';
		await expect(sshRun(server, 'root', 'true', {hostKey: otherKey})).rejects.toThrow();
	});

	it('runs the Debian release of the variant', async () => {
		const server = fresh();
		const result = await sshRun(server, 'researcher', '. /etc/os-release && echo $VERSION_CODENAME');
		expect(result.stdout.trim()).toBe(variant === 'debian12' ? 'bookworm' : 'trixie');
	});

	it('has systemd as PID 1, booted', async () => {
		const server = fresh();
		const result = await server.exec('cat /proc/1/comm; systemctl is-system-running');
		expect(result.stdout).toBe('systemd\nrunning');
	});

	if (variant === 'sudo-password') {
		it('asks researcher for a password for sudo, and accepts the right one', async () => {
			const server = fresh();
			const without = await sshRun(server, 'researcher', 'sudo -n true');
			expect(without.code).toBe(1);
			expect(without.stderr).toMatch(/password is required/);
			const wrong = await sshRun(server, 'researcher', "sudo -S -k -p '' id -u", {input: 'wrong\n'});
			expect(wrong.code).toBe(1);
			const right = await sshRun(server, 'researcher', "sudo -S -k -p '' id -u", {
				input: `${server.users.researcher.password}\n`,
			});
			expect(right).toMatchObject({code: 0, stdout: '0\n'});
		});
	} else {
		it('lets researcher use sudo without a password', async () => {
			const server = fresh();
			const result = await sshRun(server, 'researcher', 'id -un && sudo -n id -u');
			expect(result).toMatchObject({code: 0, stdout: 'researcher\n0\n'});
		});
	}

	if (variant === 'ssh-socket') {
		it('moves the port as Ubuntu 24.04 does: sshd_config, daemon-reload, restart ssh.socket', async () => {
			const server = fresh();
			const moved = {...server, port: 2222};
			const change = await sshRun(
				server,
				'root',
				["printf 'Port 2222\\n' > /etc/ssh/sshd_config.d/port.conf", 'systemctl daemon-reload', 'systemctl restart ssh.socket'].join(
					' && ',
				),
			);
			expect(change).toMatchObject({code: 0, stderr: ''});
			const listening = await sshRun(moved, 'root', 'systemctl show ssh.socket -p Listen --value');
			expect(listening.stdout.trim()).toBe('[::]:2222 (Stream)');
			await expect(sshRun(server, 'root', 'true')).rejects.toThrow(/ECONNREFUSED/);
			// Back to 22 for the tests after this one.
			await sshRun(moved, 'root', 'rm /etc/ssh/sshd_config.d/port.conf && systemctl daemon-reload && systemctl restart ssh.socket');
			expect((await sshRun(server, 'root', 'echo back')).stdout).toBe('back\n');
		});
	}

	it(`starts sshd from ${variant === 'ssh-socket' ? 'ssh.socket' : 'ssh.service'}`, async () => {
		const server = fresh();
		const result = await sshRun(server, 'root', 'systemctl is-active ssh.socket ssh.service; true');
		const [socket, service] = result.stdout.trim().split('\n');
		if (variant === 'ssh-socket') {
			expect(socket).toBe('active');
			expect(server.sshListener).toBe('ssh.socket');
		} else {
			expect(socket).not.toBe('active');
			expect(service).toBe('active');
		}
	});
});
