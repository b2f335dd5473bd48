/**
 * Every n8n On Error mode and run shape, as a user meets them, through n8n-core's WorkflowExecute:
 * which items come out of which output, in which order, paired to which input item.
 *
 * Loop Over Items (n8n-nodes-base's splitInBatches) is not in this harness (n8n-nodes-base is not
 * a dependency); it runs on the real n8n in test/e2e/cli.e2e.ts.
 */
import type { INodeExecutionData } from 'n8n-workflow';

import { harnessLogger, MANUAL_TRIGGER_NAME } from '../support/harness';
import {
	call,
	errorKindOf,
	MAPPED,
	runDisposition,
	tokenCredentials,
	type DispositionRun,
} from '../support/runDisposition';
import { useSimulator } from '../support/useSimulator';

const OUTPUT_KEYS = [
	'success',
	'dryRun',
	'alreadyRecorded',
	'response',
	'disposition',
	'request',
	'scheduleTimezone',
	'hint',
];

const sim = useSimulator({ campaigns: ['Ventas->'] });
beforeEach(() => {
	harnessLogger.clear();
});

/** OK, uContact "0" (unknown campaign), OK, empty Caller ID: the shape issue 9 reported. */
const fourItems = () => [
	call(0),
	call(1, { campaign: 'Unknown->' }),
	call(2),
	call(3, { callerid: '' }),
];

// One request at a time, so answers meet items in order.
const oneAtATime = { options: { concurrency: 1 } };

async function run(settings: Partial<DispositionRun>) {
	return await runDisposition({
		items: fourItems(),
		credentials: tokenCredentials(sim),
		...settings,
		parameters: { ...MAPPED, ...oneAtATime, ...settings.parameters },
	});
}

const guids = (items: INodeExecutionData[]) =>
	items.map((item) => (item.json.disposition as { guid?: string } | null)?.guid ?? null);
const pairs = (items: INodeExecutionData[]) => items.map((item) => item.pairedItem);
const sentGuids = () => sim.dispositions.map((request) => request.fields.guid);

describe('On Error: Stop Workflow (the default)', () => {
	it('stops before sending anything when an item fails the checks, naming it', async () => {
		const result = await run({});
		expect(result.error).toMatchObject({ context: { itemIndex: 3, errorKind: 'invalid-input' } });
		expect(sim.requests).toHaveLength(0);
		expect(result.outputs).toEqual([]);
	});

	it('stops at the first item uContact refuses', async () => {
		const result = await run({ items: fourItems().slice(0, 3) });
		expect(errorKindOf(result.error)).toBe('rejected');
		expect(result.error).toMatchObject({ context: { itemIndex: 1 } });
		// No new request starts after the failure.
		expect(sim.requests.map((request) => request.fields.guid)).toEqual(['guid-0', 'guid-1']);
		expect(result.outputs).toEqual([]);
	});
});

describe('On Error: Continue (regular output)', () => {
	it('keeps every item on the one output, in order, paired, with the same keys', async () => {
		const result = await run({ nodeSettings: { onError: 'continueRegularOutput' } });
		expect(result.error).toBeUndefined();
		expect(result.outputs).toHaveLength(1);
		const [main] = result.outputs;
		expect(main.map((item) => item.json.success)).toEqual([true, false, true, false]);
		expect(pairs(main)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
		expect(guids(main)).toEqual(['guid-0', 'guid-1', 'guid-2', null]);
		for (const item of main) {
			// `error` only on failed items: n8n 1.x reads any `error` key on the first item as a failed run.
			const keys =
				item.json.success === true ? OUTPUT_KEYS : [...OUTPUT_KEYS, 'error', 'errorKind'];
			expect(Object.keys(item.json).sort()).toEqual([...keys].sort());
			// Nothing marks the item for n8n's error output in this mode.
			expect(item.error).toBeUndefined();
		}
		// A failed item carries its explanation as data, not only in the stop message.
		expect(main[1].json).toMatchObject({
			success: false,
			response: null,
			error: expect.stringMatching(/\(item 2\)$/),
			errorKind: 'rejected',
			hint: expect.any(String),
		});
		expect(main[3].json).toMatchObject({
			error: expect.stringMatching(/\(item 4\)$/),
			errorKind: 'invalid-input',
			hint: expect.any(String),
			disposition: null,
		});
		expect(main[0].json).toMatchObject({ success: true, response: 'OK', hint: null });
		// n8n 1.x reads any `error` key on the first item, even null, as a failed run.
		expect(main[0].json).not.toHaveProperty('error');
		expect(sentGuids()).toEqual(['guid-0', 'guid-2']);
	});
});

describe('On Error: Continue (using error output)', () => {
	it('sends the failed items down the error output and the rest down the success output', async () => {
		const result = await run({ nodeSettings: { onError: 'continueErrorOutput' } });
		expect(result.error).toBeUndefined();
		expect(result.outputs).toHaveLength(2);
		const [success, failed] = result.outputs;
		expect(guids(success)).toEqual(['guid-0', 'guid-2']);
		expect(pairs(success)).toEqual([{ item: 0 }, { item: 2 }]);
		expect(success.map((item) => item.json.success)).toEqual([true, true]);

		expect(pairs(failed)).toEqual([{ item: 1 }, { item: 3 }]);
		// n8n keeps `error` and `message` of an error item and adds the input item's fields; the
		// message is what to do (the description), not the error again.
		expect(failed.map((item) => item.json)).toEqual([
			{
				...call(1, { campaign: 'Unknown->' }),
				error: expect.stringMatching(/\(item 2\)$/),
				message: expect.stringMatching(/^Usual causes: /),
			},
			{
				...call(3, { callerid: '' }),
				error: expect.stringMatching(/\(item 4\)$/),
				message: 'Nothing was sent to uContact.',
			},
		]);
		expect(sentGuids()).toEqual(['guid-0', 'guid-2']);
	});

	it('sends every item down the error output when the credential is refused', async () => {
		const result = await run({
			items: [call(0), call(1)],
			credentials: tokenCredentials(sim, { token: 'wrong-token' }),
			nodeSettings: { onError: 'continueErrorOutput' },
		});
		const [success, failed] = result.outputs;
		expect(success).toEqual([]);
		expect(pairs(failed)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(failed[1].json.error).toMatch(/^Not sent: uContact refused the credentials/);
	});

	it('leaves the error output empty when everything is recorded', async () => {
		const result = await run({
			items: [call(0), call(1)],
			nodeSettings: { onError: 'continueErrorOutput' },
		});
		expect(pairs(result.outputs[0])).toEqual([{ item: 0 }, { item: 1 }]);
		expect(result.outputs[1]).toEqual([]);
	});
});

describe('Dry Run with the error output', () => {
	it('keeps dry-run items on the success output, saying they were not sent', async () => {
		const result = await run({
			items: [call(0), call(1, { callerid: '' })],
			parameters: { options: { concurrency: 1, dryRun: true } },
			nodeSettings: { onError: 'continueErrorOutput' },
		});
		expect(sim.requests).toHaveLength(0);
		expect(result.outputs[0].map((item) => [item.json.success, item.json.dryRun])).toEqual([
			[false, true],
		]);
		expect(pairs(result.outputs[1])).toEqual([{ item: 1 }]);
	});
});

describe('Retry On Fail (n8n re-runs the whole node)', () => {
	it('re-runs the node without sending again what an earlier try recorded or may have', async () => {
		sim.queue({ kind: 'normal' }, { kind: 'status', status: 500 });
		const result = await run({
			items: [call(0), call(1)],
			nodeSettings: { retryOnFail: true, maxTries: 2, waitBetweenTries: 0 },
		});
		// Item 1's 500 may have recorded it, so the re-run refuses to send it again (issue 11).
		expect(errorKindOf(result.error)).toBe('maybe-recorded');
		expect(result.error).toMatchObject({ httpCode: '500', context: { itemIndex: 1 } });
		expect(sim.requests).toHaveLength(2);
		expect(sentGuids()).toEqual(['guid-0']);
	});

	it('with the error output, a failed item is an output, not a node failure: no re-run', async () => {
		const result = await run({
			items: [call(0), call(1, { campaign: 'Unknown->' })],
			nodeSettings: {
				retryOnFail: true,
				maxTries: 3,
				waitBetweenTries: 0,
				onError: 'continueErrorOutput',
			},
		});
		expect(pairs(result.outputs[0])).toEqual([{ item: 0 }]);
		expect(pairs(result.outputs[1])).toEqual([{ item: 1 }]);
		expect(sim.requests).toHaveLength(2);
	});

	// n8n re-runs a node whose first output item holds `json.error`, error output or not
	// (WorkflowExecute's checkFailure reads it before the error output is split off). That is
	// n8n's rule, and the node keeps it: a refusal recorded nothing, so sending it again is no
	// duplicate, and a first item that failed for a passing reason may pass on the next try.
	// What an earlier try recorded is not sent again.
	it('with the error output and the first item refused, n8n re-runs the node: the refusal is sent on each try, the recorded item once', async () => {
		const result = await run({
			items: [call(0, { campaign: 'Unknown->' }), call(1)],
			nodeSettings: {
				retryOnFail: true,
				maxTries: 3,
				waitBetweenTries: 0,
				onError: 'continueErrorOutput',
			},
		});
		expect(result.error).toBeUndefined();
		expect(sim.requests.map((request) => [request.fields.guid, request.answer])).toEqual([
			['guid-0', '"0"'],
			['guid-1', '"OK"'],
			['guid-0', '"0"'],
			['guid-0', '"0"'],
		]);
		expect(sentGuids()).toEqual(['guid-1']);
		expect(pairs(result.outputs[0])).toEqual([{ item: 1 }]);
		expect(result.outputs[0][0].json).toMatchObject({
			success: true,
			alreadyRecorded: true,
			response: 'OK',
		});
		expect(pairs(result.outputs[1])).toEqual([{ item: 0 }]);
		expect(result.outputs[1][0].json).toMatchObject({
			guid: 'guid-0',
			error: expect.stringMatching(/\(item 1\)$/),
		});
	});
});

describe('Execute Once', () => {
	it('sends only the first item, and outputs one item paired to it', async () => {
		const result = await run({
			items: [call(0), call(1), call(2)],
			nodeSettings: { executeOnce: true, onError: 'continueErrorOutput' },
		});
		expect(sentGuids()).toEqual(['guid-0']);
		expect(pairs(result.outputs[0])).toEqual([{ item: 0 }]);
		expect(result.outputs[1]).toEqual([]);
	});
});

describe('pinned data', () => {
	it('sends the items pinned on the trigger', async () => {
		const pinned = [call(7), call(8, { campaign: 'Unknown->' })].map((json) => ({ json }));
		const result = await run({
			items: [call(0)],
			pinData: { [MANUAL_TRIGGER_NAME]: pinned },
			nodeSettings: { onError: 'continueErrorOutput' },
		});
		expect(guids(result.outputs[0])).toEqual(['guid-7']);
		expect(result.outputs[1].map((item) => item.json.guid)).toEqual(['guid-8']);
		expect(pairs(result.outputs[1])).toEqual([{ item: 1 }]);
		expect(sim.requests.map((request) => request.fields.guid)).toEqual(['guid-7', 'guid-8']);
	});

	it('sends nothing when the node itself is pinned: n8n outputs the pinned items', async () => {
		const pinned = [{ json: { success: true, pinned: 'yes' } }];
		const result = await run({
			items: [call(0)],
			pinData: { 'uContact Disposition': pinned },
			nodeSettings: { onError: 'continueErrorOutput' },
		});
		expect(sim.requests).toHaveLength(0);
		expect(result.items.map((item) => item.json)).toEqual([{ success: true, pinned: 'yes' }]);
	});
});

describe('0 items', () => {
	it('sends nothing and fails nothing', async () => {
		const result = await run({ items: [], nodeSettings: { onError: 'continueErrorOutput' } });
		expect(result.error).toBeUndefined();
		expect(sim.requests).toHaveLength(0);
		expect(result.outputs.flat()).toEqual([]);
	});
});

describe('binary items', () => {
	it('routes items carrying files like any other; the file never goes to uContact', async () => {
		const file = {
			data: Buffer.from('RIFF fake call recording').toString('base64'),
			mimeType: 'audio/wav',
			fileName: 'call.wav',
		};
		const result = await run({
			items: [call(0), call(1, { campaign: 'Unknown->' })],
			inputBinary: [{ recording: file }, { recording: file }],
			nodeSettings: { onError: 'continueErrorOutput' },
		});
		expect(pairs(result.outputs[0])).toEqual([{ item: 0 }]);
		expect(pairs(result.outputs[1])).toEqual([{ item: 1 }]);
		for (const request of sim.requests) {
			expect(request.problems).toEqual([]);
			expect(request.rawBody).not.toContain(file.data);
		}
	});
});
