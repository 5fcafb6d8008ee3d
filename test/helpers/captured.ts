import {PassThrough} from 'node:stream';

/** An output stream for a command run in-process, and what was written to it so far. */
export function captured(): {stream: PassThrough; text: () => string} {
	const stream = new PassThrough();
	let written = '';
	stream.on('data', chunk => (written += String(chunk)));
	return {stream, text: () => written};
}
