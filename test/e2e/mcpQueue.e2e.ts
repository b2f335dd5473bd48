/**
 * The MCP Server Trigger (bearer auth) with uContact Disposition as its tool, in n8n 2.x queue
 * mode for real: PostgreSQL, Redis, `n8n start` (main), one `n8n worker` and one `n8n webhook`
 * (the webhook processor, which serves production MCP endpoints too), each with its own user
 * folder holding the packed package, one encryption key, debug logs. The official MCP SDK
 * client connects with the bearer token, to main and to the webhook processor.
 *
 * How n8n 2.41.1 runs a tool call in queue mode (read from its code, checked here in the logs):
 * the process holding the MCP session (main, or the webhook processor) parks the call, runs the
 * trigger's webhook and ENQUEUES an execution carrying the call; a WORKER runs it, then calls
 * the tool node once itself (JobProcessor.invokeTool: `nodeType.execute` called directly, no
 * Retry On Fail loop), saves the tool's run data and sends the result back over the Bull job's
 * progress event; the process holding the session answers the client. So: one try, whatever
 * Retry On Fail says.
 *
 * A table of contexts × promises, for each entry point:
 *  contexts: one tool call; two calls one after the other (one client); two calls in parallel
 *  (two clients, two sessions);
 *  promises, on the simulator's wire and in what the client receives:
 *   a. each call records exactly one disposition with exactly the values the client sent, and
 *      the client gets the node's output as the tool result;
 *   b. Retry On Fail (2 tries, Timeout 1000 ms) against a uContact that records the call and
 *      answers after 2.5 s: one DispositionCall per tool call, and the client's error says the
 *      disposition may have been recorded (n8n hands the client the error's message and name
 *      only: the node's advice to check in uContact before sending it again is not passed on);
 *   c. a refused disposition ("0") is a tool error the client can read; a missing required field
 *      is a tool error naming it, and nothing reaches uContact;
 *   d. no secret (the uContact token, the MCP bearer token) in any tool result (checked in every
 *      cell) nor, at the end, in n8n's logs (main, worker, webhook processor) or PostgreSQL.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';

import { startSimulator, type Recorded, type Simulator } from '../support/simulator/simulator';
import { readRepoJson, selectedRuntimes } from './support/cli';
import { connectMcp, resultText, type McpSession, type McpToolResult } from './support/mcp';
import { dumpDatabase, query, startWebhookProcessor, type WebhookProcessor } from './support/mcpQueue';
import {
	printTimings,
	queueEnv,
	restClient,
	startQueueMode,
	waitForExecution,
	waitForLogLine,
	type Execution,
	type QueueMode,
	type RestClient,
	type Timing,
} from './support/queue';
import { makeUserFolder, packPackage } from './support/runtime';

const keep = (): boolean => process.env.UCONTACT_KEEP_E2E === '1';
const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const TRIGGER = 'MCP Server Trigger';
const NODE = 'uContact Disposition';
const TOOL = 'uContact_Disposition';
const MCP_PATH = 'ucontact-mcp-queue-e2e';
/** The token MCP clients present (the trigger's bearer credential). */
const MCP_PASS = `mcp-queue-e2e-${crypto.randomBytes(12).toString('hex')}`;
/** Known to the simulator: quotes, an accent, an emoji. */
const CAMPAIGN = 'Atención "VIP" 🎧->';
const REFUSED_CAMPAIGN = 'Campaña inexistente->';
/** The Timeout option, and how long the simulator takes to answer in the Retry On Fail cells. */
const TIMEOUT_MS = 1000;
const SLOW_MS = 2500;

const ENTRIES = ['main', 'the webhook processor'] as const;
type Entry = (typeof ENTRIES)[number];
const CONTEXTS = ['one tool call', 'two calls, one after the other', 'two calls in parallel (two clients)'] as const;
type Context = (typeof CONTEXTS)[number];
const callCount = (context: Context): number => (context === 'one tool call' ? 1 : 2);

interface WorkflowNode {
	name: string;
	parameters: Record<string, unknown>;
	[key: string]: unknown;
}
const example = readRepoJson('examples/mcp-server.json') as { nodes: WorkflowNode[]; connections: Record<string, unknown> };
const exampleNode = (name: string): WorkflowNode => {
	const found = example.nodes.find((node) => node.name === name);
	if (!found) throw new Error(`examples/mcp-server.json has no node "${name}"`);
	return found;
};

/**
 * The shipped example with its tool node as the issue describes it (Retry On Fail, 2 tries,
 * Timeout 1000 ms), the trigger at 2.1 (the version n8n 2.41.1 adds; it hands the request's
 * headers, authorization redacted, to the execution) on a path of its own.
 */
function mcpWorkflow(ucontact: { id: string; name: string }, bearer: { id: string; name: string }) {
	const trigger = exampleNode(TRIGGER);
	const tool = exampleNode(NODE);
	return {
		name: 'uContact MCP server (queue-mode e2e)',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				...trigger,
				typeVersion: 2.1,
				webhookId: 'f1e2d3c4-0001-4a5b-8c7d-9e0f1a2b3c4d',
				parameters: { ...trigger.parameters, path: MCP_PATH },
				credentials: { httpBearerAuth: bearer },
			},
			{
				...tool,
				retryOnFail: true,
				maxTries: 2,
				waitBetweenTries: 100,
				parameters: { ...tool.parameters, options: { timeout: TIMEOUT_MS } },
				credentials: { uContactApi: ucontact },
			},
		],
		connections: example.connections,
	};
}

type Args = Record<string, string>;

/** A call's arguments: accents, quotes, an emoji, "007", inner spaces (the node trims the ends). */
function callArgs(tag: string, index: number): Args {
	return {
		campaign: CAMPAIGN,
		agent: index === 0 ? 'José "Pepe" Núñez' : "María  O'Connor 👩‍💼",
		callerid: index === 0 ? '007' : '0098 7654 321',
		guid: `${tag}-${index}`,
		l1: 'Volver a llamar',
		l2: 'Crédito 💳 "12 cuotas"',
		comment: `Dijo "sí, el lunes" 👍 — después de las 15 h (llamada ${index + 1})`,
	};
}

/** The 13 fields uContact receives for `args` (what was not sent goes empty). */
function wireFields(args: Args): Record<string, string> {
	const fields: Record<string, string> = {};
	for (const key of ['campaign', 'agent', 'callerid', 'guid', 'l1', 'l2', 'l3', 'd1', 'd2', 'comment', 'schedule', 'camptoreschedule', 'tag']) {
		fields[key] = args[key] ?? '';
	}
	return fields;
}

// Queue mode runs on n8n 2.x only, as queue.e2e.ts does.
const describeQueue = selectedRuntimes().includes('n8n-2') ? describe : describe.skip;

describeQueue('n8n-2 queue mode (PostgreSQL, Redis, main + worker + webhook processor): the MCP Server Trigger with uContact Disposition as its tool', () => {
	// One key for main, the worker and the webhook processor, which must share it.
	const encryptionKey = crypto.randomBytes(32).toString('hex');
	const debug = { N8N_ENCRYPTION_KEY: encryptionKey, N8N_LOG_LEVEL: 'debug' };
	const timings: Timing[] = [];
	const findings: string[] = [];
	let last = Date.now();
	const step = (name: string) => {
		const now = Date.now();
		timings.push({ name, ms: now - last });
		last = now;
	};

	let sim: Simulator;
	let queue: QueueMode;
	let webhook: WebhookProcessor | undefined;
	let webhookStarted: Promise<WebhookProcessor> | undefined;
	let webhookFolder: string | undefined;
	let api: RestClient;
	let workflowId: string;
	/** Every tool result any client got, for the final no-secret check. */
	const allResults: string[] = [];
	/** What the trigger (2.1 saves the request's headers) kept of the Authorization header. */
	const savedAuthorization = new Set<unknown>();
	/** The guids of every call made, to find them in the saved executions. */
	const sentGuids: string[] = [];
	/** Executions the tool calls made, by entry point. */
	const executionsBy: Record<Entry, string[]> = { main: [], 'the webhook processor': [] };

	const secretForms = (): string[] => {
		const decoded = Buffer.from(sim.token, 'base64').toString('utf8');
		return [sim.token, decoded, decoded.slice(decoded.indexOf(':') + 1), encodeURIComponent(sim.token), MCP_PASS];
	};
	const expectNoSecret = (where: string, text: string) => {
		for (const secret of secretForms()) expect([where, text.includes(secret)]).toEqual([where, false]);
	};
	const dispositionCalls = (): Recorded[] => sim.requests.filter((request) => request.endpoint === 'DispositionCall');

	async function executionIds(): Promise<string[]> {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const list = await api.get<{ results: Array<{ id: string }> }>(`/rest/executions?filter=${filter}&limit=100`);
		return list.results.map((entry) => String(entry.id));
	}

	beforeAll(async () => {
		sim = await startSimulator({ campaigns: [CAMPAIGN] });
		queue = await startQueueMode({ mainEnv: debug, workerEnv: debug });
		timings.push(...queue.timings);
		last = Date.now();
		// The webhook processor starts while the test sets up the workflow: main has migrated the database.
		webhookFolder = makeUserFolder(packPackage());
		webhookStarted = startWebhookProcessor(queue.runtime, webhookFolder, {
			...queueEnv(queue.redis, queue.postgres),
			...debug,
		});
		webhookStarted.catch(() => undefined);
		api = await restClient(queue.main.url, queue.main.owner);
		const ucontact = await api.post<{ id: string; name: string }>('/rest/credentials', {
			name: 'uContact simulator',
			type: 'uContactApi',
			data: { server: 'custom', baseUrl: sim.url, authentication: 'token', token: sim.token },
		});
		const bearer = await api.post<{ id: string; name: string }>('/rest/credentials', {
			name: 'MCP clients (bearer token)',
			type: 'httpBearerAuth',
			data: { token: MCP_PASS },
		});
		const created = await api.post<{ id: string; versionId: string }>('/rest/workflows', mcpWorkflow(ucontact, bearer));
		workflowId = created.id;
		await api.post(`/rest/workflows/${created.id}/activate`, { versionId: created.versionId });
		step('log in, create the credentials (uContact, bearer) and publish the MCP workflow');
		webhook = await webhookStarted;
		step(`n8n webhook (webhook processor): ready after ${(webhook.readyMs / 1000).toFixed(1)} s`);
	}, 5 * 60 * 1000);

	afterAll(async () => {
		// The webhook processor was started in beforeAll, which may have failed before it was ready.
		const [webhookPeak, peaks] = await Promise.all([
			webhookStarted?.then((processor) => processor.stop()).catch(() => null),
			queue?.stop(),
		]);
		await sim?.close();
		if (webhookFolder && !keep()) fs.rmSync(webhookFolder, { recursive: true, force: true, maxRetries: 3 });
		step('stop the webhook processor, worker, main, Redis and PostgreSQL');
		const memory = peaks
			? `peak memory (PSS) main ${peaks.main ?? '?'} MiB, worker ${peaks.worker ?? '?'} MiB, webhook processor ${webhookPeak ?? '?'} MiB`
			: '';
		printTimings('MCP queue-mode e2e', timings, [memory, ...findings].filter(Boolean).join('; '));
	}, 60 * 1000);

	beforeEach(() => sim.reset());

	describe.each(ENTRIES)('MCP clients connected to %s', (entry) => {
		let clients: McpSession[] = [];
		const endpoint = () => `${entry === 'main' ? queue.main.url : webhook!.url}/mcp/${MCP_PATH}`;
		const entryLog = () => (entry === 'main' ? queue.main.logFile : webhook!.logFile);
		const otherLog = () => (entry === 'main' ? webhook!.logFile : queue.main.logFile);

		beforeAll(async () => {
			const headers = { Authorization: `Bearer ${MCP_PASS}` };
			clients = [await connectMcp(endpoint(), headers), await connectMcp(endpoint(), headers)];
			const tools = await clients[0].listTools();
			expect(tools.map((tool) => tool.name)).toEqual([TOOL]);
			step(`two MCP clients connected to ${entry}, tools listed`);
		}, 2 * 60 * 1000);

		afterAll(async () => {
			await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
			step(`the table's tool calls through ${entry}`);
		});

		/**
		 * Makes the context's calls, each client its own: one call on the first client; two on the
		 * first, one after the other; two at once, one per client. Then checks that each call made
		 * one execution, which `entry` enqueued and the worker ran (main, the other entry, never
		 * started it), and that no result holds a secret.
		 */
		async function run(context: Context, args: Args[]): Promise<McpToolResult[]> {
			expect(args).toHaveLength(callCount(context));
			const before = new Set(await executionIds());
			let results: McpToolResult[];
			if (context === 'two calls in parallel (two clients)') {
				results = await Promise.all(args.map((call, index) => clients[index].callTool(TOOL, call)));
			} else {
				results = [];
				for (const call of args) results.push(await clients[0].callTool(TOOL, call));
			}
			for (const call of args) if (call.guid) sentGuids.push(call.guid);
			for (const result of results) {
				const text = resultText(result);
				allResults.push(text);
				expectNoSecret('tool result', text);
			}
			const made = (await executionIds()).filter((id) => !before.has(id));
			expect(made).toHaveLength(args.length);
			// The worker logs each tool call that failed, naming its execution.
			const failedOnWorker = made.filter((id) =>
				new RegExp(`Tool call failed for MCP Trigger \\{[^\\n]*"executionId":"${id}"`).test(queue.worker.log()),
			);
			expect(failedOnWorker).toHaveLength(results.filter((result) => result.isError).length);
			for (const id of made) {
				const execution: Execution = await waitForExecution(api, queue.runtime, { workflowId, executionId: id });
				// The worker saved the tool's run in the execution of the call.
				const { runData } = execution.data.resultData;
				expect(Object.keys(runData).sort()).toEqual([NODE, TRIGGER].sort());
				const triggerOutput = runData[TRIGGER][0].data?.main[0][0]?.json as { headers?: Record<string, unknown> } | undefined;
				savedAuthorization.add(triggerOutput?.headers?.authorization);
				const log = await waitForLogLine(entryLog(), `Enqueued execution ${id} (job `);
				await waitForLogLine(queue.worker.logFile, `Worker started execution ${id} (job `);
				await waitForLogLine(queue.worker.logFile, `Worker finished execution ${id} (job `);
				expect(log).not.toContain(`Worker started execution ${id} `);
				expect(fs.readFileSync(otherLog(), 'utf8')).not.toContain(`Enqueued execution ${id} `);
				executionsBy[entry].push(id);
			}
			return results;
		}

		describe.each(CONTEXTS)('%s', (context) => {
			const tag = (promise: string) => `mcpq-${entry === 'main' ? 'main' : 'whp'}-${CONTEXTS.indexOf(context)}-${promise}`;
			const calls = (promise: string): Args[] =>
				Array.from({ length: callCount(context) }, (_, index) => callArgs(tag(promise), index));

			it('a. each call records exactly one disposition with exactly the values sent; the client gets the node output', async () => {
				const args = calls('a');
				const results = await run(context, args);
				const requests = dispositionCalls();
				expect(requests).toHaveLength(args.length);
				expect(requests.map((request) => [request.status, request.auth, request.problems])).toEqual(args.map(() => [200, 'ok', []]));
				const byGuid = new Map(sim.dispositions.map((record) => [record.fields.guid, record.fields]));
				expect(sim.dispositions).toHaveLength(args.length);
				args.forEach((call, index) => {
					expect(byGuid.get(call.guid)).toEqual(wireFields(call));
					expect(results[index].isError).toBeFalsy();
					expect(JSON.parse(resultText(results[index]))).toEqual([
						{
							success: true,
							dryRun: false,
							alreadyRecorded: false,
							response: 'OK',
							request: null,
							scheduleTimezone: null,
							hint: null,
							disposition: wireFields(call),
						},
					]);
				});
			});

			it(`b. Retry On Fail (2 tries, Timeout ${TIMEOUT_MS} ms), uContact records then answers after ${SLOW_MS / 1000} s: one DispositionCall per call, the client reads that it may have been recorded`, async () => {
				const args = calls('b');
				sim.queue(...args.map(() => ({ kind: 'slow' as const, ms: SLOW_MS })));
				const results = await run(context, args);
				// A second try would come right after the first timed out, long before uContact's
				// late answers; wait for those, then a little more.
				const deadline = Date.now() + SLOW_MS + 10000;
				while (dispositionCalls().some((request) => request.status === null) && Date.now() < deadline) await delay(100);
				await delay(500);
				expect(dispositionCalls().map((request) => request.fields.guid).sort()).toEqual(args.map((call) => call.guid).sort());
				expect(sim.dispositions.map((record) => record.fields.guid).sort()).toEqual(args.map((call) => call.guid).sort());
				for (const result of results) {
					expect(result.isError).toBe(true);
					const text = resultText(result);
					expect(text).toMatch(new RegExp(`uContact did not answer within ${TIMEOUT_MS} ms; the disposition may or may not have been recorded`));
				}
				const arrivals = dispositionCalls().map((request) => request.at);
				findings.push(
					`Retry On Fail (${entry}, ${context}): the client read ${resultText(results[0])}` +
						(arrivals.length > 1 ? `; the two requests reached uContact ${Math.abs(arrivals[1] - arrivals[0])} ms apart` : ''),
				);
			});

			it('c. a refused disposition ("0") is a tool error the client can read', async () => {
				const args = calls('c-refused').map((call): Args => ({ ...call, campaign: REFUSED_CAMPAIGN }));
				const results = await run(context, args);
				for (const result of results) {
					expect(result.isError).toBe(true);
					expect(resultText(result)).toMatch(/uContact rejected the disposition \(it answered \\?"0\\?"\)/);
				}
				expect(dispositionCalls().map((request) => [request.fields.guid, request.answer])).toEqual(
					expect.arrayContaining(args.map((call) => [call.guid, expect.stringContaining('0')])),
				);
				expect(dispositionCalls()).toHaveLength(args.length);
				expect(sim.dispositions).toHaveLength(0);
			});

			it('c. a missing required field is a tool error naming it; nothing reaches uContact', async () => {
				// The first call leaves out l1, the second the guid.
				const missing = ['l1', 'guid'];
				const args = calls('c-missing').map((call, index) =>
					Object.fromEntries(Object.entries(call).filter(([key]) => key !== missing[index])),
				);
				const results = await run(context, args);
				results.forEach((result, index) => {
					expect(result.isError).toBe(true);
					expect(resultText(result)).toMatch(new RegExp(`\\(${missing[index]}\\) is required`));
				});
				expect(dispositionCalls()).toHaveLength(0);
			});
		});
	});

	it("d. neither token is in any tool result, in n8n's debug logs (main, worker, webhook processor) or in PostgreSQL", () => {
		expect(allResults.length).toBeGreaterThan(0);
		for (const text of allResults) expectNoSecret('tool result', text);
		const logs: Array<[string, string]> = [
			['main', fs.readFileSync(queue.main.logFile, 'utf8')],
			['worker', queue.worker.log()],
			['webhook processor', webhook!.log()],
		];
		// Only the worker ran the tool: it alone logs tool calls that failed.
		expect(logs.map(([name, log]) => [name, log.includes('Tool call failed for MCP Trigger')])).toEqual([
			['main', false],
			['worker', true],
			['webhook processor', false],
		]);
		for (const [name, log] of logs) {
			// Debug logging was on.
			expect([name, log.includes('| debug |')]).toEqual([name, true]);
			expectNoSecret(`${name} log`, log);
		}
		// The saved executions: one per tool call, holding the calls' values (the check is not empty).
		const rows = query(queue.postgres, 'SELECT "executionId", data FROM execution_data ORDER BY "executionId"');
		const saved = new Map(rows.map((row) => [row.slice(0, row.indexOf('\t')), row.slice(row.indexOf('\t') + 1)]));
		const ids = [...executionsBy.main, ...executionsBy['the webhook processor']];
		expect(ids.length).toBe(ENTRIES.length * CONTEXTS.reduce((sum, context) => sum + 4 * callCount(context), 0));
		for (const id of ids) {
			expect([id, saved.has(id)]).toEqual([id, true]);
			expectNoSecret(`execution_data ${id}`, saved.get(id)!);
		}
		const savedText = [...saved.values()].join('\n');
		expect(sentGuids.filter((guid) => !savedText.includes(guid))).toEqual([]);
		findings.push(`the trigger's saved output had headers.authorization = ${JSON.stringify([...savedAuthorization])}`);
		expectNoSecret('pg_dump of the whole database', dumpDatabase(queue.postgres));
		findings.push(`${ids.length} executions checked in PostgreSQL; logs: main ${logs[0][1].length} B, worker ${logs[1][1].length} B, webhook processor ${logs[2][1].length} B`);
	});
});
