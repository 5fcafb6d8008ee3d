// Types of renew.mjs's exports, for labbox's unit tests (the renewer itself is plain JavaScript on the server).
import type {X509Certificate} from 'node:crypto';

export function explainNetworkError(code: string, url: string): string;
export function renewalReason(input: {
	certificate?: X509Certificate;
	keyMatches: boolean;
	domains: readonly string[];
	renewDays: number;
	directoryUrl: string;
	lastDirectoryUrl?: string;
	now?: Date;
	force?: boolean;
}): string | undefined;
export function main(argv: readonly string[]): Promise<number>;
