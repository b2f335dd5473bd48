/**
 * n8n's own Retry On Fail (node settings retryOnFail / maxTries / waitBetweenTries), run by
 * n8n-core's WorkflowExecute: it calls the node again for the same run, and nothing an earlier
 * try recorded is sent again.
 */
import { sleep } from 'n8n-workflow';

import { type Behaviour } from '../support/simulator/simulator';
import { call, MAPPED, runDisposition, tokenCredentials } from '../support/runDisposition';
import { useSimulator } from '../support/useSimulator';

const sim = useSimulator();

const calls = (count: number) => Array.from({ length: count }, (_, index) => call(index));
const repeat = (count: number, behaviour: Behaviour) => Array<Behaviour>(count).fill(behaviour);
const retryOnFail = (maxTries: number) => ({ retryOnFail: true, maxTries, waitBetweenTries: 10 });
const recordedGuids = () => sim.dispositions.map((request) => request.fields.guid);
const requestsFor = (guid: string) =>
	sim.requests.filter((request) => request.fields.guid === guid);

describe("n8n's Retry On Fail", () => {
	it('an outage after the 60th of 200 items: the run completes, every item recorded exactly once', async () => {
		// 60 answers, then 40 requests refused with 503 (a few tries' worth), then normal again.
		sim.queue(...repeat(60, { kind: 'normal' }), ...repeat(40, { kind: 'status', status: 503 }));
		const result = await runDisposition({
			parameters: { ...MAPPED, options: { concurrency: 10, safeRetries: 1, maxRetryWait: 10 } },
			items: calls(200),
			credentials: tokenCredentials(sim),
			nodeSettings: retryOnFail(5),
		});

		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(200);
		expect(result.items.every((item) => item.json.success === true)).toBe(true);
		expect(result.items.map((item) => item.pairedItem)).toEqual(
			Array.from({ length: 200 }, (_, item) => ({ item })),
		);
		const recorded = recordedGuids();
		expect(recorded).toHaveLength(200);
		expect(new Set(recorded).size).toBe(200);
		const skipped = result.items.filter((item) => item.json.alreadyRecorded === true);
		expect(skipped.length).toBeGreaterThanOrEqual(60);
		expect(skipped[0].json).toEqual({
			success: true,
			dryRun: false,
			alreadyRecorded: true,
			response: 'OK',
			disposition: result.items[0].json.disposition,
			request: null,
			scheduleTimezone: null,
			hint: null,
		});
		// The outage made n8n retry: every 503 was answered, and no item was sent after an OK.
		expect(sim.requests.filter((request) => request.status === 503)).toHaveLength(40);
		console.log(
			`Retry On Fail, 200 items, 40 x 503 after the 60th: ${sim.requests.length} requests, ` +
				`${recorded.length} recorded, ${recorded.length - new Set(recorded).size} duplicates, ` +
				`${skipped.length} outputs from an earlier try`,
		);
	});

	it(
		"the issue's outage: 1,000 items, 503 to everything for 6 s after the 300th disposition, the node's defaults, Retry On Fail 3 tries 5 s apart",
		async () => {
			// Measured before the attempt memory: the run completed with 300 dispositions recorded twice.
			let outage = { started: 0, ended: 0 };
			let restore: NodeJS.Timeout | undefined;
			const watch = setInterval(() => {
				if (outage.started === 0 && sim.dispositions.length >= 300) {
					outage = { started: Date.now(), ended: 0 };
					sim.setBehaviour({ kind: 'status', status: 503 });
					restore = setTimeout(() => {
						outage.ended = Date.now();
						sim.setBehaviour({ kind: 'normal' });
					}, 6000);
				}
			}, 1);
			try {
				const result = await runDisposition({
					parameters: MAPPED,
					items: calls(1000),
					credentials: tokenCredentials(sim),
					nodeSettings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 5000 },
				});
				expect(result.error).toBeUndefined();
				// The outage began and ran its full 6 s while the node was still at work.
				expect([outage.started > 0, outage.ended > 0]).toEqual([true, true]);
				expect(result.items).toHaveLength(1000);
				expect(result.items.every((item) => item.json.success === true)).toBe(true);
				const recorded = recordedGuids();
				expect(recorded).toHaveLength(1000);
				expect(new Set(recorded).size).toBe(1000);
				const refused = sim.requests.filter((request) => request.status === 503).length;
				expect(refused).toBeGreaterThan(0);
				const skipped = result.items.filter((item) => item.json.alreadyRecorded === true).length;
				expect(skipped).toBeGreaterThanOrEqual(300);
				console.log(
					`Retry On Fail, 1000 items, 503 for 6 s after the 300th (defaults, 3 tries 5 s apart): ` +
						`${sim.requests.length} requests (${refused} answered 503), ${recorded.length} recorded, ` +
						`${recorded.length - new Set(recorded).size} duplicates, ${skipped} outputs from an earlier try`,
				);
			} finally {
				clearInterval(watch);
				if (restore) clearTimeout(restore);
			}
		},
		2 * 60 * 1000,
	);

	it('an item that changed between tries is sent; an unchanged one is not', async () => {
		sim.queue({ kind: 'normal' }, { kind: 'normal' }, { kind: 'status', status: 503 });
		const items = [call(0, { stamp: true }), call(1), call(2)];
		const result = await runDisposition({
			parameters: {
				...MAPPED,
				// A time in a field makes each try's form different.
				additionalFields: { comment: "={{ $json.stamp ? 'at ' + $now.toMillis() : '' }}" },
				options: { concurrency: 1, safeRetries: 0 },
			},
			items,
			credentials: tokenCredentials(sim),
			nodeSettings: retryOnFail(2),
		});

		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.alreadyRecorded)).toEqual([false, true, false]);
		const first = requestsFor('guid-0').map((request) => request.fields.comment);
		expect(first).toHaveLength(2);
		expect(first[0]).not.toBe(first[1]);
		expect(requestsFor('guid-1')).toHaveLength(1);
		expect(requestsFor('guid-2').map((request) => request.status)).toEqual([503, 200]);
	});

	it('an item that may have been recorded is not sent again, and its message says so', async () => {
		// Item 1 is recorded but its answer is lost: the node cannot know.
		sim.queue({ kind: 'normal' }, { kind: 'close', record: true });
		const result = await runDisposition({
			parameters: { ...MAPPED, options: { concurrency: 1 } },
			items: calls(3),
			credentials: tokenCredentials(sim),
			nodeSettings: retryOnFail(3),
		});

		expect(result.error?.message).toMatch(
			/^Not sent again by Retry On Fail, because an earlier try may have recorded it: The connection to uContact at http:\/\/127\.0\.0\.1:\d+ closed before it answered; the disposition may or may not have been recorded, so check in uContact before sending it again \(item 2\)$/,
		);
		expect((result.error as { description?: string }).description).toMatch(
			/Check in uContact whether it was recorded.*Resend Uncertain Items/,
		);
		expect(sim.requests.map((request) => request.fields.guid)).toEqual(['guid-0', 'guid-1']);
		expect(recordedGuids()).toEqual(['guid-0', 'guid-1']);
	});

	it('with Resend Uncertain Items, such an item is sent again', async () => {
		sim.queue({ kind: 'normal' }, { kind: 'status', status: 500 });
		const result = await runDisposition({
			parameters: { ...MAPPED, options: { concurrency: 1, resendUncertainOnRetry: true } },
			items: calls(3),
			credentials: tokenCredentials(sim),
			nodeSettings: retryOnFail(2),
		});

		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.alreadyRecorded)).toEqual([true, false, false]);
		expect(requestsFor('guid-1').map((request) => request.status)).toEqual([500, 200]);
		expect(recordedGuids()).toEqual(['guid-0', 'guid-1', 'guid-2']);
	});

	it('On Error: Continue with a failed first item: n8n retries, and only that item is sent again', async () => {
		sim.queue({ kind: 'status', status: 503 });
		const result = await runDisposition({
			parameters: { ...MAPPED, options: { concurrency: 1, safeRetries: 0 } },
			items: calls(4),
			credentials: tokenCredentials(sim),
			continueOnFail: true,
			nodeSettings: retryOnFail(2),
		});

		expect(result.items.map((item) => item.json.success)).toEqual([true, true, true, true]);
		expect(result.items.map((item) => item.json.alreadyRecorded)).toEqual([
			false,
			true,
			true,
			true,
		]);
		expect(sim.requests.map((request) => request.fields.guid)).toEqual([
			'guid-0',
			'guid-1',
			'guid-2',
			'guid-3',
			'guid-0',
		]);
	});

	it('the node failing on its last try: nothing recorded twice, and the memory is released', async () => {
		sim.queue({ kind: 'normal' }, { kind: 'normal' });
		sim.setBehaviour({ kind: 'status', status: 503 });
		const result = await runDisposition({
			parameters: { ...MAPPED, options: { concurrency: 1, safeRetries: 0 } },
			items: calls(3),
			credentials: tokenCredentials(sim),
			nodeSettings: retryOnFail(3),
		});

		expect(result.error).toMatchObject({ httpCode: '503', context: { itemIndex: 2 } });
		expect(requestsFor('guid-2')).toHaveLength(3);
		expect(recordedGuids()).toEqual(['guid-0', 'guid-1']);
	});

	it('a last try refused before sending still releases what the earlier try remembered', async () => {
		// Try 1 records guid-0, then fails on guid-1's 503; try 2 comes after the deadline, so
		// its level expression fails while the items are checked, before anything is sent.
		sim.queue({ kind: 'normal' }, { kind: 'status', status: 503 });
		const deadline = Date.now() + 2500;
		const result = await runDisposition({
			parameters: {
				...MAPPED,
				l1: `={{ $now.toMillis() < ${deadline} ? $json.l1 : $json.missing.l1 }}`,
				options: { concurrency: 1, safeRetries: 0 },
			},
			items: calls(2),
			credentials: tokenCredentials(sim),
			nodeSettings: { retryOnFail: true, maxTries: 2, waitBetweenTries: 5000 },
		});

		expect(result.error?.message).toMatch(/Disposition Level 1|l1/);
		expect(sim.requests.map((request) => [request.fields.guid, request.status])).toEqual([
			['guid-0', 200],
			['guid-1', 503],
		]);
	}, 20_000);

	it('two executions of the same workflow: what one recorded is not an earlier try of the other', async () => {
		// The first execution has recorded items 0..9 while its 11th request hangs.
		sim.queue(...repeat(10, { kind: 'normal' }), { kind: 'slow', ms: 3000 });
		const first = runDisposition({
			parameters: { ...MAPPED, options: { concurrency: 1 } },
			items: calls(12),
			credentials: tokenCredentials(sim),
			nodeSettings: retryOnFail(2),
		});
		while (sim.requests.length < 11) await sleep(5);

		const second = await runDisposition({
			parameters: { ...MAPPED, options: { concurrency: 1 } },
			items: calls(12),
			credentials: tokenCredentials(sim),
			nodeSettings: retryOnFail(2),
		});
		expect(second.error).toBeUndefined();
		expect(second.items.some((item) => item.json.alreadyRecorded === true)).toBe(false);

		expect((await first).error).toBeUndefined();
		const guids = recordedGuids();
		expect(guids).toHaveLength(24);
		for (let index = 0; index < 12; index++) {
			expect(guids.filter((guid) => guid === `guid-${index}`)).toHaveLength(2);
		}
	});
});
