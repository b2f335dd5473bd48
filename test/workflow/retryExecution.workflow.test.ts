/**
 * n8n's Retry of a failed execution (the execution list's Retry, mode "retry") resumes at the
 * failed node with the same items: what the failed execution recorded is not sent again (a Retry
 * of a Retry, two at once, and an uncertain item: recordOnce.workflow.test.ts). The
 * failed run's data is saved and read back as the database would (JSON), and resumed the way
 * n8n's ExecutionService.retry does, through n8n's own engine.
 */
import { call, MAPPED, runDisposition, tokenCredentials } from '../support/runDisposition';
import { useSimulator } from '../support/useSimulator';

const sim = useSimulator();

const calls = (count: number) => Array.from({ length: count }, (_, index) => call(index));
const recordedGuids = () => sim.dispositions.map((request) => request.fields.guid);

/** uContact answers 503 to everything once `after` dispositions are recorded, until `restore()`. */
function outageAfter(after: number) {
	const watch = setInterval(() => {
		if (sim.dispositions.length >= after) sim.setBehaviour({ kind: 'status', status: 503 });
	}, 1);
	return () => {
		clearInterval(watch);
		sim.setBehaviour({ kind: 'normal' });
	};
}

const OPTIONS = { concurrency: 10, safeRetries: 1, maxRetryWait: 10 };
// Two runs of 1,000 items: seconds on a quiet machine, more than jest's 30 s beside CPU hogs.
const THOUSAND_ITEMS_MS = 240_000;

describe("n8n's Retry of a failed execution", () => {
	it(
		'an outage after the 300th of 1,000 items, longer than Safe Retries: the retry records the rest, 1,000 exactly once',
		async () => {
			const restore = outageAfter(300);
			let failed;
			try {
				failed = await runDisposition({
					parameters: { ...MAPPED, options: OPTIONS },
					items: calls(1000),
					credentials: tokenCredentials(sim),
				});
			} finally {
				restore();
			}
			expect(failed.error).toMatchObject({ httpCode: '503' });
			const firstRun = recordedGuids();
			expect(firstRun.length).toBeGreaterThanOrEqual(300);
			expect(firstRun.length).toBeLessThan(1000);
			const failedId = failed.executionId;

			const retried = await runDisposition({
				parameters: { ...MAPPED, options: OPTIONS },
				items: calls(1000),
				credentials: tokenCredentials(sim),
				retryOf: failed.run,
			});
			expect(retried.error).toBeUndefined();
			expect(retried.items).toHaveLength(1000);
			expect(retried.items.map((item) => item.pairedItem)).toEqual(
				calls(1000).map((_, item) => ({ item })),
			);
			expect(retried.items.every((item) => item.json.success === true)).toBe(true);
			const recorded = recordedGuids();
			expect(recorded).toHaveLength(1000);
			expect(new Set(recorded).size).toBe(1000);
			// The items the failed execution recorded come out as such, naming it.
			const skipped = retried.items.filter((item) => item.json.alreadyRecorded === true);
			expect(skipped).toHaveLength(firstRun.length);
			expect(
				skipped.map((item) => (item.json.disposition as { guid: string }).guid).sort(),
			).toEqual([...firstRun].sort());
			expect(skipped[0].json.hint).toMatch(
				new RegExp(
					`^Recorded by execution ${failedId}, (less than a minute|\\d+ minutes?) ago; this retry of it did not send it again\\.$`,
				),
			);
			expect(skipped[0].json.response).toBeNull();
			console.log(
				`Retry of a failed execution, 1,000 items, outage after the 300th: ${firstRun.length} recorded by the failed run, ` +
					`${recorded.length} recorded in all, ${recorded.length - new Set(recorded).size} duplicates, ${skipped.length} outputs marked alreadyRecorded`,
			);
		},
		THOUSAND_ITEMS_MS,
	);

	it('a new run of the same items is not a retry: everything is sent again', async () => {
		const parameters = { ...MAPPED, options: { ...OPTIONS, concurrency: 1 } };
		const restore = outageAfter(2);
		const first = await runDisposition({
			parameters,
			items: calls(4),
			credentials: tokenCredentials(sim),
		});
		restore();
		expect(first.error).toBeDefined();
		const again = await runDisposition({
			parameters,
			items: calls(4),
			credentials: tokenCredentials(sim),
		});
		expect(again.error).toBeUndefined();
		expect(again.items.filter((item) => item.json.alreadyRecorded === true)).toHaveLength(0);
		expect(recordedGuids()).toEqual(['guid-0', 'guid-1', 'guid-0', 'guid-1', 'guid-2', 'guid-3']);
	});
});
