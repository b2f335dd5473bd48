// What recordOnce.e2e.ts (Skip Repeats on real n8n, issue 28) shares: the
// calls, the workflows, delivering them to a production webhook, waiting until n8n has finished
// every execution (by its REST executions list, never by sleeping), counting what the uContact
// simulator received per call GUID, and a look at n8n's `processed_data` table.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

import type { Simulator } from '../../support/simulator/simulator';
import { NODE, NODE_TYPE } from './dispositionWorkflow';
import { query } from './mcpDeployments';
import type { Postgres } from './queue';
import type { RestClient } from './rest';
import type { Runtime } from './runtime';

export { NODE, NODE_TYPE };

export interface Call {
	campaign: string;
	agent: string;
	callerid: string;
	guid: string;
	l1: string;
}

/** `count` distinct calls whose GUIDs start with `prefix-`. */
export function makeCalls(prefix: string, count: number): Call[] {
	return Array.from({ length: count }, (_, index) => ({
		campaign: 'Ventas->',
		agent: `agente${index % 3}`,
		callerid: String(59899500000 + index),
		guid: `${prefix}-${String(index).padStart(4, '0')}`,
		l1: index % 2 === 0 ? 'Venta' : 'No interesado',
	}));
}

/** The required fields dragged from the webhook's body (`{{ $json.body.<key> }}`). */
export const BODY_FIELDS = {
	campaign: '={{ $json.body.campaign }}',
	agent: '={{ $json.body.agent }}',
	callerid: '={{ $json.body.callerid }}',
	guid: '={{ $json.body.guid }}',
	l1: '={{ $json.body.l1 }}',
};

/** The option under test. */
export const SKIP = { skipRecorded: true };

export const TRIGGER = 'Call ended';
const TRIGGER_ID = 'c9f3e4a5-0001-4f00-9000-000000000001';
const CODE_ID = 'c9f3e4a5-0002-4f00-9000-000000000002';
/** Our node's id: kept when the node is renamed. */
export const NODE_ID = 'c9f3e4a5-0003-4f00-9000-000000000003';

interface WebhookWorkflowOptions {
	/** 'onReceived' (Respond: Immediately, the default) or 'lastNode' (answers with every item of the last node). */
	responseMode?: 'onReceived' | 'lastNode';
	/** Our node's options; default SKIP. */
	options?: Record<string, unknown>;
	/** Our node's On Error setting (n8n's `onError`), e.g. 'continueRegularOutput'. */
	onError?: string;
	/**
	 * Without: one call per delivery, Webhook -> uContact Disposition with BODY_FIELDS. With: a
	 * Code node between them returning these items (the calls of a bulk delivery), fields `$json.<key>`.
	 */
	jsCode?: string;
}

/** A production Webhook (POST /webhook/<path>) -> [Code ->] uContact Disposition, token credential. */
export function webhookWorkflow(
	name: string,
	webhookPath: string,
	credential: { id: string; name: string },
	{ responseMode = 'onReceived', options = SKIP, onError, jsCode }: WebhookWorkflowOptions = {},
) {
	const trigger = {
		id: TRIGGER_ID,
		name: TRIGGER,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		parameters: {
			httpMethod: 'POST',
			path: webhookPath,
			responseMode,
			...(responseMode === 'lastNode' ? { responseData: 'allEntries' } : {}),
			options: {},
		},
		webhookId: `7d2e9a4c-1f63-4a8d-8b5c-${Buffer.from(webhookPath).toString('hex').slice(-12).padStart(12, '0')}`,
	};
	const code =
		jsCode === undefined
			? undefined
			: {
					id: CODE_ID,
					name: 'Calls',
					type: 'n8n-nodes-base.code',
					typeVersion: 2,
					position: [220, 0],
					parameters: { mode: 'runOnceForAllItems', language: 'javaScript', jsCode },
				};
	const fields =
		jsCode === undefined
			? BODY_FIELDS
			: Object.fromEntries(Object.keys(BODY_FIELDS).map((key) => [key, `={{ $json.${key} }}`]));
	const node = {
		id: NODE_ID,
		name: NODE,
		type: NODE_TYPE,
		typeVersion: 1,
		position: [440, 0],
		parameters: { ...fields, options },
		credentials: { uContactApi: credential },
		...(onError ? { onError } : {}),
	};
	const chain = code ? [trigger, code, node] : [trigger, node];
	const connections: Record<string, unknown> = {};
	for (let i = 0; i + 1 < chain.length; i++) {
		connections[chain[i].name] = { main: [[{ node: chain[i + 1].name, type: 'main', index: 0 }]] };
	}
	return { name, active: false, settings: { executionOrder: 'v1' }, nodes: chain, connections };
}

export interface Deployed {
	id: string;
	versionId: string;
	/** http://127.0.0.1:PORT/webhook/<path> */
	url: string;
}

/** Creates and publishes (activates) `workflow`, then waits until its webhook is registered. */
export async function deploy(
	api: RestClient,
	baseUrl: string,
	workflow: ReturnType<typeof webhookWorkflow>,
): Promise<Deployed> {
	const created = await api.post<{ id: string; versionId: string }>('/rest/workflows', workflow);
	const webhookPath = (workflow.nodes[0].parameters as { path: string }).path;
	const url = `${baseUrl}/webhook/${webhookPath}`;
	await publish(api, created.id, created.versionId, url);
	return { id: created.id, versionId: created.versionId, url };
}

/**
 * Publishes (activates) version `versionId` of workflow `workflowId` and waits until production
 * runs use it and its webhook at `url` is registered. n8n 2.x publishes through an outbox,
 * asynchronously: until its publication status shows the version live, a delivery still runs the
 * version published before (seen: the first delivery after publishing a renamed node ran the old one).
 */
export async function publish(
	api: RestClient,
	workflowId: string,
	versionId: string,
	url: string,
	timeoutMs = 60000,
): Promise<void> {
	await api.post(`/rest/workflows/${workflowId}/activate`, { versionId });
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		let status: { status: string; liveVersionId: string | null; pendingVersionId: string | null };
		try {
			status = await api.get(`/rest/workflows/${workflowId}/publication-status`);
		} catch (error) {
			// n8n without its publication service (N8N_WORKFLOWS_USE_PUBLICATION_SERVICE off, or 1.x) publishes at once.
			if (/HTTP 404/.test(error.message)) break;
			throw error;
		}
		if (
			status.status === 'published' &&
			status.liveVersionId === versionId &&
			status.pendingVersionId === null
		)
			break;
		if (Date.now() > deadline)
			throw new Error(
				`version ${versionId} of workflow ${workflowId} not live within ${timeoutMs} ms: ${JSON.stringify(status)}`,
			);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	await waitForWebhook(url, timeoutMs);
}

/**
 * Waits until n8n has registered the POST webhook at `url` (n8n 2.x registers production
 * webhooks asynchronously after activation), without running the workflow: a GET to a path
 * registered for POST only answers 404 "...not registered for GET requests. Did you mean to make
 * a POST request?", an unknown path 404 "...not registered".
 */
export async function waitForWebhook(url: string, timeoutMs = 60000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	let last = '';
	for (;;) {
		const response = await fetch(url, { signal: AbortSignal.timeout(10000) });
		last = `HTTP ${response.status}: ${(await response.text()).slice(0, 200)}`;
		if (response.status !== 404 || /POST request/.test(last)) return;
		if (Date.now() > deadline)
			throw new Error(`webhook ${url} not registered within ${timeoutMs} ms (${last})`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

/** POSTs `body` as JSON to `url`; throws unless n8n answers 200. Resolves to the parsed answer. */
export async function deliver(url: string, body: unknown, timeoutMs = 60000): Promise<unknown> {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
		signal: AbortSignal.timeout(timeoutMs),
	});
	const text = await response.text();
	if (response.status !== 200)
		throw new Error(`POST ${url}: HTTP ${response.status}: ${text.slice(0, 300)}`);
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

/** Execution statuses n8n 2.x lists as finished, and as not finished yet. */
const FINISHED = ['success', 'error', 'crashed', 'canceled'];
const UNFINISHED = ['new', 'running', 'waiting', 'unknown'];

/** How many executions of workflow `workflowId` n8n lists with one of `statuses` (its list's `count`). */
export async function countExecutions(
	api: RestClient,
	workflowId: string,
	statuses: string[],
): Promise<number> {
	const filter = encodeURIComponent(JSON.stringify({ workflowId, status: statuses }));
	const page = await api.get<{ count: number; estimated?: boolean }>(
		`/rest/executions?filter=${filter}&limit=1`,
	);
	if (typeof page.count !== 'number' || page.count < 0 || page.estimated) {
		throw new Error(`n8n gave no exact execution count: ${JSON.stringify(page)}`);
	}
	return page.count;
}

/** Executions of workflow `workflowId` per finished status, e.g. { success: 90 }. */
export async function executionStatuses(
	api: RestClient,
	workflowId: string,
): Promise<Record<string, number>> {
	const statuses: Record<string, number> = {};
	for (const status of [...FINISHED, ...UNFINISHED]) {
		const count = await countExecutions(api, workflowId, [status]);
		if (count > 0) statuses[status] = count;
	}
	return statuses;
}

/**
 * Waits until workflow `workflowId` has at least `count` finished executions (success, error,
 * crashed or canceled) and none new, running or waiting.
 */
export async function waitForFinished(
	api: RestClient,
	workflowId: string,
	count: number,
	timeoutMs = 120000,
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const [finished, unfinished] = await Promise.all([
			countExecutions(api, workflowId, FINISHED),
			countExecutions(api, workflowId, UNFINISHED),
		]);
		if (finished >= count && unfinished === 0) return;
		if (Date.now() > deadline) {
			throw new Error(
				`workflow ${workflowId}: expected ${count} finished executions within ${timeoutMs} ms, have ${finished} finished and ${unfinished} not`,
			);
		}
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

/** Every finished execution of workflow `workflowId`: when it started and stopped (ms since the epoch). */
export async function finishedExecutions(
	api: RestClient,
	workflowId: string,
): Promise<Array<{ id: string; startedAt: number; stoppedAt: number }>> {
	const filter = encodeURIComponent(JSON.stringify({ workflowId, status: FINISHED }));
	const all: Array<{ id: string; startedAt: number; stoppedAt: number }> = [];
	let cursor: string | null = null;
	do {
		const page: {
			results: Array<{ id: string; startedAt: string; stoppedAt: string }>;
			nextCursor?: string | null;
		} = await api.get(
			`/rest/executions?filter=${filter}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
		);
		for (const execution of page.results) {
			all.push({
				id: String(execution.id),
				startedAt: Date.parse(execution.startedAt),
				stoppedAt: Date.parse(execution.stoppedAt),
			});
		}
		cursor = page.nextCursor ?? null;
	} while (cursor);
	return all;
}

/** The most executions that ran at the same time, from their start and stop times. */
export function mostAtOnce(executions: Array<{ startedAt: number; stoppedAt: number }>): number {
	const events = executions.flatMap((execution) => [
		[execution.startedAt, 1],
		[execution.stoppedAt, -1],
	]);
	// A stop before a start at the same millisecond: touching is not overlapping.
	events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
	let running = 0;
	let most = 0;
	for (const [, step] of events) {
		running += step;
		most = Math.max(most, running);
	}
	return most;
}

/** The call GUID a DispositionCall request carried (read from its raw body: fields are parsed only when it is answered). */
export function guidOf(rawBody: string): string {
	return new URLSearchParams(rawBody).get('guid') ?? '';
}

/** DispositionCall requests the simulator has received so far (answered or not). */
export function received(sim: Simulator) {
	return sim.requests.filter((request) => request.endpoint === 'DispositionCall');
}

/** How often each GUID arrived among `requests`. */
export function countByGuid(requests: Array<{ rawBody: string }>): Map<string, number> {
	const counts = new Map<string, number>();
	for (const request of requests) {
		const guid = guidOf(request.rawBody);
		counts.set(guid, (counts.get(guid) ?? 0) + 1);
	}
	return counts;
}

/** A position in the simulator's request log: what arrived after it is a phase's. */
export function mark(sim: Simulator): number {
	return received(sim).length;
}

/** DispositionCall requests received since `from` (a mark()). */
export function since(sim: Simulator, from: number) {
	return received(sim).slice(from);
}

/** Every request answered (none pending), none refused by the simulator's contract checks. */
export function problems(sim: Simulator): string[] {
	return received(sim)
		.filter((request) => request.status !== 200 || request.problems.length > 0)
		.map(
			(request) =>
				`${guidOf(request.rawBody)}: HTTP ${request.status} ${request.problems.join('; ')}`,
		);
}

/**
 * What n8n's `processed_data` table holds (the deduplication helpers' store): null when the
 * table does not exist, else its rows (workflow id, context, value size in bytes). `sql` runs
 * one query and returns tab-separated rows.
 */
export function processedData(
	sql: (query: string) => string,
): { rows: Array<{ workflowId: string; context: string; bytes: number }> } | null {
	let text: string;
	try {
		text = sql('SELECT "workflowId", "context", length("value") FROM processed_data');
	} catch (error) {
		if (/no such table|does not exist/i.test(String(error.stderr ?? error.message))) return null;
		throw error;
	}
	const rows = text
		.split('\n')
		.filter(Boolean)
		.map((line) => {
			const [workflowId, context, bytes] = line.split('\t');
			return { workflowId, context, bytes: Number(bytes) };
		});
	return { rows };
}

/** One query against n8n's SQLite database in `userFolder`, with the runtime's own sqlite3 module (read-only). */
export function sqliteQuery(rt: Runtime, userFolder: string): (query: string) => string {
	const database = path.join(userFolder, '.n8n', 'database.sqlite');
	const script = `
const sqlite3 = require(${JSON.stringify(path.join(rt.dir, 'node_modules/sqlite3'))});
const db = new sqlite3.Database(process.argv[1], sqlite3.OPEN_READONLY, (error) => { if (error) { console.error(error.message); process.exit(1); } });
db.all(process.argv[2], (error, rows) => {
	if (error) { console.error(error.message); process.exit(1); }
	for (const row of rows) console.log(Object.values(row).join('\\t'));
	db.close();
});`;
	return (query: string) =>
		execFileSync(path.join(rt.nodeBin, 'node'), ['-e', script, database, query], {
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'pipe'],
		});
}

/** One query against the queue-mode PostgreSQL, tab-separated rows as sqliteQuery gives them. */
export function postgresQuery(postgres: Postgres): (sql: string) => string {
	return (sql) => query(postgres, sql).join('\n');
}

/** A short description of processedData()'s answer, for the printed report. */
export function describeProcessedData(
	found: ReturnType<typeof processedData>,
	workflowIds: string[],
): string {
	if (found === null) return 'no processed_data table';
	const ours = found.rows.filter((row) => workflowIds.includes(row.workflowId));
	return (
		`processed_data exists, ${found.rows.length} row(s)` +
		(ours.length > 0
			? `, for these workflows: ${ours.map((row) => `${row.workflowId} ${JSON.stringify(row.context)} ${row.bytes} bytes`).join('; ')}`
			: ', none for these workflows')
	);
}
