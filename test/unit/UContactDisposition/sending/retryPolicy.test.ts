import {
	certainlyNotRecorded,
	mayHaveBeenRecorded,
	retryAfterMs,
	retryDelay,
	retryWaitTooLong,
} from '../../../../nodes/UContactDisposition/sending/retryPolicy';

const http = (status: number, headers: Record<string, string> = {}) => ({
	cause: { response: { status, headers } },
});
const network = (code: string) => ({ cause: { code } });
const settings = { maxRetries: 3, maxDelayMs: 5000 };

describe('retry decisions', () => {
	it('retries only what certainly was not recorded', () => {
		expect([429, 503].map((status) => certainlyNotRecorded(http(status)))).toEqual([true, true]);
		expect(
			[400, 401, 404, 500, 502, 504].map((status) => certainlyNotRecorded(http(status))),
		).toEqual(Array(6).fill(false));
		expect(certainlyNotRecorded(network('ECONNREFUSED'))).toBe(true);
		expect(certainlyNotRecorded(network('EAI_AGAIN'))).toBe(true);
		for (const code of ['ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED', 'ENOTFOUND', 'EPIPE']) {
			expect(certainlyNotRecorded(network(code))).toBe(false);
		}
	});

	it('tells what may have been recorded: timeouts, dropped connections, cut-off answers, 5xx but 503', () => {
		expect([200, 500, 502, 504].map((status) => mayHaveBeenRecorded(http(status)))).toEqual(
			Array(4).fill(true),
		);
		expect([400, 401, 404, 429, 503].map((status) => mayHaveBeenRecorded(http(status)))).toEqual(
			Array(5).fill(false),
		);
		for (const code of ['ETIMEDOUT', 'ECONNABORTED', 'ECONNRESET', 'EPIPE']) {
			expect(mayHaveBeenRecorded(network(code))).toBe(true);
		}
		for (const code of ['ECONNREFUSED', 'EAI_AGAIN', 'ENOTFOUND']) {
			expect(mayHaveBeenRecorded(network(code))).toBe(false);
		}
	});

	it('backs off exponentially, capped, and stops after the last retry', () => {
		const error = http(503);
		expect([1, 2, 3, 4].map((retry) => retryDelay(error, retry, settings))).toEqual([
			500,
			1000,
			2000,
			undefined,
		]);
		expect(retryDelay(error, 3, { maxRetries: 5, maxDelayMs: 1500 })).toBe(1500);
		expect(retryDelay(error, 1, { maxRetries: 0, maxDelayMs: 1500 })).toBeUndefined();
	});

	it('honours Retry-After in seconds or as a date, within the allowed wait', () => {
		expect(retryDelay(http(429, { 'retry-after': '2' }), 1, settings)).toBe(2000);
		expect(retryDelay(http(429, { 'retry-after': '6' }), 1, settings)).toBeUndefined();
		expect(retryAfterMs('Wed, 25 Nov 2026 10:00:03 GMT', Date.parse('2026-11-25T10:00:00Z'))).toBe(
			3000,
		);
		expect(retryAfterMs('soon')).toBeUndefined();
	});

	it('tells a Retry-After longer than allowed apart from retries used up', () => {
		expect(retryWaitTooLong(http(429, { 'retry-after': '6' }), 1, settings)).toBe(6000);
		expect(retryWaitTooLong(http(429, { 'retry-after': '2' }), 1, settings)).toBeUndefined();
		expect(retryWaitTooLong(http(429, { 'retry-after': '6' }), 4, settings)).toBeUndefined();
		expect(retryWaitTooLong(http(500, { 'retry-after': '6' }), 1, settings)).toBeUndefined();
	});

	// Issue 9.12: "1.5" and "-1" were read by Date.parse as dates long past, so the retry came at once.
	it('waits 1.5 s for "Retry-After: 1.5" and backs off as usual for a value it cannot read', () => {
		expect(retryDelay(http(429, { 'retry-after': '1.5' }), 1, settings)).toBe(1500);
		expect(retryDelay(http(503, { 'retry-after': '-1' }), 1, settings)).toBe(500);
		expect(retryDelay(http(503, { 'retry-after': '-1' }), 2, settings)).toBe(1000);
		expect(retryAfterMs('-1')).toBeUndefined();
		expect(retryAfterMs('1.5')).toBe(1500);
	});
});
