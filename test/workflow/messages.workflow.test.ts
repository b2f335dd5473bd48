/**
 * Messages that must tell the truth (issue 9, items 5, 7, 8, 11 and 12): what was recorded when
 * a run stops, conflicting columns, numbers that lost digits, expressions and time zones that
 * fail, years uContact cannot store, and waits longer than allowed.
 */
import { harnessLogger } from '../support/harness';
import { call, MAPPED, runDisposition, tokenCredentials } from '../support/runDisposition';
import { useSimulator } from '../support/useSimulator';

const sim = useSimulator();
beforeEach(() => {
	harnessLogger.clear();
});

const descriptionOf = (error: unknown) =>
	(error as { description?: string } | undefined)?.description;

describe('item numbers', () => {
	// Issue 31, finding 7: "item 2" is the second item, as a person counts; n8n's own
	// itemIndex (and $itemIndex) still count from 0.
	it('names the third item "item 3", whose itemIndex n8n gives as 2', async () => {
		const result = await runDisposition({
			parameters: { ...MAPPED, l1: '={{ $itemIndex === 2 ? "" : $json.l1 }}' },
			items: [call(0), call(1), call(2)],
			credentials: tokenCredentials(sim),
		});
		expect(result.error?.message).toBe('Disposition Level 1 (l1) is required but empty (item 3)');
		expect((result.error as { context?: { itemIndex?: number } }).context?.itemIndex).toBe(2);
	});
});

describe('"other items were recorded" when a run stops', () => {
	it('counts the requests that were in flight and finished after the failure', async () => {
		// The first request to arrive gets a 500 at once; the four others answer OK later.
		const later = { kind: 'slow' as const, ms: 300 };
		sim.queue({ kind: 'status', status: 500 }, later, later, later, later);
		const result = await runDisposition({
			parameters: { ...MAPPED, options: { concurrency: 5 } },
			items: [0, 1, 2, 3, 4].map((index) => call(index)),
			credentials: tokenCredentials(sim),
		});
		expect(result.error?.message).toMatch(/\(HTTP 500\)/);
		const recorded = sim.dispositions.map((request) => request.fields.guid).sort();
		expect(recorded).toHaveLength(4);
		const description = descriptionOf(result.error) ?? '';
		expect(description).toMatch(/4 other item\(s\) of this run were recorded in uContact: /);
		for (const guid of recorded) {
			expect(description).toContain(
				`item ${Number(guid.slice('guid-'.length)) + 1} (GUID ${guid})`,
			);
		}
	});

	it('names ten of them, then says how many more', async () => {
		sim.queue(...Array.from({ length: 12 }, () => ({ kind: 'normal' as const })), {
			kind: 'status',
			status: 500,
		});
		const result = await runDisposition({
			parameters: { ...MAPPED, options: { concurrency: 1 } },
			items: Array.from({ length: 14 }, (_, index) => call(index)),
			credentials: tokenCredentials(sim),
		});
		const named = Array.from(
			{ length: 10 },
			(_, index) => `item ${index + 1} (GUID guid-${index})`,
		);
		expect(descriptionOf(result.error)).toContain(
			`12 other item(s) of this run were recorded in uContact: ${named.join(', ')} and 2 more. Do not send those again.`,
		);
	});
});

describe('Map Automatically with two columns for one field', () => {
	const auto = { mappingMode: 'autoMapInputData' };
	it('does not depend on the order of the columns', async () => {
		const base = { campaign: 'Ventas->', agent: 'jperez', guid: 'g-1', l1: 'Venta' };
		for (const item of [
			{ ...base, caller_id: '123', 'Caller ID': '' },
			{ ...base, 'Caller ID': '', caller_id: '123' },
		]) {
			sim.reset();
			const result = await runDisposition({
				parameters: auto,
				items: [item],
				credentials: tokenCredentials(sim),
			});
			expect(result.error).toBeUndefined();
			expect(sim.requests[0].fields.callerid).toBe('123');
		}
	});

	it('refuses two different values, naming both columns, and sends nothing', async () => {
		const result = await runDisposition({
			parameters: auto,
			items: [
				{
					campaign: 'Ventas->',
					agent: 'a',
					guid: 'g',
					l1: 'V',
					callerid: '222',
					'Caller ID': '111',
				},
			],
			credentials: tokenCredentials(sim),
		});
		expect(result.error?.message).toBe(
			'Caller ID (callerid) is given twice with different values: column "callerid" has "222" and column "Caller ID" has "111"; keep only one of them (item 1)',
		);
		expect(sim.requests).toHaveLength(0);
	});
});

describe('numbers that are not exact', () => {
	it.each([598991234567890123, 1e21])(
		'refuses %p for a text field: map it as text',
		async (callerid) => {
			const result = await runDisposition({
				items: [call(0, { callerid })],
				credentials: tokenCredentials(sim),
			});
			expect(result.error?.message).toMatch(
				/^Caller ID \(callerid\) is the number \S+, which a number cannot hold exactly .*; map it as text, .*\(item 1\)$/,
			);
			expect(sim.requests).toHaveLength(0);
		},
	);

	it('sends safe integers and plain decimals as written', async () => {
		await runDisposition({
			parameters: { ...MAPPED, additionalFields: { d1: '={{ $json.amount }}' } },
			items: [call(0, { callerid: 59899123456, amount: 1234.5 })],
			credentials: tokenCredentials(sim),
		});
		expect(sim.requests[0].fields).toMatchObject({ callerid: '59899123456', d1: '1234.5' });
	});
});

describe('failing expressions and time zones name what is wrong', () => {
	it('names the field whose expression does not parse', async () => {
		const field = await runDisposition({
			parameters: { ...MAPPED, callerid: '={{ $json.a. }}' },
			items: [call(0)],
			credentials: tokenCredentials(sim),
		});
		expect(field.error?.message).toMatch(
			/^Caller ID \(callerid\): its expression could not be evaluated: .+ \(item 1\)$/,
		);
		const extra = await runDisposition({
			parameters: { ...MAPPED, additionalFields: { comment: 'fine', d2: '={{ $json.a. }}' } },
			items: [call(0)],
			credentials: tokenCredentials(sim),
		});
		expect(extra.error?.message).toMatch(
			/^Extra Data 2 \(d2\): its expression could not be evaluated: .+ \(item 1\)$/,
		);
		expect(sim.requests).toHaveLength(0);
	});

	it("says the workflow's time zone is unknown when a schedule needs it", async () => {
		const withSchedule = await runDisposition({
			parameters: { ...MAPPED, additionalFields: { schedule: '2026-12-01 15:30:00' } },
			items: [call(0)],
			credentials: tokenCredentials(sim),
			timezone: 'Mars/Olympus',
		});
		expect(withSchedule.error?.message).toBe(
			'Schedule Time Zone (scheduleTimezone) is the workflow\'s time zone, "Mars/Olympus", which is not a known time zone: pick one in the workflow\'s settings (Timezone), or set Schedule Time Zone (item 1)',
		);
		expect(sim.requests).toHaveLength(0);
		// Without a schedule the zone is not used, so the item goes.
		const without = await runDisposition({
			items: [call(0)],
			credentials: tokenCredentials(sim),
			timezone: 'Mars/Olympus',
		});
		expect(without.error).toBeUndefined();
		expect(sim.requests).toHaveLength(1);
	});

	it.each([
		[
			'0999-12-31 10:00:00',
			/"0999-12-31 10:00:00" falls in the year 999; uContact takes years 1000 to 9999/,
		],
		['0050-01-01 10:00:00', /falls in the year 50;/],
		[
			'9999-12-31T23:30:00-03:00',
			/falls in the year 10000 in UTC; uContact takes years 1000 to 9999/,
		],
	])('refuses the schedule %s, saying the year is out of range', async (schedule, problem) => {
		const result = await runDisposition({
			parameters: {
				...MAPPED,
				additionalFields: { schedule },
				options: { scheduleTimezone: 'UTC' },
			},
			items: [call(0)],
			credentials: tokenCredentials(sim),
		});
		expect(result.error?.message).toMatch(/^Schedule Callback At \(schedule\) is not usable: /);
		expect(result.error?.message).toMatch(problem);
		expect(sim.requests).toHaveLength(0);
	});
});

describe('Retry-After longer than Max Retry Wait', () => {
	it('fails the item saying the wait asked for was too long', async () => {
		sim.setBehaviour({ kind: 'status', status: 503, headers: { 'retry-after': '60' } });
		const result = await runDisposition({
			parameters: { ...MAPPED, options: { maxRetryWait: 2000 } },
			items: [call(0)],
			credentials: tokenCredentials(sim),
		});
		expect(result.error?.message).toBe(
			'uContact is temporarily unavailable (HTTP 503); the disposition was not recorded; it asked to wait 60 s before a retry, longer than Max Retry Wait (2 s) (item 1)',
		);
		expect(descriptionOf(result.error)).toMatch(/^Raise Max Retry Wait/);
		expect(sim.requests).toHaveLength(1);
	});
});
