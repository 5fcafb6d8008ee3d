import {connect} from 'node:net';

/** Resolves with sshd's version banner once it answers on host:port (one bounded attempt). */
export function sshBanner(host: string, port: number, timeoutMs = 3_000): Promise<string> {
	return new Promise((resolve, reject) => {
		const socket = connect({host, port});
		let received = '';
		const fail = (error: Error) => {
			socket.destroy();
			reject(error);
		};
		socket.setTimeout(timeoutMs, () => fail(new Error(`no SSH banner from ${host}:${port}`)));
		socket.on('error', fail);
		socket.on('data', chunk => {
			received += chunk.toString('latin1');
			if (received.includes('\n')) {
				socket.destroy();
				if (received.startsWith('SSH-')) resolve(received.trim());
				else reject(new Error(`not an SSH banner: ${received.slice(0, 40)}`));
			}
		});
	});
}
