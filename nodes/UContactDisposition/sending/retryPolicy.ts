import { failureFacts, RESET_CODES, TIMEOUT_CODES } from '../../UContactApi/failures';

/**
 * Which failures are retried, and after how long. Only failures where the disposition was
 * certainly not recorded (connection refused, a DNS hiccup, 429, 503) are retried, so a retry
 * can never record a disposition twice; everything ambiguous (timeouts, 500, 502, 504, a
 * connection dropped after sending) is reported instead. n8n's own "Retry On Fail" re-runs
 * the whole node; attemptMemory.ts keeps that from sending again what a try recorded.
 */

export interface RetrySettings {
	/** Retries after the first attempt; 0 turns retrying off. */
	maxRetries: number;
	/** The longest wait accepted, whether from backoff or from a Retry-After header. */
	maxDelayMs: number;
}

const FIRST_DELAY_MS = 500;

/**
 * Milliseconds a Retry-After header asks for (seconds, or an HTTP date), if it parses. Seconds
 * with a fraction ("1.5") are honoured; anything else ("-1", "soon") is ignored and the usual
 * backoff applies, rather than Date.parse reading it as a date long past (a retry at once).
 */
export function retryAfterMs(header: string, now = Date.now()): number | undefined {
	const text = header.trim();
	if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
	if (!/^[a-z]{3},/i.test(text)) return undefined;
	const date = Date.parse(text);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The wait a Retry-After asks for when it is longer than allowed, the only reason to give up. */
export function retryWaitTooLong(
	error: unknown,
	retry: number,
	settings: RetrySettings,
): number | undefined {
	if (retry > settings.maxRetries || !certainlyNotRecorded(error)) return undefined;
	const { retryAfter } = failureFacts(error);
	const asked = retryAfter === undefined ? undefined : retryAfterMs(retryAfter);
	return asked !== undefined && asked > settings.maxDelayMs ? asked : undefined;
}

/** Whether the request certainly did not reach uContact's disposition logic. */
export function certainlyNotRecorded(error: unknown): boolean {
	const { status, code } = failureFacts(error);
	if (status !== undefined) return status === 429 || status === 503;
	return code === 'ECONNREFUSED' || code === 'EAI_AGAIN';
}

/**
 * Whether uContact may have recorded the disposition although the request failed: a timeout,
 * a connection dropped after sending, an answer cut off, or a server error other than 503.
 */
export function mayHaveBeenRecorded(error: unknown): boolean {
	const { status, code } = failureFacts(error);
	if (status !== undefined)
		return (status >= 200 && status < 300) || (status >= 500 && status !== 503);
	return code !== undefined && (TIMEOUT_CODES.has(code) || RESET_CODES.has(code));
}

/**
 * How long to wait before retry number `retry` (1-based), or undefined to give up: the
 * failure is ambiguous, retries are used up, or the server asks for a longer wait than allowed.
 */
export function retryDelay(
	error: unknown,
	retry: number,
	settings: RetrySettings,
): number | undefined {
	if (retry > settings.maxRetries || !certainlyNotRecorded(error)) return undefined;
	const { retryAfter } = failureFacts(error);
	const asked = retryAfter === undefined ? undefined : retryAfterMs(retryAfter);
	if (asked !== undefined) return asked <= settings.maxDelayMs ? asked : undefined;
	return Math.min(FIRST_DELAY_MS * 2 ** (retry - 1), settings.maxDelayMs);
}
