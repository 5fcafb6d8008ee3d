// The admin's lab account (issue 14 item 3): keep_admin_account of the real jupyterhub_config.py, under python3 with
// stand-ins for NativeAuthenticator's table and bcrypt. secrets.env's password is set when the account is made and
// when the secret changes (the owner's reset), never over a password the admin chose in the hub.
import {execFile} from 'node:child_process';
import {mkdtempSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {describe, expect, it} from 'vitest';
import {labFiles} from '../../../source/templates/lab-files.js';
import {configs, inputsFor} from './labs.js';

const configFile = path.join(import.meta.dirname, '../../../templates/jupyterhub/jupyterhub_config.py');

// Loads the config as the hub does (local login), then runs hub starts: each line of `starts` is either a secret
// (a hub start with that password in secrets.env), `chose:PASSWORD` (the admin changes it in the hub) or
// `older:PASSWORD` (the account as an older labbox left it, without a record).
const probe = `
import json, sys
class Section(dict):
    def __getattr__(self, key): return self.setdefault(key, Section())
    def __setattr__(self, key, value): self[key] = value
c = Section()
namespace = {'get_config': lambda: c}
exec(open(sys.argv[1]).read(), namespace)
class DB:
    accounts = {}
    def add(self, account): self.accounts[account.username] = account
    def commit(self): pass
db = DB()
import bcrypt
for step in json.loads(sys.argv[3]):
    if step.startswith('older:'):
        from nativeauthenticator.orm import UserInfo
        db.add(UserInfo(username='ada', password=bcrypt.hashpw(step[6:].encode(), bcrypt.gensalt()), is_authorized=True))
    elif step.startswith('chose:'):
        account = db.accounts['ada']
        account.password = bcrypt.hashpw(step[6:].encode(), bcrypt.gensalt())
    else:
        namespace['keep_admin_account'](db, 'ada', step, record=sys.argv[2])
    account = db.accounts['ada']
    print(json.dumps({'authorized': account.is_authorized, 'password': account.password.decode().split('$')[3][::-1]}))
`;

async function hubStarts(steps: readonly string[], record: string): Promise<Array<{authorized: boolean; password: string}>> {
	const files = labFiles(inputsFor(configs.local!));
	const folder = path.dirname(record);
	writeFileSync(path.join(folder, 'settings.json'), files.find(file => file.path === 'jupyterhub/settings.json')!.content);
	const secrets = /^LABBOX_SECRETS=(.+)$/m.exec(files.find(file => file.path === '.env')!.content)![1]!;
	const {stdout} = await promisify(execFile)('python3', ['-c', probe, configFile, record, JSON.stringify(steps)], {
		env: {
			...process.env,
			PYTHONPATH: path.join(import.meta.dirname, 'python-stubs'),
			LABBOX_SETTINGS: path.join(folder, 'settings.json'),
			LABBOX_SECRETS: secrets,
			LABBOX_API_TOKEN_FILE: path.join(folder, 'labbox-api-token'),
		},
		encoding: 'utf8',
		timeout: 30_000,
	});
	return stdout
		.trim()
		.split('\n')
		.map(line => JSON.parse(line));
}

const recordIn = () => path.join(mkdtempSync(path.join(tmpdir(), 'labbox-admin-account-')), 'labbox-admin-password');

describe("the admin's lab account at each hub start (issue 14 item 3)", () => {
	it('made with the secret; a password the admin chose in the hub survives restarts; a new secret resets it', async () => {
		const record = recordIn();
		expect(
			await hubStarts(['from-secrets-env', 'from-secrets-env', 'chose:my-own-choice', 'from-secrets-env', 'a-new-secret'], record),
		).toEqual([
			{authorized: true, password: 'from-secrets-env'},
			{authorized: true, password: 'from-secrets-env'},
			{authorized: true, password: 'my-own-choice'},
			// A restart with the same secret keeps the admin's own choice.
			{authorized: true, password: 'my-own-choice'},
			// The owner's reset: another password in secrets.env.
			{authorized: true, password: 'a-new-secret'},
		]);
		// Only a hash of the secret last applied, root's alone.
		expect(statSync(record).mode & 0o777).toBe(0o600);
		expect(readFileSync(record, 'utf8')).not.toContain('a-new-secret');
	});

	it('a lab from an older labbox (an account, no record): the account keeps its password, the record starts', async () => {
		const record = recordIn();
		expect(await hubStarts(['older:set-in-the-hub', 'the-secret', 'the-secret', 'a-new-secret'], record)).toEqual([
			{authorized: true, password: 'set-in-the-hub'},
			{authorized: true, password: 'set-in-the-hub'},
			{authorized: true, password: 'set-in-the-hub'},
			{authorized: true, password: 'a-new-secret'},
		]);
	});
});
