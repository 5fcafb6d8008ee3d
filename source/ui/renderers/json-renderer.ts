/** The test renderer: one JSON object per engine event (redacted), one per line; the plan as `{type: 'plan'}`. */
import {cannotAsk, shownText, type Renderer, type RendererOptions} from '../renderer.js';
import {redactDeep, redactEvent} from '../text.js';
import {LineWriter} from './line-writer.js';

export function createJsonRenderer(o: RendererOptions): Renderer {
	const redact = shownText(o);
	const out = new LineWriter(o.stdout);
	return {
		handle(event) {
			out.write(JSON.stringify(redactEvent(event, redact)));
		},
		activity(text) {
			if (text !== undefined) {
				out.write(JSON.stringify({type: 'activity', text: redact(text)}));
			}
		},
		note(text) {
			out.write(JSON.stringify({type: 'note', text: redact(text)}));
		},
		async confirmPlan(items) {
			out.write(JSON.stringify({type: 'plan', items: redactDeep(items, redact)}));
			return true;
		},
		async ask(question) {
			throw cannotAsk(question, 'the JSON output cannot ask questions');
		},
		async close() {
			await out.close();
		},
	};
}
