/**
 * Issue 31, finding 7: what the output says, in the words of the person reading it. Items are
 * counted from 1; a skipped repeat says how long ago it was recorded, not a raw UTC timestamp;
 * Map Automatically's refusal names the way out; Extra Data says what is known of where it shows.
 */
import { UContactDisposition } from '../../nodes/UContactDisposition/UContactDisposition.node';
import { timeAgo } from '../../nodes/UContactDisposition/output/fromRecord';
import { call, MAPPED, runDisposition, tokenCredentials } from '../support/runDisposition';
import { startSimulator, type Simulator } from '../support/simulator/simulator';

let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator();
});
afterAll(async () => await sim.close());
beforeEach(() => sim.reset());

describe('items counted from 1', () => {
	it('the second of three items, refused, is "item 2"; the others name it so too', async () => {
		const result = await runDisposition({
			parameters: { ...MAPPED, options: { concurrency: '={{ $itemIndex === 1 ? "five" : 5 }}' } },
			items: [call(0), call(1), call(2)],
			credentials: tokenCredentials(sim),
			continueOnFail: true,
		});
		expect(result.items.map((item) => item.json.error)).toEqual([
			'Not sent, because of item 2: Options > Concurrency is "five": give a whole number from 1 to 50 (item 1)',
			'Options > Concurrency is "five": give a whole number from 1 to 50 (item 2)',
			'Not sent, because of item 2: Options > Concurrency is "five": give a whole number from 1 to 50 (item 3)',
		]);
	});

	it('a repeat within one run names the first of them by its number from 1', async () => {
		const result = await runDisposition({
			parameters: { ...MAPPED, options: { skipRecorded: true, concurrency: 1 } },
			items: [call(0), call(0)],
			credentials: tokenCredentials(sim),
		});
		expect(sim.dispositions).toHaveLength(1);
		expect(result.items[1].json.hint).toBe(
			'Recorded by item 1 of this run, which is the same disposition.',
		);
	});
});

describe('a skipped repeat', () => {
	it('says how long ago another execution recorded it, not a UTC timestamp', async () => {
		const parameters = { ...MAPPED, options: { skipRecorded: true } };
		// Not call(0): the test above recorded it, in the same workflow.
		const first = await runDisposition({
			parameters,
			items: [call(7)],
			credentials: tokenCredentials(sim),
		});
		const again = await runDisposition({
			parameters,
			items: [call(7)],
			credentials: tokenCredentials(sim),
		});
		expect(again.items[0].json.hint).toBe(
			`Recorded by execution ${first.executionId}, less than a minute ago, with every key the same; not sent again (Skip Repeats).`,
		);
	});

	it.each([
		[0, 'less than a minute ago'],
		[59_999, 'less than a minute ago'],
		[60_000, '1 minute ago'],
		[3 * 60_000, '3 minutes ago'],
		[60 * 60_000, '1 hour ago'],
		[47 * 3_600_000, '47 hours ago'],
		[48 * 3_600_000, '2 days ago'],
		[30 * 86_400_000, '30 days ago'],
	])('%d ms before reads "%s"', (ms, words) => {
		expect(timeAgo(1_000_000_000_000, 1_000_000_000_000 + ms)).toBe(words);
	});
});

describe('Map Automatically without a required column', () => {
	it('names the way out: a column name, or Define Below', async () => {
		const { campaign: _campaign, ...noCampaign } = call(0);
		const result = await runDisposition({
			parameters: { mappingMode: 'autoMapInputData' },
			items: [noCampaign],
			credentials: tokenCredentials(sim),
		});
		expect(result.error?.message).toBe(
			'Campaign (campaign) was not found in the item, which has: agent, callerid, guid, l1; name a column campaign or "Campaign", or set Mapping Mode to Define Below and map the field there (item 1)',
		);
	});
});

describe('Extra Data 1 and 2', () => {
	it('say what is known of where they show in uContact', () => {
		const additional = new UContactDisposition().description.properties.find(
			(property) => property.name === 'additionalFields',
		);
		const options = (additional?.options ?? []) as Array<{ name: string; description?: string }>;
		for (const key of ['d1', 'd2']) {
			const description = options.find((option) => option.name === key)?.description ?? '';
			expect(description).toContain(`(uContact's ${key})`);
			expect(description).toContain('does not say where it shows in uContact');
		}
	});
});
