/** A fake SSH server with one account and a session logged in to it, for the surrounding describe block. */
import {afterAll, beforeAll} from 'vitest';
import {Session} from '../../source/remote/session.js';
import {startedSshServer, type FakeSshServer, type FakeUser} from './ssh-server.js';

/** Registers beforeAll/afterAll; call the getters inside tests. */
export function useFakeSession(
	username: string,
	user: FakeUser & {readonly password: string},
): {server: () => FakeSshServer; session: () => Session} {
	const server = startedSshServer({[username]: user});
	let session: Session | undefined;
	beforeAll(async () => {
		session = await Session.connect({
			host: '127.0.0.1',
			port: server().port,
			username,
			password: user.password,
			hostVerifier: () => undefined,
		});
	});
	afterAll(async () => {
		await session?.close();
	});
	return {server, session: () => session!};
}
