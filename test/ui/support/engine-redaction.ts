/**
 * What the engine hands the renderers: every event after its one redaction pass (issue 11 item 3), and plans made
 * of those events. Renderers show events as given; these tests put the engine's pass in front, as the CLI does.
 */
import {mapCheckText} from '../../../source/engine/event-text.js';
import {Redactor} from '../../../source/engine/redact.js';
import type {EngineEvent} from '../../../source/engine/types.js';
import type {PlanItem} from '../../../source/ui/renderer.js';

/** The engine's redactor for these tests: `secrets` (default: hunter22) become `***`. */
export function engineRedaction(...secrets: string[]) {
	const redactor = new Redactor();
	for (const secret of secrets.length > 0 ? secrets : ['hunter22']) {
		redactor.add(secret);
	}
	return {
		/** An event as the runner emits it. */
		emitted: (event: EngineEvent) => redactor.redactEvent(event),
		/** A plan item as the CLI makes it from the emitted step-check event. */
		planned: (item: PlanItem): PlanItem => ({...item, check: mapCheckText(item.check, text => redactor.redact(text))}),
		/** A text as the engine redacts it (an activity: a detail event's text). */
		text: (text: string) => redactor.redact(text),
	};
}

/** The redaction of the UI tests' secret, hunter22. */
export const asEngine = engineRedaction();
