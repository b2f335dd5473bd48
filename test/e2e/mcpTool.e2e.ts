/**
 * The MCP Server Trigger (bearer auth) with uContact Disposition as its tool, in every way n8n
 * 2.41.1 runs it, one table for both:
 *
 * QUEUE mode for real: PostgreSQL, Redis, `n8n start` (main), one `n8n worker` and one
 * `n8n webhook` (the webhook processor, which serves production MCP endpoints too), each with
 * its own user folder holding the packed package, one encryption key, debug logs. The official
 * MCP SDK client connects with the bearer token, to main and to the webhook processor.
 * How n8n runs a tool call there (read from its code, checked here in the logs): the process
 * holding the MCP session (main, or the webhook processor) parks the call, runs the trigger's
 * webhook and ENQUEUES an execution carrying the call; a WORKER runs it, then calls the tool
 * node once itself (JobProcessor.invokeTool: `nodeType.execute` called directly, no Retry On
 * Fail loop), saves the tool's run data and sends the result back over the Bull job's progress
 * event; the process holding the session answers the client. So: one try, whatever Retry On
 * Fail says.
 *
 * REGULAR mode: a plain `n8n start` (SQLite), debug logs. The process holding the session calls
 * the tool itself, in the webhook's request, through n8n-core's makeHandleToolInvocation: Retry
 * On Fail DOES retry there (min(5, max(2, maxTries)) tries, each a new run with no execution
 * id), then n8n saves an execution of the trigger's output. The node's record tells one call's
 * tries by the arguments object n8n hands every try of one call, so a try after one that may have
 * recorded does not send again (the original bug of issue 21: two DispositionCalls per call).
 *
 * A table of contexts × promises, for each mode and entry point:
 *  contexts: one tool call; two calls one after the other (one client); two calls in parallel
 *  (two clients, two sessions);
 *  promises, on the simulator's wire and in what the client receives:
 *   a. each call records exactly one disposition with exactly the values the client sent, and
 *      the client gets the node's output as the tool result;
 *   b. Retry On Fail (2 tries, Timeout 4000 ms) against a uContact that records the call and
 *      answers after 8 s, the two calls of a context with the same arguments: one
 *      DispositionCall per tool call, and the client's error says the disposition may have been
 *      recorded; in regular mode it also says Retry On Fail did not send it again (the earlier
 *      try's failure), and the saved execution holds both tries of the tool. In queue mode n8n
 *      hands the client the error's message and name only: the node's advice to check in
 *      uContact before sending it again is not passed on (in regular mode it is, as "Details");
 *   c. a refused disposition ("0") is a tool error the client can read (each try n8n makes
 *      asks uContact again: a refusal recorded nothing); a missing required field is a tool
 *      error naming it (in regular mode n8n's check of the arguments against the tool's schema
 *      says so before the node runs; in queue mode the node does), and nothing reaches uContact;
 *   d. no secret (the uContact token, the MCP bearer token) in any tool result (checked in every
 *      cell) nor, at the end, in n8n's logs (main, worker, webhook processor) or its database
 *      (PostgreSQL; SQLite in regular mode).
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';

import { startSimulator, type Recorded, type Simulator } from '../support/simulator/simulator';
import { readRepoJson, selectedRuntimes } from './support/cli';
import { connectMcp, resultText, type McpSession, type McpToolResult } from './support/mcp';
import {
	dumpDatabase,
	dumpSqlite,
	query,
	querySqlite,
	sqliteFile,
	startWebhookProcessor,
	type WebhookProcessor,
} from './support/mcpDeployments';
import {
	printTimings,
	queueEnv,
	restClient,
	startQueueMode,
	waitForExecution,
	waitForLogLine,
	type Execution,
	type RestClient,
	type Timing,
} from './support/queue';
import { makeUserFolder, packPackage, type Runtime } from './support/runtime';
import { startN8nWithPackage, type Owner } from './support/server';

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
/**
 * The Timeout option, and how long the simulator takes to answer in the Retry On Fail cells. The
 * Timeout is the tool's for every cell: 1000 ms timed out a plain answer on a busy machine (two
 * CPU hogs beside CI), so it leaves a busy machine room and the slow answer twice that.
 */
const TIMEOUT_MS = 4000;
const SLOW_MS = 8000;
/** The tool node's Retry On Fail tries. */
const MAX_TRIES = 2;

type Entry = 'main' | 'the webhook processor';
const CONTEXTS = [
	'one tool call',
	'two calls, one after the other',
	'two calls in parallel (two clients)',
] as const;
type Context = (typeof CONTEXTS)[number];
const callCount = (context: Context): number => (context === 'one tool call' ? 1 : 2);

interface Mode {
	name: 'queue' | 'regular';
	title: string;
	/** Where MCP clients connect. */
	entries: readonly Entry[];
	/** How many times n8n runs the tool for one call that throws (Retry On Fail, 2 tries). */
	tries: number;
	/** How many times n8n runs the tool for a call missing a required argument. */
	missingRuns: number;
	/** The tool error for a call missing the required argument `field`. */
	missingError(field: string): RegExp;
}
const MODES: readonly Mode[] = [
	{
		name: 'queue',
		title: 'queue mode (PostgreSQL, Redis, main + worker + webhook processor)',
		entries: ['main', 'the webhook processor'],
		// The worker calls the tool once (JobProcessor.invokeTool).
		tries: 1,
		// The worker calls the node's execute with the arguments as they came: the node refuses.
		missingRuns: 1,
		missingError: (field) => new RegExp(`\\(${field}\\) is required`),
	},
	{
		name: 'regular',
		title: 'regular mode (`n8n start`, SQLite)',
		entries: ['main'],
		// makeHandleToolInvocation: min(5, max(2, maxTries)).
		tries: Math.min(5, Math.max(2, MAX_TRIES)),
		// n8n checks the arguments against the tool's schema (from $fromAI) before running the node.
		missingRuns: 0,
		missingError: (field) =>
			new RegExp(`Received tool input did not match expected schema[\\s\\S]*\\bat ${field}\\b`),
	},
];

interface WorkflowNode {
	name: string;
	parameters: Record<string, unknown>;
	[key: string]: unknown;
}
const example = readRepoJson('examples/mcp-server.json') as {
	nodes: WorkflowNode[];
	connections: Record<string, unknown>;
};
const exampleNode = (name: string): WorkflowNode => {
	const found = example.nodes.find((node) => node.name === name);
	if (!found) throw new Error(`examples/mcp-server.json has no node "${name}"`);
	return found;
};

/**
 * The shipped example with its tool node as the issue describes it (Retry On Fail, 2 tries,
 * Timeout 4000 ms), the trigger at 2.1 (the version n8n 2.41.1 adds; it hands the request's
 * headers, authorization redacted, to the execution) on a path of its own.
 */
function mcpWorkflow(
	mode: Mode,
	ucontact: { id: string; name: string },
	bearer: { id: string; name: string },
) {
	const trigger = exampleNode(TRIGGER);
	const tool = exampleNode(NODE);
	return {
		name: `uContact MCP server (${mode.name}-mode e2e)`,
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
				maxTries: MAX_TRIES,
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
	for (const key of [
		'campaign',
		'agent',
		'callerid',
		'guid',
		'l1',
		'l2',
		'l3',
		'd1',
		'd2',
		'comment',
		'schedule',
		'camptoreschedule',
		'tag',
	]) {
		fields[key] = args[key] ?? '';
	}
	return fields;
}

/** A log of one n8n process, for the final checks. */
interface ProcessLog {
	name: string;
	text: string;
	/** Whether this process runs tool calls (it alone logs those that failed). */
	runsTools: boolean;
}

/** n8n as a mode runs it, with the MCP workflow published, seen the same way by the table. */
interface Deployment {
	readonly runtime: Runtime;
	readonly api: RestClient;
	readonly workflowId: string;
	/** Where MCP clients connect for `entry`, no trailing slash. */
	baseUrl(entry: Entry): string;
	/** What the process(es) running tool calls logged so far (to count failures from). */
	mark(): unknown;
	/**
	 * Checks that execution `id`, made by a call through `entry`, ran where the mode runs tool
	 * calls (and not elsewhere).
	 */
	checkExecution(entry: Entry, id: string): Promise<void>;
	/** Checks that `failed` of the calls since `mark` (whose executions are `made`) failed, in the log of the process running them. */
	checkFailures(mark: unknown, made: string[], failed: number): Promise<void>;
	logs(): ProcessLog[];
	/** The line a process logs when a tool call failed. */
	readonly failureLine: string;
	/** Saved execution data, by execution id. */
	savedExecutions(): Map<string, string>;
	/** Everything in the database. */
	dump(): string;
	readonly databaseName: string;
	/** Stops everything; resolves to a memory summary. */
	stop(): Promise<string>;
}

const occurrences = (text: string, part: string): number => text.split(part).length - 1;

// Both modes run on n8n 2.x only, as queue.e2e.ts does.
const describeN8n2 = selectedRuntimes().includes('n8n-2') ? describe : describe.skip;

describeN8n2.each(MODES)(
	'n8n-2 $title: the MCP Server Trigger with uContact Disposition as its tool',
	(mode) => {
		const timings: Timing[] = [];
		const findings: string[] = [];
		let last = Date.now();
		const step = (name: string) => {
			const now = Date.now();
			timings.push({ name, ms: now - last });
			last = now;
		};

		let sim: Simulator;
		let n8n: Deployment | undefined;
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
			return [
				sim.token,
				decoded,
				decoded.slice(decoded.indexOf(':') + 1),
				encodeURIComponent(sim.token),
				MCP_PASS,
			];
		};
		const expectNoSecret = (where: string, text: string) => {
			for (const secret of secretForms())
				expect([where, text.includes(secret)]).toEqual([where, false]);
		};
		const dispositionCalls = (): Recorded[] =>
			sim.requests.filter((request) => request.endpoint === 'DispositionCall');

		async function executionIds(): Promise<string[]> {
			const filter = encodeURIComponent(JSON.stringify({ workflowId: n8n!.workflowId }));
			const list = await n8n!.api.get<{ results: Array<{ id: string }> }>(
				`/rest/executions?filter=${filter}&limit=100`,
			);
			return list.results.map((entry) => String(entry.id));
		}

		/** Logs in, creates the credentials (uContact, bearer) and the MCP workflow, publishes it. */
		async function publish(
			url: string,
			owner: Owner,
		): Promise<{ api: RestClient; workflowId: string }> {
			const api = await restClient(url, owner);
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
			const created = await api.post<{ id: string; versionId: string }>(
				'/rest/workflows',
				mcpWorkflow(mode, ucontact, bearer),
			);
			await api.post(`/rest/workflows/${created.id}/activate`, { versionId: created.versionId });
			return { api, workflowId: created.id };
		}

		async function startQueue(): Promise<Deployment> {
			// One key for main, the worker and the webhook processor, which must share it.
			const debug = {
				N8N_ENCRYPTION_KEY: crypto.randomBytes(32).toString('hex'),
				N8N_LOG_LEVEL: 'debug',
			};
			const queue = await startQueueMode({ mainEnv: debug, workerEnv: debug });
			let webhookStarted: Promise<WebhookProcessor> | undefined;
			let webhookFolder: string | undefined;
			const stop = async (): Promise<string> => {
				// The webhook processor may have failed before it was ready.
				const [webhookPeak, peaks] = await Promise.all([
					webhookStarted?.then((processor) => processor.stop()).catch(() => null),
					queue.stop(),
				]);
				if (webhookFolder && !keep())
					fs.rmSync(webhookFolder, { recursive: true, force: true, maxRetries: 3 });
				return `peak memory (PSS) main ${peaks.main ?? '?'} MiB, worker ${peaks.worker ?? '?'} MiB, webhook processor ${webhookPeak ?? '?'} MiB`;
			};
			try {
				timings.push(...queue.timings);
				last = Date.now();
				// The webhook processor starts while the test sets up the workflow: main has migrated the database.
				webhookFolder = makeUserFolder(packPackage());
				webhookStarted = startWebhookProcessor(queue.runtime, webhookFolder, {
					...queueEnv(queue.redis, queue.postgres),
					...debug,
				});
				webhookStarted.catch(() => undefined);
				const { api, workflowId } = await publish(queue.main.url, queue.main.owner);
				step('log in, create the credentials (uContact, bearer) and publish the MCP workflow');
				const webhook = await webhookStarted;
				step(
					`n8n webhook (webhook processor): ready after ${(webhook.readyMs / 1000).toFixed(1)} s`,
				);
				const entryLog = (entry: Entry) =>
					entry === 'main' ? queue.main.logFile : webhook.logFile;
				const otherLog = (entry: Entry) =>
					entry === 'main' ? webhook.logFile : queue.main.logFile;
				return {
					runtime: queue.runtime,
					api,
					workflowId,
					baseUrl: (entry) => (entry === 'main' ? queue.main.url : webhook.url),
					mark: () => undefined,
					async checkExecution(entry, id) {
						const log = await waitForLogLine(entryLog(entry), `Enqueued execution ${id} (job `);
						await waitForLogLine(queue.worker.logFile, `Worker started execution ${id} (job `);
						await waitForLogLine(queue.worker.logFile, `Worker finished execution ${id} (job `);
						expect(log).not.toContain(`Worker started execution ${id} `);
						expect(fs.readFileSync(otherLog(entry), 'utf8')).not.toContain(
							`Enqueued execution ${id} `,
						);
					},
					async checkFailures(_mark, made, failed) {
						// The worker logs each tool call that failed, naming its execution.
						const failedOnWorker = made.filter((id) =>
							new RegExp(`Tool call failed for MCP Trigger \\{[^\\n]*"executionId":"${id}"`).test(
								queue.worker.log(),
							),
						);
						expect(failedOnWorker).toHaveLength(failed);
					},
					logs: () => [
						{ name: 'main', text: fs.readFileSync(queue.main.logFile, 'utf8'), runsTools: false },
						{ name: 'worker', text: queue.worker.log(), runsTools: true },
						{ name: 'webhook processor', text: webhook.log(), runsTools: false },
					],
					failureLine: 'Tool call failed for MCP Trigger',
					savedExecutions() {
						const rows = query(
							queue.postgres,
							'SELECT "executionId", data FROM execution_data ORDER BY "executionId"',
						);
						return new Map(
							rows.map((row) => [
								row.slice(0, row.indexOf('\t')),
								row.slice(row.indexOf('\t') + 1),
							]),
						);
					},
					dump: () => dumpDatabase(queue.postgres),
					databaseName: 'PostgreSQL',
					stop,
				};
			} catch (error) {
				await stop();
				throw error;
			}
		}

		async function startRegular(): Promise<Deployment> {
			const server = await startN8nWithPackage('n8n-2', { env: { N8N_LOG_LEVEL: 'debug' } });
			const stop = async (): Promise<string> =>
				`peak memory (PSS) n8n ${(await server.stop()) ?? '?'} MiB`;
			try {
				step(
					`n8n start (regular mode, SQLite): ready after ${(server.readyMs / 1000).toFixed(1)} s`,
				);
				const { api, workflowId } = await publish(server.url, server.owner);
				step('log in, create the credentials (uContact, bearer) and publish the MCP workflow');
				const log = () => fs.readFileSync(server.logFile, 'utf8');
				const failureLine = `Error while executing Tool ${TOOL}`;
				const database = sqliteFile(server.userFolder);
				return {
					runtime: server.runtime,
					api,
					workflowId,
					baseUrl: () => server.url,
					mark: () => occurrences(log(), failureLine),
					async checkExecution() {
						// One process: nothing was enqueued.
						expect(log()).not.toContain('Enqueued execution');
					},
					async checkFailures(mark, _made, failed) {
						// n8n logs each tool call that failed (after its last try), without an execution id.
						const expected = (mark as number) + failed;
						const deadline = Date.now() + 10000;
						while (occurrences(log(), failureLine) < expected && Date.now() < deadline)
							await delay(100);
						expect(occurrences(log(), failureLine)).toBe(expected);
					},
					logs: () => [{ name: 'n8n', text: log(), runsTools: true }],
					failureLine,
					savedExecutions() {
						const rows = querySqlite(
							database,
							'SELECT executionId, data FROM execution_data ORDER BY executionId',
						);
						return new Map(
							rows.map((row) => [
								row.slice(0, row.indexOf('\t')),
								row.slice(row.indexOf('\t') + 1),
							]),
						);
					},
					dump: () => dumpSqlite(database),
					databaseName: 'SQLite',
					stop,
				};
			} catch (error) {
				await stop();
				throw error;
			}
		}

		beforeAll(
			async () => {
				sim = await startSimulator({ campaigns: [CAMPAIGN] });
				last = Date.now();
				n8n = mode.name === 'queue' ? await startQueue() : await startRegular();
			},
			5 * 60 * 1000,
		);

		afterAll(async () => {
			const memory = await n8n?.stop();
			await sim?.close();
			step(
				mode.name === 'queue'
					? 'stop the webhook processor, worker, main, Redis and PostgreSQL'
					: 'stop n8n',
			);
			printTimings(
				`MCP ${mode.name}-mode e2e`,
				timings,
				[memory, ...findings].filter(Boolean).join('; '),
			);
		}, 60 * 1000);

		beforeEach(() => sim.reset());

		describe.each(mode.entries)('MCP clients connected to %s', (entry) => {
			let clients: McpSession[] = [];

			beforeAll(
				async () => {
					const headers = { Authorization: `Bearer ${MCP_PASS}` };
					const endpoint = `${n8n!.baseUrl(entry)}/mcp/${MCP_PATH}`;
					clients = [await connectMcp(endpoint, headers), await connectMcp(endpoint, headers)];
					const tools = await clients[0].listTools();
					expect(tools.map((tool) => tool.name)).toEqual([TOOL]);
					step(`two MCP clients connected to ${entry}, tools listed`);
				},
				2 * 60 * 1000,
			);

			afterAll(async () => {
				await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
				step(`the table's tool calls through ${entry}`);
			});

			/**
			 * Makes the context's calls, each client its own: one call on the first client; two on the
			 * first, one after the other; two at once, one per client. Then checks that each call made
			 * one execution, where the mode runs it (queue: `entry` enqueued it and the worker ran it;
			 * main, the other entry, never started it), that the failed calls were logged by the
			 * process that ran them, and that no result holds a secret. Resolves to the results, and
			 * how many runs (tries) of the tool each execution saved.
			 */
			async function run(
				context: Context,
				args: Args[],
			): Promise<{ results: McpToolResult[]; toolRuns: number[] }> {
				expect(args).toHaveLength(callCount(context));
				const before = new Set(await executionIds());
				const mark = n8n!.mark();
				let results: McpToolResult[];
				if (context === 'two calls in parallel (two clients)') {
					results = await Promise.all(
						args.map((call, index) => clients[index].callTool(TOOL, call)),
					);
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
				// n8n saves the execution of a call once it answered the client: wait for them.
				let made: string[] = [];
				const deadline = Date.now() + 30000;
				do {
					if (made.length > 0) await delay(200);
					made = (await executionIds()).filter((id) => !before.has(id));
				} while (made.length < args.length && Date.now() < deadline);
				expect(made).toHaveLength(args.length);
				await n8n!.checkFailures(mark, made, results.filter((result) => result.isError).length);
				const toolRuns: number[] = [];
				for (const id of made) {
					const execution: Execution = await waitForExecution(n8n!.api, n8n!.runtime, {
						workflowId: n8n!.workflowId,
						executionId: id,
					});
					// The trigger's output, and the tool's runs (each try), saved with the call's execution.
					const { runData } = execution.data.resultData;
					expect(Object.keys(runData).filter((name) => name !== NODE)).toEqual([TRIGGER]);
					toolRuns.push(runData[NODE]?.length ?? 0);
					const triggerOutput = runData[TRIGGER][0].data?.main[0][0]?.json as
						| { headers?: Record<string, unknown> }
						| undefined;
					savedAuthorization.add(triggerOutput?.headers?.authorization);
					await n8n!.checkExecution(entry, id);
					executionsBy[entry].push(id);
				}
				return { results, toolRuns };
			}

			describe.each(CONTEXTS)('%s', (context) => {
				const tag = (promise: string) =>
					`mcp${mode.name[0]}-${entry === 'main' ? 'main' : 'whp'}-${CONTEXTS.indexOf(context)}-${promise}`;
				const calls = (promise: string): Args[] =>
					Array.from({ length: callCount(context) }, (_, index) => callArgs(tag(promise), index));
				const retried = mode.tries > 1;

				it('a. each call records exactly one disposition with exactly the values sent; the client gets the node output', async () => {
					const args = calls('a');
					const { results, toolRuns } = await run(context, args);
					expect(toolRuns).toEqual(args.map(() => 1));
					const requests = dispositionCalls();
					expect(requests).toHaveLength(args.length);
					expect(
						requests.map((request) => [request.status, request.auth, request.problems]),
					).toEqual(args.map(() => [200, 'ok', []]));
					const byGuid = new Map(
						sim.dispositions.map((record) => [record.fields.guid, record.fields]),
					);
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

				it(
					`b. Retry On Fail (${MAX_TRIES} tries, Timeout ${TIMEOUT_MS} ms), uContact records then answers after ${SLOW_MS / 1000} s: ` +
						`one DispositionCall per call${callCount(context) > 1 ? ' (both calls with the same arguments)' : ''}, ` +
						`the client reads that it may have been recorded${retried ? ' and that Retry On Fail did not send it again' : ''}`,
					async () => {
						// The same arguments for every call: each is a disposition the client asked for.
						const args = calls('b').map(() => callArgs(tag('b'), 0));
						sim.queue(...args.map(() => ({ kind: 'slow' as const, ms: SLOW_MS })));
						const { results, toolRuns } = await run(context, args);
						// A second DispositionCall would come right after the first timed out, long
						// before uContact's late answers; wait for those, then a little more.
						const deadline = Date.now() + SLOW_MS + 10000;
						while (
							dispositionCalls().some((request) => request.status === null) &&
							Date.now() < deadline
						)
							await delay(100);
						await delay(500);
						expect(dispositionCalls().map((request) => request.fields.guid)).toEqual(
							args.map((call) => call.guid),
						);
						expect(sim.dispositions.map((record) => record.fields.guid)).toEqual(
							args.map((call) => call.guid),
						);
						// Regular mode: n8n tried each call twice (the execution saved both tries); the second sent nothing.
						expect(toolRuns).toEqual(args.map(() => mode.tries));
						const timedOut = `uContact did not answer within ${TIMEOUT_MS} ms; the disposition may or may not have been recorded`;
						for (const result of results) {
							expect(result.isError).toBe(true);
							const text = resultText(result);
							if (retried) {
								// The last try's error, which names the first try's failure; n8n adds the
								// node's advice (the error's description) to what the client reads.
								expect(text).toContain(
									`Not sent again by Retry On Fail, because an earlier try may have recorded it: ${timedOut}`,
								);
								expect(text).toContain('\n\nDetails: Check in uContact whether it was recorded.');
							} else {
								expect(text).toContain(timedOut);
							}
						}
						const arrivals = dispositionCalls().map((request) => request.at);
						findings.push(
							`Retry On Fail (${entry}, ${context}): the client read ${JSON.stringify(resultText(results[0]))}` +
								(arrivals.length > 1
									? `; the two requests reached uContact ${Math.abs(arrivals[1] - arrivals[0])} ms apart`
									: ''),
						);
					},
				);

				it(`c. a refused disposition ("0") is a tool error the client can read${retried ? ` (each of the ${mode.tries} tries asks uContact)` : ''}`, async () => {
					const args = calls('c-refused').map(
						(call): Args => ({ ...call, campaign: REFUSED_CAMPAIGN }),
					);
					const { results, toolRuns } = await run(context, args);
					expect(toolRuns).toEqual(args.map(() => mode.tries));
					for (const result of results) {
						expect(result.isError).toBe(true);
						expect(resultText(result)).toMatch(
							/uContact rejected the disposition \(it answered \\?"0\\?"\)/,
						);
					}
					// A refusal recorded nothing: each try n8n makes asks uContact again, and is refused again.
					const expected = args.flatMap((call) =>
						Array.from({ length: mode.tries }, () => [call.guid, expect.stringContaining('0')]),
					);
					expect(
						dispositionCalls().map((request) => [request.fields.guid, request.answer]),
					).toEqual(expect.arrayContaining(expected));
					expect(dispositionCalls()).toHaveLength(args.length * mode.tries);
					expect(sim.dispositions).toHaveLength(0);
				});

				it('c. a missing required field is a tool error naming it; nothing reaches uContact', async () => {
					// The first call leaves out l1, the second the guid.
					const missing = ['l1', 'guid'];
					const args = calls('c-missing').map((call, index) =>
						Object.fromEntries(Object.entries(call).filter(([key]) => key !== missing[index])),
					);
					const { results, toolRuns } = await run(context, args);
					results.forEach((result, index) => {
						expect(result.isError).toBe(true);
						expect(resultText(result)).toMatch(mode.missingError(missing[index]));
					});
					expect(toolRuns).toEqual(args.map(() => mode.missingRuns));
					expect(dispositionCalls()).toHaveLength(0);
				});
			});
		});

		it(`d. neither token is in any tool result, in n8n's debug logs or in ${mode.name === 'queue' ? 'PostgreSQL' : 'SQLite'}`, () => {
			expect(allResults.length).toBeGreaterThan(0);
			for (const text of allResults) expectNoSecret('tool result', text);
			const logs = n8n!.logs();
			// Only the process running tool calls logs those that failed.
			expect(logs.map((log) => [log.name, log.text.includes(n8n!.failureLine)])).toEqual(
				logs.map((log) => [log.name, log.runsTools]),
			);
			for (const { name, text } of logs) {
				// Debug logging was on.
				expect([name, text.includes('| debug |')]).toEqual([name, true]);
				expectNoSecret(`${name} log`, text);
			}
			// The saved executions: one per tool call, holding the calls' values (the check is not empty).
			const saved = n8n!.savedExecutions();
			const ids = mode.entries.flatMap((entry) => executionsBy[entry]);
			expect(ids.length).toBe(
				mode.entries.length * CONTEXTS.reduce((sum, context) => sum + 4 * callCount(context), 0),
			);
			for (const id of ids) {
				expect([id, saved.has(id)]).toEqual([id, true]);
				expectNoSecret(`execution_data ${id}`, saved.get(id)!);
			}
			const savedText = [...saved.values()].join('\n');
			expect(sentGuids.filter((guid) => !savedText.includes(guid))).toEqual([]);
			findings.push(
				`the trigger's saved output had headers.authorization = ${JSON.stringify([...savedAuthorization])}`,
			);
			expectNoSecret(`a dump of the whole database (${n8n!.databaseName})`, n8n!.dump());
			findings.push(
				`${ids.length} executions checked in ${n8n!.databaseName}; logs: ${logs.map((log) => `${log.name} ${log.text.length} B`).join(', ')}`,
			);
		});
	},
);
