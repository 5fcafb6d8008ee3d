import {readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {Redactor} from '../../../source/engine/redact.js';
import {RunLog} from '../../../source/engine/run-log.js';
import {tempDir} from '../../helpers/lab-folder.js';

/** The log's lines without their time stamps. */
const logLines = (log: RunLog) =>
	readFileSync(log.path, 'utf8')
		.trimEnd()
		.split('\n')
		.map(line => line.replace(/^\S+ \+\s*[\d.]+s /, ''));

describe('RunLog', () => {
	it("redacts a round trip's output lines together, each line kept and timed, in order with the events (issue 11, speed)", async () => {
		const texts: string[] = [];
		const redactor = new (class extends Redactor {
			override redact(text: string): string {
				texts.push(text);
				return super.redact(text);
			}
		})();
		redactor.add('hunter2-the-secret');
		const log = new RunLog(path.join(tempDir(), 'logs'), 'setup', redactor);
		const output = Array.from({length: 600}, (_, index) => `[connect] | line ${index}${index === 300 ? ' hunter2-the-secret' : ''}`);
		for (const line of output) {
			log.write(line);
		}
		log.event({type: 'step-start', id: 'ssh-port'});
		log.write('[ssh-port] after');
		await log.close();
		// One redaction for the 600 lines of the tick (it was one per line), one for the line after the event.
		expect(texts).toHaveLength(2);
		const lines = logLines(log);
		expect(lines).toHaveLength(602);
		expect(lines[300]).toBe('[connect] | line 300 ***');
		expect(lines[599]).toBe('[connect] | line 599');
		expect(lines.slice(600)).toEqual(['[ssh-port] start', '[ssh-port] after']);
		expect(readFileSync(log.path, 'utf8')).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z \+\s+\d+\.\d{3}s \[connect\] \| line 0$/m);
	});

	it('hides a private key that a command prints line by line, not only its first line', async () => {
		const log = new RunLog(path.join(tempDir(), 'logs'), 'setup', new Redactor());
		for (const line of [
			'-----BEGIN OPENSSH PRIVATE KEY-----',
			'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ',
			'-----END OPENSSH PRIVATE KEY-----',
			'done',
		]) {
			log.write(`[certificate] | ${line}`);
		}
		await log.close();
		const text = readFileSync(log.path, 'utf8');
		expect(text).not.toContain('b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ');
		expect(logLines(log)).toEqual(['[certificate] | ***', '[certificate] | done']);
	});
});
