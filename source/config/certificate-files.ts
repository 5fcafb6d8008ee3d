/**
 * Local files named in lab.yaml whose content the configuration vouches for before anything runs (issue 9
 * item 3): a "CA file" that was really a private key went to the server readable by everyone.
 */
import {X509Certificate} from 'node:crypto';
import {readFile} from 'node:fs/promises';
import {labFile} from '../engine/paths.js';
import {fields, type Config} from './fields.js';
import type {ConfigProblem} from './resolve.js';

const pemBlock = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n[\s\S]*?-----END \1-----/g;

/** Why a file's text is not PEM certificates only (one or more CERTIFICATE blocks, nothing else), or undefined. */
export function certificatesOnlyProblem(text: string): string | undefined {
	if (/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(text)) {
		return 'it holds a private key, and would be uploaded readable by everyone on the server. Give a file with only the certificate(s), e.g. `openssl x509 -in FILE -out cert.pem`, and keep the key to yourself';
	}
	const blocks = [...text.matchAll(pemBlock)];
	const other = blocks.find(block => block[1] !== 'CERTIFICATE');
	if (other) {
		return `it holds a ${other[1]} block: give a file with only CERTIFICATE blocks`;
	}
	if (blocks.length === 0) {
		return 'it holds no PEM certificate (-----BEGIN CERTIFICATE-----): give the certificate in PEM form';
	}
	if (text.replaceAll(pemBlock, '').trim() !== '') {
		return 'it has text outside its CERTIFICATE blocks: give a file with only the certificate(s)';
	}
	const unreadable = blocks.findIndex(block => {
		try {
			new X509Certificate(block[0]); // eslint-disable-line no-new
			return false;
		} catch {
			return true;
		}
	});
	return unreadable === -1 ? undefined : `its certificate number ${unreadable + 1} is not a readable X.509 certificate`;
}

/** Problems with the files that keys marked `content: 'certificates'` name (only keys that apply and are set). */
export async function certificateFileProblems(config: Config, labDir: string): Promise<ConfigProblem[]> {
	const problems: ConfigProblem[] = [];
	for (const field of fields) {
		const value = config[field.key];
		if (field.content !== 'certificates' || typeof value !== 'string' || (field.when && !field.when(config))) {
			continue;
		}
		const file = labFile(labDir, value);
		const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => ({error: error.code ?? String(error)}));
		const problem =
			typeof text === 'string'
				? certificatesOnlyProblem(text)
				: `it cannot be read (${text.error}): set ${field.key} to the PEM file's path (relative to the lab folder, or absolute)`;
		if (problem) {
			problems.push({key: field.key, message: `${field.key}: ${file} is not valid: ${problem}.`});
		}
	}
	return problems;
}
