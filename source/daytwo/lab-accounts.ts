/**
 * Lab accounts (auth.type local, issue 14 items 1 and 2): who signed up and waits for the admin's approval, what
 * `labbox users approve NAME...` would do, and the one-time password `labbox users add NAME` gives a new account.
 * Pure; the hub's side is hub_users.py and the accounts handler in jupyterhub_config.py.
 */
import {randomBytes} from 'node:crypto';

/** One lab account, as hub_users.py `accounts` lists it. */
export interface LabAccount {
	readonly name: string;
	/** An admin approved it (or labbox made it): its owner can log in. */
	readonly authorized: boolean;
}

/** Parses hub_users.py's `accounts`: one JSON object per line; other lines are ignored. */
export function parseAccounts(output: string): LabAccount[] {
	return output
		.split('\n')
		.filter(line => line.startsWith('{'))
		.map(line => {
			const {name, authorized} = JSON.parse(line) as Record<string, unknown>;
			return {name: String(name), authorized: authorized === true};
		});
}

/** What approving `names` means: who gets approved, who already is, who has no account (nothing is done then). */
export interface ApprovalPlan {
	readonly approve: readonly string[];
	readonly already: readonly string[];
	readonly unknown: readonly string[];
}

// The hub lower-cases names (NativeAuthenticator stores them normalised).
const key = (name: string) => name.toLowerCase();

export function approvalPlan(accounts: readonly LabAccount[], names: readonly string[]): ApprovalPlan {
	const unique = [...new Map(names.map(name => [key(name), key(name)])).values()];
	const found = (name: string) => accounts.find(account => key(account.name) === name);
	return {
		approve: unique.filter(name => found(name)?.authorized === false),
		already: unique.filter(name => found(name)?.authorized === true),
		unknown: unique.filter(name => !found(name)),
	};
}

/** What removing `names` means: whose accounts go, which names have none, which is the admin's (kept by labbox). */
export interface RemovalPlan {
	readonly remove: readonly string[];
	readonly unknown: readonly string[];
	/** The admin's account: labbox makes it again whenever the hub starts (auth.admins), so it is not removed. */
	readonly admin: readonly string[];
}

export function removalPlan(accounts: readonly LabAccount[], names: readonly string[], admin: string | undefined): RemovalPlan {
	const unique = [...new Set(names.map(key))];
	const kept = unique.filter(name => admin !== undefined && name === key(admin));
	const others = unique.filter(name => !kept.includes(name));
	const has = (name: string) => accounts.some(account => key(account.name) === name);
	return {remove: others.filter(has), unknown: others.filter(name => !has(name)), admin: kept};
}

/** The accounts waiting for approval, by name. */
export function waiting(accounts: readonly LabAccount[]): string[] {
	return accounts.filter(account => !account.authorized).map(account => account.name);
}

/**
 * A one-time password for an account labbox makes: random, URL-safe letters and digits, as long as the lab's
 * shortest password (auth.passwordMinLength) and at least 20 characters; never one of the common ones.
 */
export function oneTimePassword(minLength: number, random: (size: number) => Buffer = randomBytes): string {
	const length = Math.max(20, minLength);
	let password = '';
	while (password.length < length) {
		password += random(length).toString('base64url').replace(/[-_]/g, '');
	}
	return password.slice(0, length);
}
