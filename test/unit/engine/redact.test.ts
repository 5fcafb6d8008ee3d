import {readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {Redactor} from '../../../source/engine/redact.js';
import type {EngineEvent} from '../../../source/engine/types.js';
import {RunLog} from '../../../source/engine/run-log.js';
import {results, runInFolder, tempDir} from '../../helpers/lab-folder.js';
import {testStep} from '../../helpers/test-steps.js';

const key = ['-----BEGIN OPENSSH PRIVATE KEY-----', 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ', '-----END OPENSSH PRIVATE KEY-----'].join(
	'\n',
);

describe('redaction', () => {
	it.each([
		['a configured secret', 'client secret is s3cr3t-value!', 'client secret is ***'],
		['a private key block', `key:\n${key}\nafter`, 'key:\n***\nafter'],
		['a GitHub token', 'token ghp_abcdefghijklmnopqrstuvwxyz0123456789', 'token ***'],
		['a bearer header', 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.abc', 'Authorization: Bearer ***'],
		[
			'an assignment of a secret variable',
			'JUPYTERHUB_CRYPT_KEY=abc OAUTH_CLIENT_SECRET=xyz123',
			'JUPYTERHUB_CRYPT_KEY=abc OAUTH_CLIENT_SECRET=***',
		],
	])('hides %s', (_name, input, expected) => {
		const redactor = new Redactor();
		redactor.add('s3cr3t-value!');
		expect(redactor.redact(input)).toBe(expected);
	});

	it('keeps secrets out of the events, the state file and the log', async () => {
		const lab = tempDir();
		const redactor = new Redactor();
		redactor.add('hunter2-the-secret');
		const log = new RunLog(path.join(lab, '.labbox', 'logs'), 'setup', redactor);
		const step = testStep('leaky', tempDir(), {prints: 'password is hunter2-the-secret', failWith: 'failed with hunter2-the-secret'});
		const seen: string[] = [];
		await runInFolder(lab, [step], 'setup', {
			redactor,
			log: line => log.write(line),
			listeners: [event => seen.push(JSON.stringify(event)), event => log.event(event)],
		});
		await log.close();
		expect(results(seen.map(line => JSON.parse(line)))).toEqual({leaky: 'failed'});
		const everything = [seen.join('\n'), readFileSync(path.join(lab, '.labbox', 'state.json'), 'utf8'), readFileSync(log.path, 'utf8')];
		for (const text of everything) {
			expect(text).not.toContain('hunter2-the-secret');
			expect(text).toContain('***');
		}
	});

	it('redacts text only: a secret equal to a result or a status word (`changed`, `todo`) never changes the event or the record (issue 11 item 3)', async () => {
		const lab = tempDir();
		const redactor = new Redactor();
		for (const word of ['changed', 'todo', 'step-end', 'stdout']) {
			redactor.add(word);
		}
		const log = new RunLog(path.join(lab, '.labbox', 'logs'), 'setup', redactor);
		const step = testStep('word', tempDir(), {prints: 'the file changed'});
		const events: EngineEvent[] = [];
		await runInFolder(lab, [step], 'setup', {redactor, listeners: [event => events.push(event), event => log.event(event)]});
		await log.close();
		const checked = events.find(event => event.type === 'step-check');
		expect(checked).toMatchObject({type: 'step-check', check: {status: 'todo', changes: ['create word']}});
		expect(events.find(event => event.type === 'line')).toMatchObject({type: 'line', stream: 'stdout', text: 'the file ***'});
		expect(results(events)).toEqual({word: 'changed'});
		expect(events.at(-1)).toMatchObject({type: 'run-end', outcome: 'done', outcomes: [{id: 'word', result: 'changed'}]});
		const state = JSON.parse(readFileSync(path.join(lab, '.labbox', 'state.json'), 'utf8'));
		expect(state.steps.word.result).toBe('changed');
		expect(readFileSync(log.path, 'utf8')).toContain('[word] changed in');
	});

	it('redacts each text once: a redactor that marks what it sees marks every text of an event once', async () => {
		const lab = tempDir();
		const seen: string[] = [];
		const redactor = new (class extends Redactor {
			override redact(text: string): string {
				seen.push(text);
				return `<${text}>`;
			}
		})();
		const log = new RunLog(path.join(lab, '.labbox', 'logs'), 'setup', redactor);
		const step = testStep('once', tempDir(), {prints: 'a line'});
		const events: EngineEvent[] = [];
		await runInFolder(lab, [step], 'setup', {redactor, listeners: [event => events.push(event), event => log.event(event)]});
		await log.close();
		expect(events.find(event => event.type === 'line')).toMatchObject({text: '<a line>'});
		expect(events.find(event => event.type === 'step-end')).toMatchObject({detail: '<once written>'});
		expect(seen.filter(text => text === 'a line')).toHaveLength(1);
		expect(readFileSync(log.path, 'utf8')).toContain('[once] | <a line>');
		expect(readFileSync(log.path, 'utf8')).not.toContain('<<');
	});
});
