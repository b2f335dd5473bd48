import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { type Behaviour } from '../support/simulator/simulator';
import { report, rssMiB, soakItems } from '../support/soakSize';
import {
	call,
	errorKindOf,
	everythingReturned,
	MAPPED,
	runDisposition,
	tokenCredentials,
} from '../support/runDisposition';
import { useSimulator } from '../support/useSimulator';

const sim = useSimulator();

async function failureOf(behaviour: Behaviour, timeout = 1000) {
	sim.reset();
	sim.setBehaviour(behaviour);
	const result = await runDisposition({
		parameters: { ...MAPPED, options: { timeout } },
		items: [call(0)],
		credentials: tokenCredentials(sim),
	});
	expect(everythingReturned(result)).not.toContain(sim.token);
	return result.error;
}

describe('faults', () => {
	it.each([
		['a connection reset before the request is read', { kind: 'reset' } as const, undefined],
		['an answer cut off mid-body', { kind: 'truncated', record: true } as const, '200'],
		[
			'an HTML error page from a proxy',
			{
				kind: 'status',
				status: 502,
				body: '<html><h1>502 Bad Gateway</h1></html>',
				contentType: 'text/html',
			} as const,
			'502',
		],
		['a 504 from a gateway', { kind: 'status', status: 504 } as const, '504'],
		['an answer slower than the timeout', { kind: 'slow', ms: 1500 } as const, undefined],
	])('reports %s as maybe recorded, without retrying it', async (_name, behaviour, httpCode) => {
		const error = await failureOf(behaviour);
		expect(errorKindOf(error)).toBe('maybe-recorded');
		expect((error as { httpCode?: string | null }).httpCode ?? undefined).toBe(httpCode);
		expect(sim.requests).toHaveLength(1);
	});

	it('quotes a huge answer only in part', async () => {
		const error = await failureOf({
			kind: 'body',
			body: `<html>${'x'.repeat(2_000_000)}</html>`,
			contentType: 'text/html',
		});
		expect(errorKindOf(error)).toBe('maybe-recorded');
		expect(error?.message.length).toBeLessThan(400);
	});

	it('retries 503 without Retry-After and 429 with one', async () => {
		sim.queue(
			{ kind: 'status', status: 503 },
			{ kind: 'status', status: 429, headers: { 'retry-after': '0' } },
		);
		const result = await runDisposition({ items: [call(0)], credentials: tokenCredentials(sim) });
		expect(result.items[0].json.success).toBe(true);
		expect(sim.requests.map((request) => request.status)).toEqual([503, 429, 200]);
	});
});

describe('expressions that resolve to other types', () => {
	it.each([
		['a number', '={{ 59899123456 }}', { value: '59899123456' }],
		['a boolean', '={{ true }}', { value: 'true' }],
		['null', '={{ null }}', { value: '' }],
		['undefined', '={{ $json.missing }}', { value: '' }],
		['a JS date', "={{ new Date('2026-12-01T18:30:00Z') }}", { value: '2026-12-01T18:30:00.000Z' }],
		[
			'an object',
			'={{ { a: 1 } }}',
			{ error: 'Extra Data 1 (d1) is an object; map a single text value to it (item 1)' },
		],
		[
			'a list',
			'={{ [1, 2] }}',
			{ error: 'Extra Data 1 (d1) is a list; map a single text value to it (item 1)' },
		],
	])('coerces or refuses %s in a text field', async (_name, expression, expected) => {
		const result = await runDisposition({
			parameters: { ...MAPPED, additionalFields: { d1: expression } },
			items: [call(0)],
			credentials: tokenCredentials(sim),
		});
		if ('error' in expected) {
			expect(result.error?.message).toBe(expected.error);
			expect(sim.requests).toHaveLength(0);
		} else {
			expect(result.error).toBeUndefined();
			expect(sim.requests[0].fields.d1).toBe(expected.value);
		}
	});

	it.each([
		['a Luxon DateTime', "={{ DateTime.fromISO('2026-12-01T18:30:00Z') }}", '2026-12-01 15:30:00'],
		['a JS Date', "={{ new Date('2026-12-01T18:30:00Z') }}", '2026-12-01 15:30:00'],
		['an ISO string with offset', '={{ "2026-12-01T15:30:00-03:00" }}', '2026-12-01 15:30:00'],
	])('takes %s as the schedule', async (_name, expression, sent) => {
		await runDisposition({
			parameters: {
				...MAPPED,
				additionalFields: { schedule: expression },
				options: { scheduleTimezone: 'America/Montevideo' },
			},
			items: [call(0)],
			credentials: tokenCredentials(sim),
		});
		expect(sim.requests[0].fields.schedule).toBe(sent);
	});

	it('refuses a number as the schedule, saying why', async () => {
		const result = await runDisposition({
			parameters: { ...MAPPED, additionalFields: { schedule: '={{ 1764603000 }}' } },
			items: [call(0)],
			credentials: tokenCredentials(sim),
		});
		expect(result.error?.message).toMatch(
			/^Schedule Callback At \(schedule\) is not usable: 1764603000 is a number, which could be seconds or milliseconds/,
		);
	});
});

describe('hostile text through n8n', () => {
	it('reaches the wire byte-exact or is refused, for any text mapped by expression', async () => {
		await fc.assert(
			fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 80 }), async (text) => {
				sim.reset();
				const result = await runDisposition({
					parameters: {
						...MAPPED,
						l2: '={{ $json.text }}',
						additionalFields: { comment: '={{ $json.text }}' },
					},
					items: [call(0, { text })],
					credentials: tokenCredentials(sim),
				});
				if (!text.isWellFormed()) {
					expect(result.error?.message).toMatch(
						/^Disposition Level 2 \(l2\) contains an invalid Unicode character/,
					);
					expect(sim.requests).toHaveLength(0);
					return;
				}
				expect(result.error).toBeUndefined();
				expect(sim.requests[0].problems).toEqual([]);
				expect(sim.requests[0].fields.comment).toBe(text.trim());
				expect(sim.requests[0].fields.l2).toBe(text.trim());
			}),
			{ numRuns: 60 },
		);
	});
});

describe(`soak: ${soakItems} items with ~5% transient faults`, () => {
	it('outputs every item in order, records no disposition twice, reports every failure', async () => {
		// One fault in twenty requests, cycling through every kind; retries take later slots.
		const faults: Behaviour[] = [
			{ kind: 'status', status: 503 },
			{ kind: 'status', status: 429, headers: { 'retry-after': '0' } },
			{ kind: 'reset' },
			{ kind: 'close', record: true },
			{ kind: 'slow', ms: 1500 },
			{ kind: 'status', status: 500 },
		];
		sim.queue(
			...Array.from(
				{ length: Math.ceil(soakItems * 1.1) },
				(_, index): Behaviour =>
					index % 20 === 19 ? faults[Math.floor(index / 20) % faults.length] : { kind: 'normal' },
			),
		);
		const items: IDataObject[] = Array.from({ length: soakItems }, (_, index) => call(index));
		const rssBefore = rssMiB();
		const started = Date.now();
		const result = await runDisposition({
			parameters: { ...MAPPED, options: { concurrency: 10, timeout: 1000, maxRetryWait: 500 } },
			items,
			credentials: tokenCredentials(sim),
			continueOnFail: true,
		});
		const seconds = (Date.now() - started) / 1000;

		expect(result.items).toHaveLength(soakItems);
		result.items.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect((item.json.disposition as IDataObject).guid).toBe(`guid-${index}`);
		});
		const recordedCount = new Map<string, number>();
		for (const request of sim.dispositions) {
			recordedCount.set(request.fields.guid, (recordedCount.get(request.fields.guid) ?? 0) + 1);
		}
		const duplicates = [...recordedCount.values()].filter((count) => count > 1).length;
		expect(duplicates).toBe(0);
		let failed = 0;
		for (const item of result.items) {
			const guid = (item.json.disposition as IDataObject).guid as string;
			if (item.json.success) expect(recordedCount.get(guid)).toBe(1);
			else {
				failed++;
				expect(['maybe-recorded', 'not-recorded']).toContain(item.json.errorKind);
			}
		}
		const faultsServed = sim.requests.filter((request) => request.status !== 200).length;
		expect(faultsServed).toBeGreaterThan(soakItems * 0.04);
		report(
			`soak: ${soakItems} items, ${sim.requests.length} requests, ${faultsServed} faults served, ` +
				`${failed} reported failed (ambiguous), ${recordedCount.size} recorded, 0 duplicates, ` +
				`${seconds.toFixed(1)} s, RSS ${rssBefore} -> ${rssMiB()} MiB`,
		);
		// A generous limit, not a speed check: a loaded 2-core machine needs several times the usual 7 s.
	}, 180_000);
});
