/**
 * Skip Repeats, through n8n's engine: the same data run again, or one call
 * delivered twice, records nothing twice; a changed key is sent; off by default in nodes of
 * version 1 (saved workflows), on in version 2 (new nodes). Overlapping
 * executions, other workers, renamed nodes and moved credentials: recordOnce.workflow.test.ts.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { call, MAPPED, runDisposition, tokenCredentials } from '../support/runDisposition';
import { useSimulator } from '../support/useSimulator';

const sim = useSimulator();

// Each test its own GUIDs: every run of one workflow and node shares the record.
let batch = 0;
beforeEach(() => batch++);
const calls = (count: number, extra: IDataObject = {}) =>
	Array.from({ length: count }, (_, index) =>
		call(index, { guid: `b${batch}-${index}`, ...extra }),
	);
const SKIP = {
	...MAPPED,
	additionalFields: { comment: '={{ $json.comment }}' },
	options: { skipRecorded: true },
};
const recorded = () => sim.dispositions.map((request) => request.fields.guid);

/**
 * n8n's way to change a default: a new node version. A workflow saved with version 1 keeps
 * Skip Repeats off unless it was added; a node added now is version 2, where it is on.
 */
describe("Skip Repeats' default by node version", () => {
	const ROWS: Array<[string, number, INodeParameters | undefined, number]> = [
		['version 1, not added: off, the same data twice is sent twice', 1, undefined, 6],
		['version 1, added and on: skipped', 1, { skipRecorded: true }, 3],
		['version 2, not added: on, the same data twice is sent once', 2, undefined, 3],
		['version 2, other options added but not Skip Repeats: on', 2, { concurrency: 2 }, 3],
		['version 2, added and turned off: sent twice', 2, { skipRecorded: false }, 6],
		['version 2, turned off by an expression: sent twice', 2, { skipRecorded: '={{ false }}' }, 6],
	];
	it.each(ROWS)('%s', async (_name, typeVersion, options, requests) => {
		const parameters = options === undefined ? MAPPED : { ...MAPPED, options };
		const runs = [];
		for (let run = 0; run < 2; run++)
			runs.push(
				await runDisposition({
					parameters,
					typeVersion,
					items: calls(3),
					credentials: tokenCredentials(sim),
				}),
			);
		expect(recorded()).toHaveLength(requests);
		expect(runs.flatMap((run) => run.items.map((item) => item.json.success))).toEqual(
			Array(6).fill(true),
		);
		expect(runs[1].items.map((item) => item.json.alreadyRecorded)).toEqual(
			Array(3).fill(requests === 3),
		);
	});
});

describe('Skip Repeats', () => {
	it('off (the default in version 1): running the same data again sends it again', async () => {
		await runDisposition({ items: calls(3), credentials: tokenCredentials(sim) });
		const again = await runDisposition({ items: calls(3), credentials: tokenCredentials(sim) });
		expect(again.items.map((item) => item.json.alreadyRecorded)).toEqual([false, false, false]);
		expect(recorded()).toHaveLength(6);
	});

	it('on, a manual run again: nothing is sent twice, and each item says which execution recorded it', async () => {
		const first = await runDisposition({
			parameters: SKIP,
			items: calls(5),
			credentials: tokenCredentials(sim),
		});
		expect(
			first.items.every(
				(item) => item.json.success === true && item.json.alreadyRecorded === false,
			),
		).toBe(true);
		const again = await runDisposition({
			parameters: SKIP,
			items: calls(5),
			credentials: tokenCredentials(sim),
		});
		expect(again.error).toBeUndefined();
		expect(recorded()).toHaveLength(5);
		expect(
			again.items.map((item) => [item.json.success, item.json.alreadyRecorded, item.pairedItem]),
		).toEqual([0, 1, 2, 3, 4].map((item) => [true, true, { item }]));
		expect(again.items[0].json.hint).toMatch(
			/^Recorded by execution \S+, less than a minute ago, with every key the same; not sent again \(Skip Repeats\)\.$/,
		);
	});

	it('sends an item again when any key changed (here the comment)', async () => {
		await runDisposition({
			parameters: SKIP,
			items: calls(3, { comment: 'first' }),
			credentials: tokenCredentials(sim),
		});
		const items = calls(3, { comment: 'first' });
		items[1].comment = 'called back, changed his mind';
		const again = await runDisposition({
			parameters: SKIP,
			items,
			credentials: tokenCredentials(sim),
		});
		expect(again.items.map((item) => item.json.alreadyRecorded)).toEqual([true, false, true]);
		expect(
			sim.dispositions.map((request) => [request.fields.guid, request.fields.comment]),
		).toEqual([
			[`b${batch}-0`, 'first'],
			[`b${batch}-1`, 'first'],
			[`b${batch}-2`, 'first'],
			[`b${batch}-1`, 'called back, changed his mind'],
		]);
	});

	it('a failed send is not remembered: the next run sends it', async () => {
		sim.queue({ kind: 'reject' });
		const first = await runDisposition({
			parameters: { ...SKIP, options: { ...SKIP.options, concurrency: 1 } },
			items: calls(2),
			credentials: tokenCredentials(sim),
			continueOnFail: true,
		});
		expect(first.items.map((item) => item.json.success)).toEqual([false, true]);
		const again = await runDisposition({
			parameters: SKIP,
			items: calls(2),
			credentials: tokenCredentials(sim),
		});
		expect(again.items.map((item) => item.json.alreadyRecorded)).toEqual([false, true]);
		expect(recorded()).toEqual([`b${batch}-1`, `b${batch}-0`]);
	});
});
