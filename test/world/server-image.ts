import { ensureBaseImage } from './base-image.js';
import { ensureImage, type ImageRecipe } from './image-build.js';

export const variants = ['debian13', 'debian12', 'ssh-socket', 'sudo-password'] as const;
export type Variant = (typeof variants)[number];

export function isVariant(name: string): name is Variant {
	return (variants as readonly string[]).includes(name);
}

// Fresh host keys per container (not per image), so each server has its own identity.
const hostKeysUnit = `[Unit]
Description=Generate SSH host keys for this server
DefaultDependencies=no
After=local-fs.target
Before=sysinit.target ssh.service ssh.socket
ConditionPathExists=!/etc/ssh/ssh_host_ed25519_key

[Service]
Type=oneshot
ExecStart=/usr/bin/ssh-keygen -A

[Install]
WantedBy=sysinit.target
`;

// What a fresh cloud server has: systemd, OpenSSH, sudo, curl, iptables. No Docker: the wizard installs it.
const serverDockerfile = `ENV container=docker
RUN apt-get update -q \\
	&& DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \\
		systemd systemd-sysv dbus openssh-server sudo curl iptables ca-certificates python3 procps iproute2 \\
	&& apt-get clean && rm -rf /var/lib/apt/lists/*
COPY ssh-host-keys.service /etc/systemd/system/
RUN systemctl enable ssh-host-keys.service ssh.service \\
	&& systemctl mask systemd-modules-load.service \\
	&& rm -f /etc/ssh/ssh_host_* \\
	&& useradd --create-home --shell /bin/bash --groups sudo researcher \\
	&& echo 'researcher ALL=(ALL:ALL) NOPASSWD: ALL' > /etc/sudoers.d/researcher \\
	&& chmod 0440 /etc/sudoers.d/researcher
# Not --privileged here, so /proc/sys is read-only and Docker 26+ fails disabling IPv6 on eth0:
# this lets the wizard's Docker start (a real server needs nothing of the kind).
RUN mkdir -p /etc/systemd/system/docker.service.d \
	&& printf '[Service]\\nEnvironment=DOCKER_ALLOW_IPV6_ON_IPV4_INTERFACE=1\\n' > /etc/systemd/system/docker.service.d/world-ipv6.conf
STOPSIGNAL SIGRTMIN+3
CMD ["/sbin/init"]
`;

function serverRecipe(name: string, from: string): ImageRecipe {
	return { name, from, dockerfile: serverDockerfile, files: { 'ssh-host-keys.service': hostKeysUnit } };
}

/** The image of one server variant (built on first use, cached by recipe hash). */
export async function ensureServerImage(variant: Variant): Promise<string> {
	if (variant === 'debian12') return ensureImage(serverRecipe('server-debian12', await ensureBaseImage('bookworm')));
	const debian13 = await ensureImage(serverRecipe('server-debian13', await ensureBaseImage('trixie')));
	switch (variant) {
		case 'debian13':
			return debian13;
		case 'ssh-socket':
			// As on Ubuntu 24.04: systemd owns port 22 and starts sshd on the first connection.
			return ensureImage({
				name: 'server-ssh-socket',
				from: debian13,
				dockerfile: 'RUN systemctl disable ssh.service && systemctl enable ssh.socket\n',
			});
		case 'sudo-password':
			return ensureImage({
				name: 'server-sudo-password',
				from: debian13,
				dockerfile: 'RUN rm /etc/sudoers.d/researcher\n',
			});
	}
}
