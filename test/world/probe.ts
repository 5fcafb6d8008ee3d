import { readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

function answers(url: string, options: { ca?: Buffer }): Promise<boolean> {
	return new Promise((resolve) => {
		const send = url.startsWith('https:') ? httpsRequest : httpRequest;
		const request = send(url, { ...options, timeout: 3_000 }, (response) => {
			response.resume();
			resolve((response.statusCode ?? 500) < 500);
		});
		request.on('timeout', () => request.destroy());
		request.on('error', () => resolve(false));
		request.end();
	});
}

/** One bounded HTTPS request, trusting only the given CA; true when the server answers below 500. */
export async function httpsAnswers(url: string, caFile: string): Promise<boolean> {
	return answers(url, { ca: await readFile(caFile) });
}

export function httpAnswers(url: string): Promise<boolean> {
	return answers(url, {});
}
