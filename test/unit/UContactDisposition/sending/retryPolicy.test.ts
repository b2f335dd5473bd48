import { classify } from '../../../../nodes/UContactApi/errorFacts';
import {
	retryAfterMs,
	retryDecision,
} from '../../../../nodes/UContactDisposition/sending/retryPolicy';

const http = (status: number, headers: Record<string, string> = {}) =>
	classify({ cause: { response: { status, headers } } });
const settings = { maxRetries: 3, maxDelayMs: 5000 };
const wait = (failure: ReturnType<typeof classify>, attempt: number, limits = settings) => {
	const decision = retryDecision(failure, attempt, limits);
	return decision.retry ? decision.waitMs : decision.reason;
};

describe('retryDecision', () => {
	it('retries only what certainly was not recorded', () => {
		expect([429, 503].map((status) => wait(http(status), 1))).toEqual([500, 500]);
		expect([400, 401, 404, 500, 502, 504].map((status) => wait(http(status), 1))).toEqual(
			Array(6).fill('not-safe'),
		);
		for (const code of ['ECONNREFUSED', 'EAI_AGAIN', 'EHOSTUNREACH'])
			expect(wait(classify({ code }), 1)).toBe(500);
		for (const code of ['ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED', 'ENOTFOUND', 'EPIPE'])
			expect(wait(classify({ code }), 1)).toBe('not-safe');
	});

	it('backs off exponentially, capped, and stops after the last retry', () => {
		const failure = http(503);
		expect([1, 2, 3, 4].map((attempt) => wait(failure, attempt))).toEqual([
			500,
			1000,
			2000,
			'used-up',
		]);
		expect(wait(failure, 3, { maxRetries: 5, maxDelayMs: 1500 })).toBe(1500);
		expect(wait(failure, 1, { maxRetries: 0, maxDelayMs: 1500 })).toBe('used-up');
	});

	it('honours Retry-After in seconds or as a date, within the allowed wait', () => {
		expect(wait(http(429, { 'retry-after': '2' }), 1)).toBe(2000);
		expect(retryDecision(http(429, { 'retry-after': '6' }), 1, settings)).toEqual({
			retry: false,
			reason: 'wait-too-long',
			askedMs: 6000,
		});
		expect(wait(http(429, { 'retry-after': '6' }), 4)).toBe('used-up');
		expect(wait(http(500, { 'retry-after': '6' }), 1)).toBe('not-safe');
		expect(retryAfterMs('Wed, 25 Nov 2026 10:00:03 GMT', Date.parse('2026-11-25T10:00:00Z'))).toBe(
			3000,
		);
		expect(retryAfterMs('soon')).toBeUndefined();
	});

	// Issue 9.12: "1.5" and "-1" were read by Date.parse as dates long past, so the retry came at once.
	it('waits 1.5 s for "Retry-After: 1.5" and backs off as usual for a value it cannot read', () => {
		expect(wait(http(429, { 'retry-after': '1.5' }), 1)).toBe(1500);
		expect(wait(http(503, { 'retry-after': '-1' }), 1)).toBe(500);
		expect(wait(http(503, { 'retry-after': '-1' }), 2)).toBe(1000);
		expect(retryAfterMs('-1')).toBeUndefined();
		expect(retryAfterMs('1.5')).toBe(1500);
	});

	it('retries a login that failed in passing, as long as Safe Retries allow', () => {
		for (const cause of [
			{ response: { status: 502 } },
			{ response: { status: 500 } },
			{ code: 'ECONNRESET' },
			{ code: 'ETIMEDOUT' },
		]) {
			expect(wait(classify({ cause }, 'login'), 1)).toBe(500);
			expect(wait(classify({ cause }, 'login'), 4)).toBe('used-up');
		}
		expect(wait(classify({ cause: { response: { status: 401 } } }, 'login'), 1)).toBe('not-safe');
	});
});
