import type {UntrustedCertificate} from '../engine/types.js';

/**
 * Whether browsers will trust the certificate this configuration gets; when not, why and the exact change that
 * gets a trusted one (issue 10 item 6: "Let's Encrypt" silently meant the staging CA). A custom ACME directory
 * or the user's own files are taken as trusted: labbox cannot know.
 */
export function untrustedCertificate(config: Readonly<Record<string, unknown>>): UntrustedCertificate | undefined {
	const mode = config['certificate.mode'];
	if (mode === 'self-signed') {
		return {
			why: 'its certificate is self-signed',
			fix: 'in lab.yaml, under `certificate:`, set `mode: letsencrypt`, `email: you@example.org` (yours) and `staging: false`; then run `labbox run certificate`',
		};
	}
	if (mode === 'letsencrypt' && config['certificate.directoryUrl'] === undefined && config['certificate.staging'] !== false) {
		return {
			why: "its certificate is a trial one, from Let's Encrypt's staging CA",
			fix: 'in lab.yaml, under `certificate:`, set `staging: false`; then run `labbox run certificate`',
		};
	}
	return undefined;
}
