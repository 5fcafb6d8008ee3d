/**
 * Secret redaction: one home for it. Every text that reaches a log, the state file or the screen goes through
 * `redact()` once; configured secret values, private key blocks and token-looking strings become `***`. Engine
 * events are redacted by the runner alone (`redactEvent`), in their text fields only (issue 11 item 3).
 */
import {mapEventText} from './event-text.js';
import type {EngineEvent} from './types.js';

const privateKeyBlock = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g;
// Tokens of the providers the lab logs in with, and generic bearer/basic credentials.
const tokenPatterns: readonly RegExp[] = [
	/\b(?:ghp|gho|ghu|ghs|ghr|github_pat)_[A-Za-z0-9_]{20,}\b/g,
	/\bglpat-[A-Za-z0-9_-]{20,}\b/g,
	/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
	/\b([A-Z0-9_]*(?:SECRET|PASSWORD|TOKEN|PASSPHRASE)[A-Z0-9_]*)=(?!\*\*\*)\S+/g,
];

export class Redactor {
	private readonly secrets = new Set<string>();

	/** Registers a value that must never be shown (values shorter than 4 characters would redact noise). */
	add(secret: string | undefined): void {
		if (secret && secret.length >= 4) {
			this.secrets.add(secret);
		}
	}

	redact(text: string): string {
		let out = text.replace(privateKeyBlock, '***');
		// Longest first, so a secret containing another is replaced whole.
		for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) {
			out = out.split(secret).join('***');
		}
		for (const pattern of tokenPatterns) {
			out = out.replace(pattern, (match, name: string | undefined) =>
				name && match.includes('=') ? `${name}=***` : name && /^(bearer|basic)$/i.test(name) ? `${name} ***` : '***',
			);
		}
		return out;
	}

	/** The event with its text fields redacted; ids, results and statuses are never touched. */
	redactEvent(event: EngineEvent): EngineEvent {
		return mapEventText(event, text => this.redact(text));
	}
}
