/** Throwaway SSH keys for tests, made in-process (never a key of this machine). */
import ssh2 from 'ssh2';
import {hostKeyFromBlob, type HostKey} from '../../source/remote/known-hosts.js';

/** A fresh key pair: the OpenSSH private key text and the public key as a HostKey. */
export function makeKeyPair(type: 'ed25519' | 'ecdsa' = 'ed25519'): {privateKey: string; publicKey: HostKey} {
	const pair = type === 'ecdsa' ? ssh2.utils.generateKeyPairSync('ecdsa', {bits: 256}) : ssh2.utils.generateKeyPairSync('ed25519');
	const parsed = ssh2.utils.parseKey(pair.public);
	if (parsed instanceof Error) {
		throw parsed;
	}

	return {privateKey: pair.private, publicKey: hostKeyFromBlob(parsed.getPublicSSH())};
}
