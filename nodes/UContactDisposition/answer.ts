/** What uContact's answer to DispositionCall means. */

export type AnswerOutcome = 'success' | 'rejected' | 'unexpected';

export interface Answer {
	outcome: AnswerOutcome;
	/** The answer as uContact sent it, trimmed and without surrounding quotes. */
	response: string;
}

function bodyText(body: unknown): string {
	if (typeof body === 'string') return body;
	if (body === undefined || body === null) return '';
	if (body instanceof Uint8Array) return new TextDecoder().decode(body);
	return JSON.stringify(body);
}

/**
 * The vendor shows `"OK"` and `"0"` with quotes; whether servers send them is unverified, so
 * both are read: trim, drop one pair of quotes, then `OK` in any case is success, `0` a rejection.
 */
export function interpretAnswer(body: unknown): Answer {
	let response = bodyText(body).trim();
	if (response.length >= 2 && response.startsWith('"') && response.endsWith('"')) {
		response = response.slice(1, -1).trim();
	}
	if (response.toUpperCase() === 'OK') return { outcome: 'success', response };
	if (response === '0') return { outcome: 'rejected', response };
	return { outcome: 'unexpected', response };
}
