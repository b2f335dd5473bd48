/**
 * Map Automatically on webhook payloads (nodes/UContactDisposition/input/autoMap.ts
 * autoMapItem): the Input Field Path, and the "not found" message that lists what the item
 * has. Through WorkflowExecute against the simulator, so what uContact receives is checked too.
 */
import type { IDataObject } from 'n8n-workflow';

import { harnessLogger } from '../support/harness';
import { call, runDisposition, tokenCredentials } from '../support/runDisposition';
import { useSimulator } from '../support/useSimulator';

const sim = useSimulator();
beforeEach(() => {
	harnessLogger.clear();
});

/** What n8n's Webhook node gives for a POSTed call-end payload. */
const webhookItem = (index: number): IDataObject => ({
	headers: { 'content-type': 'application/json' },
	params: {},
	query: {},
	body: call(index),
});

const AUTO = { mappingMode: 'autoMapInputData' };

describe('Map Automatically: Input Field Path', () => {
	it('"body" takes the fields from the Webhook payload and sends them', async () => {
		const result = await runDisposition({
			parameters: { ...AUTO, inputFieldPath: 'body' },
			items: [webhookItem(0), webhookItem(1)],
			credentials: tokenCredentials(sim),
		});
		expect(result.items.map((item) => item.json.success)).toEqual([true, true]);
		expect(sim.requests.map((request) => request.fields.guid)).toEqual(['guid-0', 'guid-1']);
		expect(sim.requests[0].fields).toMatchObject({ campaign: 'Ventas->', callerid: '59899120000' });
	});

	it('a nested path, and an expression per item', async () => {
		const result = await runDisposition({
			parameters: { ...AUTO, inputFieldPath: '={{ $json.where }}' },
			items: [
				{ where: 'body.call', body: { call: call(7) } },
				{ where: '', ...call(8) },
			],
			credentials: tokenCredentials(sim),
		});
		expect(result.items.map((item) => item.json.success)).toEqual([true, true]);
		expect(sim.requests.map((request) => request.fields.guid)).toEqual(['guid-7', 'guid-8']);
	});

	it('without the path, a Webhook item fails before sending: not found, with its keys and the fix', async () => {
		const result = await runDisposition({
			parameters: AUTO,
			items: [webhookItem(0)],
			credentials: tokenCredentials(sim),
		});
		expect(result.error?.message).toBe(
			'Campaign (campaign) was not found in the item, which has: headers, params, query, body; set Input Field Path to "body" (item 1)',
		);
		expect(sim.requests).toHaveLength(0);
	});

	it('a path the item lacks, or that is not an object, names the item; with Continue the others are sent', async () => {
		const result = await runDisposition({
			parameters: { ...AUTO, inputFieldPath: 'body' },
			items: [webhookItem(0), { payload: call(1) }, { body: 'text' }, webhookItem(3)],
			credentials: tokenCredentials(sim),
			continueOnFail: true,
		});
		expect(result.items.map((item) => item.json.success)).toEqual([true, false, false, true]);
		expect(result.items.map((item) => item.pairedItem)).toEqual(
			[0, 1, 2, 3].map((item) => ({ item })),
		);
		expect(result.items[1].json.error).toBe(
			'Input Field Path (inputFieldPath) "body" was not found: the item has no "body"; the item has: payload (item 2)',
		);
		expect(result.items[2].json.error).toBe(
			'Input Field Path (inputFieldPath) "body" is not an object in this item (it is string) (item 3)',
		);
		expect(sim.requests.map((request) => request.fields.guid)).toEqual(['guid-0', 'guid-3']);
	});

	it('a present but empty required column is still "required but empty"', async () => {
		const result = await runDisposition({
			parameters: { ...AUTO, inputFieldPath: 'body' },
			items: [{ body: call(0, { agent: ' ' }) }],
			credentials: tokenCredentials(sim),
			continueOnFail: true,
		});
		expect(result.items[0].json.error).toBe('Agent (agent) is required but empty (item 1)');
		expect(sim.requests).toHaveLength(0);
	});
});
