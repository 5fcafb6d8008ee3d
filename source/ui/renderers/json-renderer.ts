/** The test renderer: one JSON object per engine event (redacted by the engine), one per line; the plan as `{type: 'plan'}`. */
import {mapEventText} from '../../engine/event-text.js';
import {cannotAsk, hintedPlanItem, shownText, type Renderer, type RendererOptions} from '../renderer.js';
import {LineWriter} from './line-writer.js';

export function createJsonRenderer(o: RendererOptions): Renderer {
	const redact = shownText(o);
	const hints = o.hints ?? ((s: string) => s);
	const out = new LineWriter(o.stdout);
	return {
		handle(event) {
			out.write(JSON.stringify(mapEventText(event, hints)));
		},
		activity(text) {
			if (text !== undefined) {
				out.write(JSON.stringify({type: 'activity', text: hints(text)}));
			}
		},
		note(text) {
			out.write(JSON.stringify({type: 'note', text: redact(text)}));
		},
		async confirmPlan(items) {
			out.write(JSON.stringify({type: 'plan', items: items.map(item => hintedPlanItem(item, o.hints))}));
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
