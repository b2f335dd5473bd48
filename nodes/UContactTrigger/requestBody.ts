/**
 * The event in a request, or the answer refusing it. n8n has already read the body (up to its
 * N8N_PAYLOAD_SIZE_MAX, 16 MiB by default) and, for `Content-Type: application/json`, refused
 * malformed JSON itself (422) before the node runs; any other type reaches the node unparsed, so
 * the raw bytes are parsed here whatever the type, since uContact's Content-Type is not documented.
 */
import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import type { Refusal } from './callerCheck';

/** uContact's events are a few hundred bytes; anything this big is not one. */
export const MAX_BODY_BYTES = 64 * 1024;

const isObject = (value: unknown): value is IDataObject =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

const NOT_AN_OBJECT: Refusal = {
	status: 400,
	message: 'The body must be a JSON object with an "event", as uContact sends',
};

async function rawBody(context: IWebhookFunctions): Promise<Buffer | undefined> {
	const request = context.getRequestObject();
	if (!Buffer.isBuffer(request.rawBody) && typeof request.readRawBody === 'function') {
		try {
			await request.readRawBody();
		} catch {
			// A body n8n already consumed (multipart) or a broken stream: no raw bytes to read.
			return undefined;
		}
	}
	return Buffer.isBuffer(request.rawBody) ? request.rawBody : undefined;
}

export async function readEvent(
	context: IWebhookFunctions,
): Promise<{ body: IDataObject } | { refusal: Refusal }> {
	const raw = await rawBody(context);
	if (raw === undefined) {
		const parsed: unknown = context.getBodyData();
		return isObject(parsed) && typeof parsed.event === 'string' && parsed.event.trim() !== ''
			? { body: parsed }
			: { refusal: NOT_AN_OBJECT };
	}
	if (raw.length > MAX_BODY_BYTES) {
		return {
			refusal: {
				status: 413,
				message: `The body has ${raw.length} bytes; the uContact Trigger takes at most ${MAX_BODY_BYTES}`,
			},
		};
	}
	let parsed: unknown;
	try {
		parsed = JSON.parse(raw.toString('utf8').replace(/^\uFEFF/, ''));
	} catch {
		return { refusal: { status: 400, message: 'The body is not JSON' } };
	}
	if (!isObject(parsed)) return { refusal: NOT_AN_OBJECT };
	if (typeof parsed.event !== 'string' || parsed.event.trim() === '') {
		return { refusal: { status: 400, message: 'The body has no "event" name' } };
	}
	return { body: parsed };
}
