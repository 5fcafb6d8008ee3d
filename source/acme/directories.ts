/**
 * Let's Encrypt's ACME directories. The laptop needs only these two URLs; the renewer on the server brings its
 * own acme-client (templates/renewer/Dockerfile), so acme-client is no dependency of labbox (issue 11).
 */
export const letsEncryptDirectory = {
	staging: 'https://acme-staging-v02.api.letsencrypt.org/directory',
	production: 'https://acme-v02.api.letsencrypt.org/directory',
} as const;
