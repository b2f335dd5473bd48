/**
 * Reading an answer within its request's limits. n8n's helpers hand the answer over as a stream
 * (encoding 'stream'), so this reads it up to ANSWER_CAP_BYTES and until the request's deadline,
 * then lets go: a longer answer is never held in memory, a slow one never holds the run.
 */
import { ANSWER_CAP_BYTES } from './answerLimits';
import type { Deadline } from './deadline';
import { AnswerLimitError, classify } from './errorFacts';

/** What is used of a Node.js readable (shipped code may not import node:stream). */
interface AnswerStream {
	on(event: string, listener: (...args: unknown[]) => void): unknown;
	removeListener(event: string, listener: (...args: unknown[]) => void): unknown;
	destroy(): unknown;
	readonly destroyed?: boolean;
}

function isAnswerStream(value: unknown): value is AnswerStream {
	const candidate = value as (Partial<AnswerStream> & { pipe?: unknown }) | null;
	return (
		typeof candidate === 'object' &&
		candidate !== null &&
		typeof candidate.on === 'function' &&
		typeof candidate.pipe === 'function' &&
		typeof candidate.destroy === 'function'
	);
}

/** How reading ended: the whole answer, cut at the cap, cut at the deadline, or broken off. */
type ReadEnd = 'complete' | 'too-long' | 'timeout' | 'broken';

interface ReadAnswer {
	end: ReadEnd;
	/** What was read, as UTF-8 (at most ANSWER_CAP_BYTES of it). */
	text: string;
	/** For 'broken': the stream's error, which names the network code. */
	error?: unknown;
}

function decode(chunks: Uint8Array[]): string {
	const size = chunks.reduce((total, chunk) => total + chunk.length, 0);
	const bytes = new Uint8Array(size);
	let offset = 0;
	for (const chunk of chunks) {
		bytes.set(chunk, offset);
		offset += chunk.length;
	}
	// stream: a character the cap cut in half is left out rather than shown as U+FFFD.
	return new TextDecoder().decode(bytes, { stream: true });
}

/** An answer already held in memory, as text: what a message quotes of it. */
export function bodyText(body: unknown): string {
	if (typeof body === 'string') return body;
	if (body === undefined || body === null) return '';
	if (body instanceof Uint8Array) return new TextDecoder().decode(body);
	return JSON.stringify(body) ?? '';
}

/** An answer a helper already held in memory (a helper that ignored encoding 'stream'). */
function inMemory(body: unknown): ReadAnswer {
	const text = bodyText(body);
	const bytes = new TextEncoder().encode(text);
	if (bytes.length <= ANSWER_CAP_BYTES) return { end: 'complete', text };
	return { end: 'too-long', text: decode([bytes.subarray(0, ANSWER_CAP_BYTES)]) };
}

/** Reads an answer's body up to the cap and until the deadline; a stream cut short is destroyed. */
export async function readAnswer(body: unknown, deadline: Deadline): Promise<ReadAnswer> {
	if (!isAnswerStream(body)) return inMemory(body);
	const stream = body;
	const chunks: Uint8Array[] = [];
	let size = 0;
	return await new Promise<ReadAnswer>((resolve) => {
		const listeners: Array<[string, (...args: unknown[]) => void]> = [];
		let done = false;
		const finish = (end: ReadEnd, error?: unknown) => {
			if (done) return;
			done = true;
			for (const [event, listener] of listeners) stream.removeListener(event, listener);
			deadline.signal.removeEventListener('abort', onAbort);
			// Errors of a stream let go of must not go unhandled (n8n's client emits one on abort).
			stream.on('error', () => {});
			if (end !== 'complete') {
				// Destroyed before the request is aborted, so the client does not error it again.
				if (!stream.destroyed) stream.destroy();
				deadline.end(true);
			}
			resolve({ end, text: decode(chunks), error });
		};
		const on = (event: string, listener: (...args: unknown[]) => void) => {
			listeners.push([event, listener]);
			stream.on(event, listener);
		};
		const onAbort = () => finish(deadline.expired ? 'timeout' : 'broken', deadline.signal.reason);
		on('data', (chunk) => {
			const bytes =
				typeof chunk === 'string' ? new TextEncoder().encode(chunk) : (chunk as Uint8Array);
			const room = ANSWER_CAP_BYTES - size;
			if (bytes.length > room) {
				chunks.push(bytes.subarray(0, room));
				size += room;
				finish('too-long');
				return;
			}
			chunks.push(bytes);
			size += bytes.length;
		});
		on('end', () => finish('complete'));
		on('error', (error) => finish(deadline.expired ? 'timeout' : 'broken', error));
		// A stream closed without 'end' or 'error' was cut off all the same.
		on('close', () => finish(deadline.expired ? 'timeout' : 'broken'));
		if (deadline.signal.aborted) onAbort();
		else deadline.signal.addEventListener('abort', onAbort, { once: true });
	});
}

/** The answer of a request that was not 2xx, shaped as n8n's HTTP errors are (response.status...). */
export class UContactHttpAnswer extends Error {
	constructor(
		readonly response: { status: number; data: unknown; headers: Record<string, unknown> },
		cause?: unknown,
	) {
		super(`HTTP ${response.status}`, { cause });
		this.name = 'UContactHttpAnswer';
	}
}

export interface FullAnswer {
	status: number;
	body: unknown;
	headers: Record<string, unknown>;
}

/** The full answer n8n's helpers give (returnFullResponse / resolveWithFullResponse). */
export function fullAnswer(answer: unknown): FullAnswer {
	const full = answer as {
		statusCode?: unknown;
		body?: unknown;
		headers?: Record<string, unknown>;
	} | null;
	if (typeof full === 'object' && full !== null && 'statusCode' in full) {
		return { status: Number(full.statusCode), body: full.body, headers: full.headers ?? {} };
	}
	return { status: 200, body: answer, headers: {} };
}

/** A 2xx answer's text; one cut short is thrown as the failure it is. */
export async function successText(answer: FullAnswer, deadline: Deadline): Promise<string> {
	const read = await readAnswer(answer.body, deadline);
	if (read.end === 'complete') return read.text;
	if (read.end === 'broken') {
		throw new UContactHttpAnswer(
			{ status: answer.status, data: read.text, headers: answer.headers },
			read.error,
		);
	}
	throw new AnswerLimitError(read.end === 'too-long' ? 'size' : 'time', {
		status: answer.status,
		body: read.text,
	});
}

/**
 * A helper's failure with the answers it carries read within the limits. When the Timeout passed
 * before any answer, it is this package's timeout, whatever the client made of the abort.
 */
export async function failureOf(error: unknown, deadline: Deadline): Promise<unknown> {
	const timedOut = deadline.expired;
	await settleErrorAnswers(error, deadline);
	deadline.end(true);
	const facts = classify(error);
	return timedOut && facts.status === undefined && facts.ownMessage === undefined
		? new AnswerLimitError('time')
		: error;
}

/** Lets an answer that came after the deadline go unread. */
export function dropAnswer(answer: unknown): void {
	const body = (answer as { body?: { destroy?: unknown } } | null)?.body;
	if (typeof body?.destroy === 'function') (body as { destroy(): void }).destroy();
}

/**
 * The bodies of the answers an error carries (n8n's errors keep the client's response), read
 * within the limits and put back as text: what the messages quote, and nothing left open.
 */
async function settleErrorAnswers(error: unknown, deadline: Deadline): Promise<void> {
	const read = new Map<unknown, string>();
	let current: unknown = error;
	for (let depth = 0; depth < 6 && typeof current === 'object' && current !== null; depth++) {
		const holders = [
			(current as { response?: { data?: unknown } }).response,
			(current as { context?: { data?: unknown } }).context,
		];
		for (const holder of holders) {
			if (typeof holder !== 'object' || holder === null || !isAnswerStream(holder.data)) continue;
			if (!read.has(holder.data))
				read.set(holder.data, (await readAnswer(holder.data, deadline)).text);
			holder.data = read.get(holder.data);
		}
		current = (current as { cause?: unknown }).cause;
	}
}
