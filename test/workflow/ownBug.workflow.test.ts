/**
 * An error in the node's own code (injected here into the reading of uContact's answer) fails the
 * run as a bug, named, after counting what was recorded; with Continue, every item still has one
 * output, in order. It is never "Nothing was sent", and never a hole in the output.
 */
import * as api from '../../nodes/UContactApi/api';
import { call, MAPPED, runDisposition, tokenCredentials } from '../support/runDisposition';
import { useSimulator } from '../support/useSimulator';

const sim = useSimulator();
afterEach(() => jest.restoreAllMocks());

const calls = (count: number) => Array.from({ length: count }, (_, index) => call(index));

/** The answer to the `nth` request (0-based) breaks our own code. */
function breakOnAnswer(nth: number) {
	const real = api.interpretAnswer;
	let seen = 0;
	jest.spyOn(api, 'interpretAnswer').mockImplementation((body) => {
		if (seen++ === nth)
			throw new TypeError("Cannot use 'in' operator to search for 'form' in undefined");
		return real(body);
	});
}

describe('a bug in the node', () => {
	it('stops the run as a bug, named, and counts what was recorded', async () => {
		breakOnAnswer(2);
		const result = await runDisposition({
			parameters: { ...MAPPED, options: { concurrency: 1 } },
			items: calls(5),
			credentials: tokenCredentials(sim),
		});
		expect(result.error?.message).toBe(
			"The uContact node failed because of an error in its own code (TypeError: Cannot use 'in' operator to search for 'form' in undefined); the disposition may or may not have been recorded, so check in uContact before sending it again (item 3)",
		);
		const description = (result.error as { description?: string }).description ?? '';
		expect(description).toMatch(/This is a bug in n8n-nodes-ucontact/);
		expect(description).not.toMatch(/Nothing was sent/);
		// The bug stops the run: nothing after item 2 is sent.
		expect(sim.requests.map((request) => request.fields.guid)).toEqual([
			'guid-0',
			'guid-1',
			'guid-2',
		]);
	});

	it('with Continue (regular output), gives every item one output in order, and sends nothing after it', async () => {
		breakOnAnswer(1);
		const result = await runDisposition({
			parameters: { ...MAPPED, options: { concurrency: 1 } },
			items: calls(4),
			credentials: tokenCredentials(sim),
			continueOnFail: true,
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.pairedItem)).toEqual(
			[0, 1, 2, 3].map((item) => ({ item })),
		);
		expect(result.items.map((item) => [item.json.success, item.json.errorKind ?? null])).toEqual([
			[true, null],
			[false, 'bug'],
			[false, 'not-sent'],
			[false, 'not-sent'],
		]);
		expect(sim.requests).toHaveLength(2);
	});
});
