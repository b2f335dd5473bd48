/**
 * The node as an AI agent's tool, called through n8n-core's own tool invocation
 * (`makeHandleToolInvocation`, as AI Agent v1/v2 and the MCP Server Trigger's regular mode do):
 * Retry On Fail keyed by the call n8n retries, and `$json` read as n8n's evaluator reads it.
 */
import type { INodeParameters } from 'n8n-workflow';

import { call, MAPPED, tokenCredentials } from '../support/runDisposition';
import { runAsTool, type ToolRun } from '../support/runAsTool';
import { useSimulator } from '../support/useSimulator';

const sim = useSimulator();

const LITERAL: INodeParameters = {
	campaign: 'Ventas->',
	agent: 'jperez',
	callerid: '59899120000',
	guid: 'guid-0',
	l1: 'Venta',
};
const dispositionCalls = () =>
	sim.requests.filter((request) => request.endpoint === 'DispositionCall');
const retryOnFail = (maxTries: number) => ({ retryOnFail: true, maxTries, waitBetweenTries: 10 });

async function run(settings: Partial<ToolRun>) {
	return await runAsTool({
		parameters: LITERAL,
		agentItems: [{}],
		script: [[{}]],
		credentials: tokenCredentials(sim),
		...settings,
	});
}

describe('Retry On Fail in a tool invocation', () => {
	// The report: uContact records the call, then answers after 2.5 s; Timeout 1000 ms.
	const recordsThenAnswersLate = () => sim.queue({ kind: 'slow', ms: 2500 });

	it.each([
		['an agent run', false],
		["the MCP Server Trigger's regular mode (no execution id)", true],
	])(
		'%s: one call, 2 tries, the first timed out: 1 DispositionCall, and the error names the earlier try',
		async (_, withoutExecutionId) => {
			recordsThenAnswersLate();
			const { calls } = await run({
				parameters: { ...LITERAL, options: { timeout: 1000 } },
				nodeSettings: retryOnFail(2),
				withoutExecutionId,
			});
			expect(dispositionCalls()).toHaveLength(1);
			expect(calls).toHaveLength(1);
			expect(calls[0]).toEqual({
				error: expect.stringMatching(
					/^Not sent again by Retry On Fail, because an earlier try may have recorded it: uContact did not answer within 1000 ms; .*\(item 1\)\n\n/,
				),
			});
		},
	);

	it('two calls, one after the other, from two tool sets (Agent v2 makes one per item): each is sent', async () => {
		// The first call's first try may have recorded (HTTP 500); its retry does not send it again.
		// The second call is one the model made again: it is sent, although its form is the same.
		sim.queue({ kind: 'status', status: 500 });
		const { calls } = await run({
			script: [[{ toolSet: 0 }], [{ toolSet: 1 }]],
			nodeSettings: retryOnFail(2),
		});
		expect(calls[0]).toEqual({ error: expect.stringMatching(/^Not sent again by Retry On Fail/) });
		expect(calls[1]).toEqual({ answer: expect.stringContaining('"success":true') });
		expect(dispositionCalls().map((request) => request.status)).toEqual([500, 200]);
	});

	it('two calls in parallel, the first try of each failing for sure: each sent once more, and once only', async () => {
		sim.queue({ kind: 'status', status: 503 }, { kind: 'status', status: 503 });
		const { calls } = await run({
			parameters: { ...LITERAL, options: { safeRetries: 0 } },
			script: [[{}, {}]],
			nodeSettings: retryOnFail(3),
		});
		expect(calls.map((outcome) => 'answer' in outcome)).toEqual([true, true]);
		expect(dispositionCalls().map((request) => request.status)).toEqual([503, 503, 200, 200]);
	});

	it('maxTries 0: the tool invocation makes 2 tries (its `??`), and the node expects 2', async () => {
		sim.setBehaviour({ kind: 'status', status: 503 });
		const { calls } = await run({
			parameters: { ...LITERAL, options: { safeRetries: 0 } },
			nodeSettings: { retryOnFail: true, maxTries: 0, waitBetweenTries: 0 },
		});
		expect(calls[0]).toEqual({ error: expect.stringMatching(/HTTP 503/) });
		expect(dispositionCalls()).toHaveLength(2);
		// afterEach: the memory is released after the second try, not kept for a third.
	});

	it('On Error: Continue: a failure is the answer, not retried, and nothing is kept', async () => {
		sim.queue({ kind: 'status', status: 500 });
		const { calls } = await run({
			nodeSettings: { ...retryOnFail(3), onError: 'continueRegularOutput' },
		});
		expect(calls[0]).toEqual({ answer: expect.stringContaining('HTTP 500') });
		expect(dispositionCalls()).toHaveLength(1);
	});
});

describe("$json in a tool's parameters", () => {
	it("is the agent's item, as n8n's evaluator reads it", async () => {
		const agentItems = [{ ...call(0), headers: { 'x-agent': 'jperez' } }];
		const dragged: INodeParameters = {
			...MAPPED,
			agent: '={{ $json.headers["x-agent"] }}',
			options: { dryRun: true },
		};
		// The same expressions as `(0, X)`, which the node leaves to n8n.
		const forced: INodeParameters = {
			...Object.fromEntries(
				Object.entries(MAPPED).map(([name, value]) => [
					name,
					`={{ (0, ${String(value).slice(4, -3)}) }}`,
				]),
			),
			agent: '={{ (0, $json.headers["x-agent"]) }}',
			options: { dryRun: true },
		};
		const asWritten = await run({ parameters: dragged, agentItems });
		const byN8n = await run({ parameters: forced, agentItems });
		expect(asWritten.calls).toEqual(byN8n.calls);
		expect(asWritten.calls[0]).toEqual({ answer: expect.stringContaining('"agent":"jperez"') });
		expect(asWritten.calls[0]).toEqual({ answer: expect.stringContaining('"guid":"guid-0"') });
	});
});

describe('Map Automatically as a tool', () => {
	// Issue 31, finding 3: n8n builds the tool's schema from $fromAI(), which Map Automatically has
	// none of, so a tool has no Mapping Mode (hidden by '@tool'); n8n's engine reads one saved in
	// Map Automatically as Define Below, whose empty fields are refused before anything is sent.
	it.each([
		['On Error: Stop Workflow', {}],
		['On Error: Continue', { onError: 'continueRegularOutput' as const }],
	])(
		'%s: read as Define Below, its empty fields refused before anything is sent',
		async (_, nodeSettings) => {
			const { calls } = await run({
				parameters: { mappingMode: 'autoMapInputData' },
				agentItems: [call(0)],
				nodeSettings,
			});
			expect(JSON.stringify(calls[0])).toContain('Campaign (campaign) is required but empty');
			expect(sim.requests).toHaveLength(0);
		},
	);
});
