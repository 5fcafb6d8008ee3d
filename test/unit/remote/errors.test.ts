import {describe, expect, it} from 'vitest';
import {StepError} from '../../../source/engine/types.js';
import {connectionError, RemoteError, sudoError} from '../../../source/remote/errors.js';

const target = {host: 'lab.example.org', port: 2222, username: 'researcher'};
const withFields = (message: string, fields: Record<string, string>) => Object.assign(new Error(message), fields);

describe('connectionError', () => {
	it.each([
		[withFields('getaddrinfo ENOTFOUND lab.example.org', {code: 'ENOTFOUND'}), 'host-not-found', /IP address/],
		[withFields('connect ECONNREFUSED', {code: 'ECONNREFUSED'}), 'connection-refused', /listens on 2222/],
		[withFields('Timed out while waiting for handshake', {level: 'client-timeout'}), 'timeout', /cloud provider/],
		[withFields('Keepalive timeout', {level: 'client-timeout'}), 'timeout', /firewalls/],
		[
			withFields('All configured authentication methods failed', {level: 'client-authentication'}),
			'auth-failed',
			/ssh-copy-id -p 2222 researcher@lab.example.org/,
		],
		[new Error('Cannot parse privateKey: Encrypted private OpenSSH key detected, but no passphrase given'), 'key-passphrase', /ssh-add/],
		[new Error('Cannot parse privateKey: OpenSSH key integrity check failed -- bad passphrase?'), 'key-passphrase', /ssh-add/],
		[new Error('Cannot parse privateKey: Unsupported key format'), 'key-invalid', /ssh-keygen/],
		[withFields('read ECONNRESET', {code: 'ECONNRESET'}), 'unreachable', /SSH port/],
	])('%s → %s', (error, kind, hint) => {
		const mapped = connectionError(error, target);
		expect(mapped).toBeInstanceOf(StepError);
		expect(mapped.kind).toBe(kind);
		expect(mapped.hint).toMatch(hint);
		expect(mapped.cause).toBe(error);
	});

	it('keeps a RemoteError as it is', () => {
		const error = new RemoteError('host-key-changed', 'changed');
		expect(connectionError(error, target)).toBe(error);
	});
});

describe('sudoError', () => {
	it.each([
		['sudo: 1 incorrect password attempt\n', 1, 'sudo-password'],
		['Sorry, try again.\n', 1, 'sudo-password'],
		['sudo: a password is required\n', 1, 'sudo-password-needed'],
		['researcher is not in the sudoers file.\n', 1, 'sudo-not-allowed'],
		['sh: 1: sudo: not found\n', 127, 'sudo-missing'],
	])('%j → %s', (stderr, code, kind) => {
		expect(sudoError(stderr, code, target)?.kind).toBe(kind);
	});

	it('leaves other failures to the command', () => {
		expect(sudoError('E: Unable to locate package nope\n', 100, target)).toBeUndefined();
	});
});
