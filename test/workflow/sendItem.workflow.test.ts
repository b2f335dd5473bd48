/**
 * nodes/UContactDisposition/sending/sendItem.ts: one item's sending, and which failures it
 * retries. Only a failure where uContact certainly recorded nothing is retried; an answer
 * (even "0" or an unexpected one), a timeout or a server error is final, since a resend could
 * record the call twice (what is retried: test/workflow/retry.workflow.test.ts). Through WorkflowExecute, since sendItem sends through n8n's helpers.
 */
import { type Behaviour } from '../support/simulator/simulator';
import { call, MAPPED, runDisposition, tokenCredentials } from '../support/runDisposition';
import { useSimulator } from '../support/useSimulator';

const sim = useSimulator();

async function sendOne(behaviour: Behaviour, options: Record<string, unknown> = {}) {
	sim.setBehaviour(behaviour);
	return await runDisposition({
		parameters: { ...MAPPED, options: { safeRetries: 3, maxRetryWait: 1000, ...options } },
		items: [call(0)],
		credentials: tokenCredentials(sim),
		continueOnFail: true,
	});
}

describe('sendItem: what is final', () => {
	it.each<[string, Behaviour, string]>([
		['a rejection ("0")', { kind: 'reject' }, 'rejected'],
		['an unexpected answer', { kind: 'body', body: '"ERROR"' }, 'maybe-recorded'],
		['a server error (500)', { kind: 'status', status: 500 }, 'maybe-recorded'],
		['a connection closed after the request was read', { kind: 'close' }, 'maybe-recorded'],
	])('%s is reported after one request, never retried', async (_name, behaviour, errorKind) => {
		const result = await sendOne(behaviour);
		expect(result.items).toHaveLength(1);
		expect(result.items[0].json).toMatchObject({ success: false, errorKind });
		expect(sim.requests).toHaveLength(1);
	});

	it('a timeout is final: one request', async () => {
		// Long enough for the request to reach the simulator on a busy machine; the answer comes later still.
		const result = await sendOne({ kind: 'slow', ms: 5000 }, { timeout: 1500 });
		expect(result.items[0].json).toMatchObject({ success: false, errorKind: 'maybe-recorded' });
		expect(sim.requests).toHaveLength(1);
	});
});

describe('sendItem: success', () => {
	it("the answer's text is the item's response: OK as uContact spelled it, quotes dropped", async () => {
		const result = await sendOne({ kind: 'body', body: '"ok"' });
		expect(result.items[0].json).toMatchObject({ success: true, response: 'ok' });
		expect(sim.requests).toHaveLength(1);
	});
});
