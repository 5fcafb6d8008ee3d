// Issue 10 item 21: the name a screen shows for a step holds the id the user types (`labbox run stack`).
import {describe, expect, it} from 'vitest';
import {steps} from '../../steps/index.js';
import {stepName} from '../../source/ui/text.js';

describe('stepName', () => {
	it.each(steps.map(step => [step.id, step]))('names %s with its id', (id, step) => {
		expect(
			stepName(step)
				.toLowerCase()
				.split(/[^a-z0-9-]+/),
		).toContain(id);
	});

	it('adds the id only where the title does not say it', () => {
		expect(steps.map(stepName)).toEqual([
			'Connect to the server',
			'SSH port (ssh-port)',
			'Docker',
			"The lab's name (dns)",
			'Certificate',
			'Lab folders (homes)',
			'Images',
			'Lab (stack)',
			'Backup',
		]);
	});
});
