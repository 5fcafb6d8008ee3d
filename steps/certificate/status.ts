/**
 * The renewal's state for `labbox status`: the renewer leaves renewal.json on the server (expiry, last check,
 * last attempt, last error); this reads it and says in one line whether the certificate is looked after.
 */
import {daysLeft} from '../../source/acme/inspect.js';
import type {Command} from '../../source/remote/command.js';
import type {RenewalStatus} from './decide.js';
import {renewerPaths} from '../../source/templates/renewer.js';

/** Prints renewal.json (read-only; it holds no secret). */
export function renewalStatusCommand(root: string): Command {
	return ['cat', renewerPaths(root).status];
}

/** Whether the renewal is healthy, and one line that says so, with the dates. */
export function describeRenewal(status: RenewalStatus | undefined, now: Date = new Date()): {readonly ok: boolean; readonly text: string} {
	if (!status?.expiry) {
		return {ok: false, text: 'the renewer has not run yet (run `labbox run certificate`)'};
	}
	const left = daysLeft(new Date(status.expiry), now);
	const expiry = `${status.expiry.slice(0, 10)} (${left} days)`;
	if (left < 0) {
		return {
			ok: false,
			text: `the certificate expired on ${status.expiry.slice(0, 10)}${status.lastError ? `; last renewal failed: ${status.lastError}` : ''}`,
		};
	}
	if (status.lastError) {
		return {
			ok: false,
			text: `renewal failed on ${status.lastAttempt?.slice(0, 16).replace('T', ' ') ?? 'an unknown date'}: ${status.lastError}; the certificate in place expires ${expiry}`,
		};
	}
	return {
		ok: true,
		text: `expires ${expiry}, renewed on the server${status.lastCheck ? `; last checked ${status.lastCheck.slice(0, 16).replace('T', ' ')}` : ''}`,
	};
}
