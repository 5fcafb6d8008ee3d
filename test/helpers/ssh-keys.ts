/** Throwaway SSH keys for tests, made in-process (never a key of this machine). */
import ssh2 from 'ssh2';
import {hostKeyFromBlob, type HostKey} from '../../source/remote/known-hosts.js';

/** A fresh key pair: the OpenSSH private key text and the public key as a HostKey. */
export function makeKeyPair(type: 'ed25519' | 'ecdsa' = 'ed25519'): {privateKey: string; publicKey: HostKey} {
	// ssh2's keygen strips the leading zero bytes of an ed25519 public key, so about 1 pair in 256 does not parse
	// ("Malformed OpenSSH public key", mscdex/ssh2#1513; it once failed a CI run): such a pair is made again.
	let failure: Error | undefined;
	for (let attempt = 0; attempt < 20; attempt++) {
		const pair = type === 'ecdsa' ? ssh2.utils.generateKeyPairSync('ecdsa', {bits: 256}) : ssh2.utils.generateKeyPairSync('ed25519');
		const parsed = ssh2.utils.parseKey(pair.public);
		const privateParsed = ssh2.utils.parseKey(pair.private);
		if (!(parsed instanceof Error) && !(privateParsed instanceof Error)) {
			return {privateKey: pair.private, publicKey: hostKeyFromBlob(parsed.getPublicSSH())};
		}
		failure = parsed instanceof Error ? parsed : (privateParsed as Error);
	}
	throw failure;
}
