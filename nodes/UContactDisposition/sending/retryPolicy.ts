/**
 * Whether a failed send is tried again, and after how long. Only failures that certainly
 * recorded nothing (kind "not-recorded": a refused connection, a DNS hiccup, 429, 503, or a login
 * that failed in passing) are retried, so a retry can never record a disposition twice;
 * everything that may have recorded it (timeouts, 500, 502, 504, a connection dropped after
 * sending) is reported instead. n8n's own "Retry On Fail" re-runs the whole node; the record
 * (record/) keeps that from sending again what a try recorded.
 */
import type { Failure } from '../../UContactApi/errorFacts';

interface RetrySettings {
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

type RetryDecision =
	| { retry: true; waitMs: number }
	/**
	 * not-safe: it may have been recorded, or trying again cannot help; used-up: Safe Retries are
	 * spent; wait-too-long: the server asked for a longer wait than Max Retry Wait allows.
	 */
	| { retry: false; reason: 'not-safe' | 'used-up' | 'wait-too-long'; askedMs?: number };

/** The one retry decision, for the failure of attempt number `attempt` (1-based). */
export function retryDecision(
	failure: Failure,
	attempt: number,
	settings: RetrySettings,
): RetryDecision {
	if (failure.kind !== 'not-recorded') return { retry: false, reason: 'not-safe' };
	if (attempt > settings.maxRetries) return { retry: false, reason: 'used-up' };
	const asked = failure.retryAfter === undefined ? undefined : retryAfterMs(failure.retryAfter);
	if (asked !== undefined) {
		return asked <= settings.maxDelayMs
			? { retry: true, waitMs: asked }
			: { retry: false, reason: 'wait-too-long', askedMs: asked };
	}
	return {
		retry: true,
		waitMs: Math.min(FIRST_DELAY_MS * 2 ** (attempt - 1), settings.maxDelayMs),
	};
}
