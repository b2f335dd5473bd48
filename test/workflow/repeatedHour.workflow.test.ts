/**
 * The hour the clocks repeat, through n8n's WorkflowExecute (issue 29): a schedule there is sent
 * as written and its output item's hint says it means two instants an hour apart, in a real send
 * and in a Dry Run alike; other schedules carry no such hint, and a skipped hour is refused.
 */
import { call, MAPPED, runDisposition, tokenCredentials } from '../support/runDisposition';
import { useSimulator } from '../support/useSimulator';

const sim = useSimulator();

const PARAMETERS = { ...MAPPED, additionalFields: { schedule: '={{ $json.schedule }}' } };
const DRY_RUN_HINT =
	'Dry run: nothing was sent to uContact. "disposition" holds the values "request.body" encodes.';
const TWICE = (schedule: string, zone: string) =>
	new RegExp(
		`Schedule Callback At "${schedule}" happens twice in ${zone.replace('/', '\\/')}: .* uContact receives only the wall time and may call back at either\\.`,
	);

interface Row {
	/** The item's schedule, as the expression gives it. */
	schedule: string;
	/** The Schedule Time Zone option; the workflow's zone (America/New_York) when absent. */
	zone?: string;
	sent: string;
	/** The zone the hint names, when there is one. */
	twiceIn?: string;
}

const ROWS: Array<[string, Row]> = [
	[
		'01:30 on the night New York falls back',
		{ schedule: '2026-11-01 01:30:00', sent: '2026-11-01 01:30:00', twiceIn: 'America/New_York' },
	],
	[
		'02:30 on the night Madrid falls back',
		{
			schedule: '2026-10-25 02:30:00',
			zone: 'Europe/Madrid',
			sent: '2026-10-25 02:30:00',
			twiceIn: 'Europe/Madrid',
		},
	],
	[
		'an instant that lands on the repeated hour (06:30Z is the second 01:30 in New York)',
		{ schedule: '2026-11-01T06:30:00Z', sent: '2026-11-01 01:30:00', twiceIn: 'America/New_York' },
	],
	[
		'02:00 that night in New York, after the repeat',
		{ schedule: '2026-11-01 02:00:00', sent: '2026-11-01 02:00:00' },
	],
	['an ordinary afternoon', { schedule: '2026-12-01 15:30:00', sent: '2026-12-01 15:30:00' }],
	[
		'01:30 that night in Montevideo, which keeps one offset',
		{ schedule: '2026-11-01 01:30:00', zone: 'America/Montevideo', sent: '2026-11-01 01:30:00' },
	],
];

describe.each(ROWS)('%s', (_name, row) => {
	const options = row.zone === undefined ? {} : { scheduleTimezone: row.zone };

	it('is sent as written; the output item says whether it means two instants', async () => {
		const result = await runDisposition({
			parameters: { ...PARAMETERS, options },
			items: [call(0, { schedule: row.schedule })],
			credentials: tokenCredentials(sim),
			timezone: 'America/New_York',
		});
		expect(result.error).toBeUndefined();
		expect(sim.requests.map((request) => request.fields.schedule)).toEqual([row.sent]);
		const json = result.items[0].json;
		expect(json).toMatchObject({ success: true, scheduleTimezone: row.zone ?? 'America/New_York' });
		if (row.twiceIn === undefined) expect(json.hint).toBeNull();
		else expect(json.hint).toMatch(new RegExp(`^${TWICE(row.sent, row.twiceIn).source}`));
	});

	it('the Dry Run says the same, after its own hint', async () => {
		const result = await runDisposition({
			parameters: { ...PARAMETERS, options: { ...options, dryRun: true } },
			items: [call(0, { schedule: row.schedule })],
			credentials: tokenCredentials(sim),
			timezone: 'America/New_York',
		});
		expect(result.error).toBeUndefined();
		expect(sim.requests).toEqual([]);
		const json = result.items[0].json;
		expect(json).toMatchObject({ dryRun: true, disposition: { schedule: row.sent } });
		if (row.twiceIn === undefined) expect(json.hint).toBe(DRY_RUN_HINT);
		else {
			expect(json.hint).toMatch(
				new RegExp(`^${DRY_RUN_HINT.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} `),
			);
			expect(json.hint).toMatch(TWICE(row.sent, row.twiceIn));
		}
	});
});

it('a failed item keeps its own hint first, then the schedule note', async () => {
	const result = await runDisposition({
		parameters: { ...PARAMETERS, options: { safeRetries: 0 } },
		items: [call(0, { schedule: '2026-11-01 01:30:00' })],
		credentials: { ...tokenCredentials(sim), token: 'not-the-token' },
		continueOnFail: true,
		timezone: 'America/New_York',
	});
	const json = result.items[0].json;
	expect(json).toMatchObject({ success: false, errorKind: 'refused' });
	expect(json.hint).toMatch(
		/^Check the token in the uContact credential\. Schedule Callback At "2026-11-01 01:30:00" happens twice/,
	);
});

it('a time the clocks skip is still refused, and nothing is sent', async () => {
	const result = await runDisposition({
		parameters: { ...PARAMETERS, options: { dryRun: true } },
		items: [call(0, { schedule: '2026-03-08 02:30:00' })],
		credentials: tokenCredentials(sim),
		timezone: 'America/New_York',
	});
	expect(result.error?.message).toMatch(
		/"2026-03-08 02:30:00" does not exist in America\/New_York: the clocks skip that hour/,
	);
	expect(sim.requests).toEqual([]);
});
