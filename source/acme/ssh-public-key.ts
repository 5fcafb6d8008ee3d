/**
 * Reads an OpenSSH public key line (`ecdsa-sha2-nistp256 AAAA...`) into the same comparable form as
 * `publicKeyMaterial`. Why: `ssh-keygen -y -f privkey.pem` on the server tells us the key's public half, so
 * checking that a key matches its certificate never moves the private key off the server.
 */

const curves: Readonly<Record<string, string>> = {nistp256: 'P-256', nistp384: 'P-384', nistp521: 'P-521'};

/** Splits an SSH wire blob into its length-prefixed strings. */
function sshStrings(blob: Buffer): Buffer[] {
	const parts: Buffer[] = [];
	let offset = 0;
	while (offset + 4 <= blob.length) {
		const length = blob.readUInt32BE(offset);
		parts.push(blob.subarray(offset + 4, offset + 4 + length));
		offset += 4 + length;
	}
	return parts;
}

const url = (bytes: Buffer) => bytes.toString('base64url');
// SSH mpints carry a leading zero byte when the high bit is set; JWK numbers do not.
const unsigned = (bytes: Buffer) => (bytes[0] === 0 ? bytes.subarray(1) : bytes);

/** `rsa:N` or `ec:CURVE:X:Y` (TLS keys: RSA or ECDSA), or undefined for a line that is not a public key we know. */
export function sshPublicKeyMaterial(line: string): string | undefined {
	const [type, base64] = line.trim().split(/\s+/);
	if (!type || !base64) {
		return undefined;
	}
	const parts = sshStrings(Buffer.from(base64, 'base64'));
	if (type === 'ssh-rsa' && parts.length === 3) {
		return `rsa:${url(unsigned(parts[2]!))}`;
	}
	if (type.startsWith('ecdsa-sha2-') && parts.length === 3) {
		const point = parts[2]!;
		const size = (point.length - 1) / 2;
		return `ec:${curves[parts[1]!.toString()]}:${url(point.subarray(1, 1 + size))}:${url(point.subarray(1 + size))}`;
	}
	return undefined;
}
