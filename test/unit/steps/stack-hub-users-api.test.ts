// Issue 11 (speed): the stack step's list of the hub's users comes from the hub's REST API, asked with curl on the
// server, instead of hub_users.py started in the hub container; it must say exactly what hub_users.py says (who
// is removed depends on it), and fall back to hub_users.py whenever the API's answer is not a whole one.
import {execFileSync} from 'node:child_process';
import {chmodSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {toShell, type Command} from '../../../source/remote/command.js';
import {hubUsersFact} from '../../../steps/stack/facts.js';
import {hubApi, listHubUsers} from '../../../steps/stack/commands.js';
import {parseHubUsers} from '../../../steps/stack/leavers.js';

const folder = path.join(import.meta.dirname, '../../fixtures/steps/stack');

/** Answers of one world server at one moment: the API's body (curl) and hub_users.py's list. */
interface Capture {
	readonly api: string;
	readonly script: string;
}

const captures = readdirSync(folder).filter(file => /^hub-users-.*\.json$/.test(file));

describe('the hub users from the API (issue 11)', () => {
	it('has captures of a world server', () => {
		expect(captures.length).toBeGreaterThan(0);
	});

	it.each(captures)('%s: the same users as hub_users.py, with the same server and last activity', file => {
		const capture = JSON.parse(readFileSync(path.join(folder, file), 'utf8')) as Capture;
		const listed = hubUsersFact('/srv/lab').parse(`@@hub-api\n${capture.api}\n`);
		expect(listed?.code).toBe(0);
		expect(parseHubUsers(listed!.output)).toStrictEqual(parseHubUsers(capture.script));
	});

	it("reads hub_users.py's answer and exit code when the API was not asked", () => {
		const fact = hubUsersFact('/srv/lab');
		expect(fact.parse('{"name": "alice", "server": true, "last_activity": null}\n@@exit 0\n')).toEqual({
			code: 0,
			output: '{"name": "alice", "server": true, "last_activity": null}',
		});
		expect(fact.parse('labbox: the hub API: GET /users: HTTP 403 forbidden\n@@exit 1\n')).toEqual({
			code: 1,
			output: 'labbox: the hub API: GET /users: HTTP 403 forbidden',
		});
	});

	it('says it cannot tell (never "nobody") when the API answered something else', () => {
		const fact = hubUsersFact('/srv/lab');
		expect(fact.parse('@@hub-api\n<html>gateway</html>\n')?.code).toBe(1);
		expect(fact.parse('@@hub-api\n{"items": [{"servers": {}}], "_pagination": {"next": null}}\n')?.code).toBe(1);
		expect(fact.parse('@@hub-api\n{"items": [], "_pagination": {"next": {"offset": 200}}}\n')?.code).toBe(1);
	});
});

/** An up network interface of this computer, standing in for the notebooks' bridge of a server with a running lab. */
function upInterface(): string {
	const name = readdirSync('/sys/class/net').find(each => readFileSync(`/sys/class/net/${each}/operstate`, 'utf8').trim() === 'up');
	expect(name, 'this test needs an up network interface').toBeDefined();
	return name!;
}

describe("the hub users command, run by this computer's sh with curl and docker faked (issue 11)", () => {
	const page = (next: string) =>
		`{"items": [{"name": "alice", "servers": {"": {}}, "last_activity": "2026-11-27T20:00:00Z"}], "_pagination": {"offset": 0, "limit": 200, "total": 1, "next": ${next}}}`;
	const token = 'f0e1d2c3b4a5968778695a4b3c2d1e0ff0e1d2c3b4a5968778695a4b3c2d1e0f';

	/** Runs the fact's command with `bin` first on PATH; `bridge` replaces the notebooks' bridge. */
	function run(options: {readonly curl?: string; readonly bridge?: string}) {
		const dir = mkdtempSync(path.join(tmpdir(), 'labbox-hub-api-'));
		const bin = path.join(dir, 'bin');
		execFileSync('mkdir', [bin]);
		// The command's other programs: PATH holds these alone, so without a fake curl there is no curl.
		for (const program of ['sh', 'cat']) {
			symlinkSync(execFileSync('/bin/sh', ['-c', `command -v ${program}`], {encoding: 'utf8'}).trim(), path.join(bin, program));
		}
		const fake = (name: string, body: string) => {
			writeFileSync(path.join(bin, name), `#!/bin/sh\n${body}\n`);
			chmodSync(path.join(bin, name), 0o755);
		};
		if (options.curl !== undefined) {
			// Records its arguments and its stdin (the headers), then answers as the hub would.
			fake('curl', `printf '%s\\n' "$@" > ${dir}/curl-args; cat > ${dir}/curl-stdin; ${options.curl}`);
		}
		fake('docker', `printf '%s\\n' "$*" > ${dir}/docker-args; echo '{"name": "bob", "server": false, "last_activity": null}'`);
		writeFileSync(path.join(dir, 'labbox-api-token'), token, {mode: 0o600});
		const command: Command = hubUsersFact('/srv/lab').command.map(word =>
			word === hubApi.bridge
				? (options.bridge ?? upInterface())
				: word === hubApi.tokenFile('/srv/lab')
					? path.join(dir, 'labbox-api-token')
					: word,
		);
		const output = execFileSync('/bin/sh', ['-c', toShell(command)], {env: {PATH: bin}, encoding: 'utf8'});
		const read = (file: string) => {
			try {
				return readFileSync(path.join(dir, file), 'utf8');
			} catch {
				return undefined;
			}
		};
		return {output, curlArgs: read('curl-args'), curlStdin: read('curl-stdin'), dockerArgs: read('docker-args')};
	}

	it('asks the API with the token on stdin only, and hub_users.py not at all', () => {
		const result = run({curl: `echo '${page('null')}'`});
		expect(hubUsersFact('/srv/lab').parse(result.output)).toEqual({
			code: 0,
			output: '{"name":"alice","server":true,"last_activity":"2026-11-27T20:00:00Z"}',
		});
		expect(result.curlStdin).toBe(`Authorization: token ${token}`);
		expect(result.curlArgs).not.toContain(token);
		expect(result.curlArgs).toContain(`${hubApi.users}?limit=200`);
		expect(result.output).not.toContain(token);
		expect(result.dockerArgs).toBeUndefined();
	});

	it.each([
		['more users than one page', {curl: `echo '${page('{"offset": 200, "limit": 200, "url": "x"}')}'`}],
		['the API refused (curl -f fails)', {curl: 'exit 22'}],
		['the bridge is not up (no lab, or the hub stopped)', {curl: `echo '${page('null')}'`, bridge: 'labbox-no-such-bridge'}],
		['curl is not installed', {}],
	])('falls back to hub_users.py when %s', (_case, options) => {
		const result = run(options);
		expect(hubUsersFact('/srv/lab').parse(result.output)).toEqual({
			code: 0,
			output: '{"name": "bob", "server": false, "last_activity": null}',
		});
		expect(result.dockerArgs).toBe(`${listHubUsers().slice(1).join(' ')}\n`);
	});
});
