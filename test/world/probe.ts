import {readFile} from 'node:fs/promises';
import {request as httpRequest} from 'node:http';
import {request as httpsRequest} from 'node:https';

/** One bounded request; the HTTP status, or 0 when nothing answered. */
function status(url: string, options: {ca?: Buffer; headers?: Record<string, string>}): Promise<number> {
	return new Promise(resolve => {
		const send = url.startsWith('https:') ? httpsRequest : httpRequest;
		const request = send(url, {...options, timeout: 3_000}, response => {
			response.resume();
			resolve(response.statusCode ?? 0);
		});
		request.on('timeout', () => request.destroy());
		request.on('error', () => resolve(0));
		request.end();
	});
}

/** HTTPS trusting only the given CA. */
export async function httpsStatus(url: string, caFile: string, headers: Record<string, string> = {}): Promise<number> {
	return status(url, {ca: await readFile(caFile), headers});
}

/** True when the server answers (any status below 500). */
export async function httpsAnswers(url: string, caFile: string): Promise<boolean> {
	const code = await httpsStatus(url, caFile);
	return code > 0 && code < 500;
}

export async function httpAnswers(url: string): Promise<boolean> {
	const code = await status(url, {});
	return code > 0 && code < 500;
}
