import {
	call,
	errorKindOf,
	MAPPED,
	runDisposition,
	tokenCredentials,
} from '../support/runDisposition';
import { useSimulator } from '../support/useSimulator';

const sim = useSimulator();

const calls = (count: number) => Array.from({ length: count }, (_, index) => call(index));
const requestsFor = (guid: string) =>
	sim.requests.filter((request) => request.fields.guid === guid);

describe('safe retries', () => {
	it('retries a 503 after the Retry-After it asks for, and records the disposition once', async () => {
		sim.queue({ kind: 'status', status: 503, headers: { 'retry-after': '1' } });
		const result = await runDisposition({ items: [call(0)], credentials: tokenCredentials(sim) });
		expect(result.items[0].json).toMatchObject({ success: true, response: 'OK' });
		expect(requestsFor('guid-0').map((request) => request.status)).toEqual([503, 200]);
		expect(sim.dispositions).toHaveLength(1);
	});

	it('retries a 429 with backoff until the retries are used up, then says how often it tried', async () => {
		sim.setBehaviour({ kind: 'status', status: 429 });
		const result = await runDisposition({
			parameters: { ...MAPPED, options: { safeRetries: 2 } },
			items: [call(0)],
			credentials: tokenCredentials(sim),
		});
		expect(result.error?.message).toBe(
			'uContact is limiting requests (HTTP 429); the disposition was not recorded (after 3 attempts) (item 1)',
		);
		expect(sim.requests).toHaveLength(3);
	});

	it('does not wait longer than allowed: a far Retry-After fails the item at once', async () => {
		sim.setBehaviour({ kind: 'status', status: 503, headers: { 'retry-after': '120' } });
		const result = await runDisposition({ items: [call(0)], credentials: tokenCredentials(sim) });
		expect(result.error).toMatchObject({ httpCode: '503' });
		expect(errorKindOf(result.error)).toBe('not-recorded');
		expect(sim.requests).toHaveLength(1);
	});

	it.each([
		['a server error', { kind: 'status', status: 500 } as const],
		['a gateway timeout', { kind: 'status', status: 504 } as const],
		['a dropped connection after recording', { kind: 'close', record: true } as const],
	])('never retries %s, which may have been recorded', async (_name, behaviour) => {
		sim.setBehaviour(behaviour);
		const result = await runDisposition({ items: [call(0)], credentials: tokenCredentials(sim) });
		expect(errorKindOf(result.error)).toBe('maybe-recorded');
		expect(sim.requests).toHaveLength(1);
	});

	it('can be turned off', async () => {
		sim.queue({ kind: 'status', status: 503 });
		const result = await runDisposition({
			parameters: { ...MAPPED, options: { safeRetries: 0 } },
			items: [call(0)],
			credentials: tokenCredentials(sim),
		});
		expect(result.error).toMatchObject({ httpCode: '503' });
		expect(sim.requests).toHaveLength(1);
	});

	it('completes a run where every 20th request is refused with 503, with no duplicates', async () => {
		const items = calls(200);
		sim.queue(
			...Array.from({ length: 220 }, (_, index) =>
				index % 20 === 19
					? ({ kind: 'status', status: 503 } as const)
					: ({ kind: 'normal' } as const),
			),
		);
		const result = await runDisposition({
			parameters: { ...MAPPED, options: { concurrency: 10, maxRetryWait: 1000 } },
			items,
			credentials: tokenCredentials(sim),
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.success)).toEqual(Array(200).fill(true));
		const recorded = sim.dispositions.map((request) => request.fields.guid);
		expect(recorded).toHaveLength(200);
		expect(new Set(recorded).size).toBe(200);
		expect(sim.requests.filter((request) => request.status === 503).length).toBeGreaterThanOrEqual(
			10,
		);
	});
});
