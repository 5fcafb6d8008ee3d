import {describe, expect, it} from 'vitest';
import {diskFullError, networkFailure, noSpaceLeft, unreachableError} from '../../../source/remote/output-errors.js';

describe("networkFailure: which address did not answer, from the tools' own lines (issue 9 item 6)", () => {
	it.each([
		[
			'curl: (28) Failed to connect to 192.0.2.10 port 443 after 10002 ms: Timeout was reached',
			{address: '192.0.2.10:443', reason: 'no answer in time'},
		],
		[
			"curl: (7) Failed to connect to 192.0.2.10 port 443 after 3 ms: Couldn't connect to server",
			{address: '192.0.2.10:443', reason: 'connection refused'},
		],
		['curl: (28) Connection timed out after 10001 milliseconds', {address: undefined, reason: 'no answer in time'}],
		['curl: (6) Could not resolve host: repo.example.org', {address: 'repo.example.org', reason: 'the name does not resolve'}],
		['Err:4 https://repo.example.org/linux/debian trixie InRelease', undefined],
		[
			'  Could not connect to repo.example.org:443 (192.0.2.10), connection timed out',
			{address: 'repo.example.org:443 (192.0.2.10)', reason: 'no answer in time'},
		],
		["  Temporary failure resolving 'repo.example.org'", {address: 'repo.example.org', reason: 'the name does not resolve'}],
		[
			'Error response from daemon: Get "https://192.0.2.10:5000/v2/": dial tcp 192.0.2.10:5000: i/o timeout',
			{address: '192.0.2.10:5000', reason: 'no answer in time'},
		],
		[
			'Error response from daemon: Get "https://192.0.2.10:5000/v2/": context deadline exceeded',
			{address: '192.0.2.10:5000', reason: 'no answer in time'},
		],
		[
			'Error response from daemon: Get "https://reg.example.org/v2/": dial tcp: lookup reg.example.org on 127.0.0.11:53: no such host',
			{address: 'reg.example.org', reason: 'the name does not resolve'},
		],
		[
			'Error response from daemon: Get "https://reg.example.org:5000/v2/": tls: failed to verify certificate: x509: certificate signed by unknown authority',
			{address: undefined, reason: 'the certificate is not trusted'},
		],
		['E: Unable to locate package docker-ce', undefined],
	])('%s', (line, failure) => {
		expect(networkFailure([line])).toEqual(failure);
	});

	it('names the URL asked for, and the address the tool named when it differs', () => {
		const error = unreachableError(
			"fetch Docker's repository key",
			'https://repo.example.org/gpg',
			{address: '192.0.2.10:443', reason: 'no answer in time'},
			'Check docker.repository.',
		);
		expect(error.message).toBe(
			"The server could not reach https://repo.example.org/gpg to fetch Docker's repository key: no answer in time from 192.0.2.10:443.",
		);
		expect(error.kind).toBe('network');
		expect(unreachableError('x', 'https://192.0.2.10/gpg', {address: '192.0.2.10', reason: 'no answer in time'}, 'f').message).toBe(
			'The server could not reach https://192.0.2.10/gpg to x: no answer in time.',
		);
	});
});

describe('a full disk (issue 9 item 9)', () => {
	it("is recognised in Docker's, dpkg's and apt's own words", () => {
		expect(noSpaceLeft(['Downloading', 'failed to register layer: write /opt/conda/lib/libLLVM.so.15: no space left on device'])).toBe(
			true,
		);
		expect(
			noSpaceLeft([
				'dpkg: error processing archive /var/cache/apt/archives/containerd.deb (--unpack):',
				" cannot copy extracted data for './usr/bin/containerd' to '/usr/bin/containerd.dpkg-new': failed to write (No space left on device)",
			]),
		).toBe(true);
		expect(noSpaceLeft(['Error response from daemon: manifest unknown'])).toBe(false);
	});

	it('says so with the numbers: free, total, where, and what is needed', () => {
		const disk = {mount: '/var/lib/docker', total: 1024 ** 3, available: 0.05 * 1024 ** 3};
		const error = diskFullError('pulling quay.io/jupyter/scipy-notebook:2025-12-31', '/var/lib/docker', disk, 5 * 1024 ** 3, [
			'no space left on device',
		]);
		expect(error.kind).toBe('disk-full');
		expect(error.message).toBe(
			'The server\'s disk is full: pulling quay.io/jupyter/scipy-notebook:2025-12-31 stopped with "no space left on device". 0.1 GiB of 1.0 GiB is free on /var/lib/docker; about 5.0 GiB is needed.',
		);
		expect(error.hint).toMatch(/^Make room on \/var\/lib\/docker .*docker system prune.*labbox --resume/);
		expect(error.output).toEqual(['no space left on device']);
		expect(diskFullError('installing Docker', '/usr', {...disk, mount: '/'}, undefined).message).toBe(
			'The server\'s disk is full: installing Docker stopped with "no space left on device". 0.1 GiB of 1.0 GiB is free on / (which holds /usr).',
		);
	});
});
