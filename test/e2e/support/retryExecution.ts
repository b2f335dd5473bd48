import { createHash } from 'node:crypto';
// What the Retry-of-a-failed-execution e2e tests share (retryExecution.e2e.ts, and its queue-mode
// part): the calls, the outage, the workflows, the Retry as n8n's execution list sends it, and
// what the retried execution must show.
import type { Simulator } from '../../support/simulator/simulator';
import type { Execution, RestClient, RunItem } from './rest';
import { dispositionWorkflow, NODE, NODE_ID, NODE_TYPE } from './dispositionWorkflow';

export { NODE, NODE_TYPE };

export interface Call {
	campaign: string;
	agent: string;
	callerid: string;
	guid: string;
	l1: string;
}

/** 40 calls; the first 15 are recorded before the outage starts. */
export const CALLS: Call[] = Array.from({ length: 40 }, (_, index) => ({
	campaign: 'Ventas->',
	agent: `agente${index % 3}`,
	callerid: String(59899400000 + index),
	guid: `retry-e2e-${String(index).padStart(3, '0')}`,
	l1: index % 2 === 0 ? 'Venta' : 'No interesado',
}));
export const FIRST_RUN = CALLS.slice(0, 15);

/** Small Safe Retries and Max Retry Wait: the outage outlasts them at once. */
export const OPTIONS = { safeRetries: 1, maxRetryWait: 50 };

/** GUIDs of the dispositions the simulator recorded, in arrival order. */
export const recordedGuids = (sim: Simulator): string[] =>
	sim.dispositions.map((request) => request.fields.guid);

/**
 * uContact records the next `after` DispositionCall requests, then answers 503 to every one
 * until the returned function ends the outage.
 */
export function outageAfter(sim: Simulator, after: number): () => void {
	sim.setBehaviour({ kind: 'status', status: 503 });
	sim.queue(...Array.from({ length: after }, () => ({ kind: 'normal' as const })));
	return () => sim.setBehaviour({ kind: 'normal' });
}

export const MANUAL_TRIGGER = {
	id: 'b8e2d3f4-0001-4f00-9000-000000000001',
	name: 'Manual Trigger',
	type: 'n8n-nodes-base.manualTrigger',
	typeVersion: 1,
	parameters: {},
};

/** A production Webhook trigger at POST /webhook/<path>, answering at once. */
export function webhookTrigger(path: string) {
	return {
		id: 'b8e2d3f4-0004-4f00-9000-000000000004',
		name: 'Call ended',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
		webhookId: `6c1d8f3b-0e52-4f7c-9a4b-${Buffer.from(path).toString('hex').slice(-12).padStart(12, '0')}`,
	};
}

/** The retry tests' workflow: the shared one with OPTIONS. */
export function workflowJson(
	name: string,
	trigger: { name: string } & Record<string, unknown>,
	jsCode: string,
	credential: { id: string; name: string },
) {
	return dispositionWorkflow(name, trigger, jsCode, credential, OPTIONS);
}

/** 'original': the execution list's "Retry with original workflow"; 'saved': "Retry with currently saved workflow". */
export type Variant = 'original' | 'saved';

/**
 * POST /rest/executions/:id/retry as n8n's execution list sends it (its executions store, 1.x and
 * 2.x alike: `retryExecution(id, loadWorkflow)` sends `{ loadWorkflow: true }` or no body).
 * n8n answers once the retry has finished.
 */
export async function retryAsTheListDoes(api: RestClient, executionId: string, variant: Variant) {
	return await api.post<{ id: string; retryOf: string; status: string }>(
		`/rest/executions/${executionId}/retry`,
		variant === 'saved' ? { loadWorkflow: true } : undefined,
	);
}

/**
 * Who the retry's hint names for the failed run's items: the failed execution itself, when the
 * retry runs in the n8n process that ran it (this process's record knows it); or only "an earlier
 * execution of this workflow", when n8n's deduplication store is all that knows (after a restart,
 * or on another queue-mode worker).
 */
export type RecordedBy = 'this process' | "n8n's store";

/**
 * The hashes n8n's store keeps for record/roster.ts's presence entries (`p:` and `s:`, one period
 * a minute) from `since` until now: how n8n processes running the node meet in its row, not a
 * disposition's entries.
 */
export function presenceHashes(since: number): Set<string> {
	const minute = 60_000;
	const hashes = new Set<string>();
	for (
		let period = Math.floor(since / minute) - 5;
		period <= Math.floor(Date.now() / minute) + 1;
		period++
	)
		for (const kind of ['p', 's'])
			hashes.add(createHash('md5').update(`${kind}:${minute}:${period}`).digest('base64'));
	return hashes;
}

/**
 * What our node keeps in n8n's deduplication store (table processed_data, one row per workflow
 * and node id) for `workflowId`: the row's entries and its size in bytes. `sql` runs one query
 * and returns tab-separated rows (recordOnce.ts's sqliteQuery or postgresQuery).
 */
export function storedRecord(
	sql: (query: string) => string,
	workflowId: string,
): { context: string; entries: string[]; bytes: number } {
	const rows = sql(
		`SELECT "context", "value" FROM processed_data WHERE "workflowId" = '${workflowId}'`,
	)
		.split('\n')
		.filter(Boolean);
	expect(rows).toHaveLength(1);
	const [context, value] = rows[0].split('\t');
	const parsed = JSON.parse(value) as { mode: string; data: string[] };
	expect(parsed.mode).toBe('entries');
	return { context, entries: parsed.data, bytes: Buffer.byteLength(value) };
}

/**
 * Checks our node's output in the retried execution: one run, 40 items in input order, the
 * failed run's 15 as alreadyRecorded (response null, the hint naming who recorded them), the
 * other 25 sent now; and what n8n's store keeps: hashes only, no call's field values, two
 * entries per disposition (its claim and its outcome). Returns the counts and the store's size.
 */
export function retriedOutput(
	retried: Execution,
	failed: Execution,
	recordedBy: RecordedBy,
	sql: (query: string) => string,
) {
	const runs = retried.data.resultData.runData[NODE];
	expect(runs).toHaveLength(1);
	const items: RunItem[] = runs[0].data?.main[0] ?? [];
	expect(items.map((item) => (item.json.disposition as Call).guid)).toEqual(
		CALLS.map((call) => call.guid),
	);
	expect(items.every((item) => item.json.success === true)).toBe(true);
	const firstRun = new Set(FIRST_RUN.map((call) => call.guid));
	const hint =
		recordedBy === 'this process'
			? new RegExp(
					`^Recorded by execution ${failed.id}, (less than a minute|\\d+ minutes?) ago; this retry of it did not send it again\\.$`,
				)
			: /^Recorded by an earlier execution of this workflow; this retry of it did not send it again\.$/;
	for (const item of items) {
		const guid = (item.json.disposition as Call).guid;
		if (firstRun.has(guid)) {
			expect([item.json.alreadyRecorded, item.json.response]).toEqual([true, null]);
			expect(item.json.hint).toMatch(hint);
		} else {
			expect([item.json.alreadyRecorded, item.json.response, item.json.hint]).toEqual([
				false,
				'OK',
				null,
			]);
		}
	}
	// Nothing of ours in the failed execution's saved node context: the record is n8n's store.
	const saved = failed.data as unknown as {
		executionData?: { contextData?: Record<string, Record<string, unknown>> };
	};
	expect(Object.keys(saved.executionData?.contextData?.[`node:${NODE}`] ?? {})).toEqual([]);
	const stored = storedRecord(sql, failed.workflowId);
	expect(stored.context).toBe(`n:${NODE_ID}`);
	// Hashes only (n8n keeps an MD5 of each entry, base64): no call's field values.
	const text = JSON.stringify(stored.entries);
	for (const call of CALLS) {
		expect(text).not.toContain(call.guid);
		expect(text).not.toContain(call.callerid);
	}
	expect(stored.entries.filter((entry) => !/^[A-Za-z0-9+/]{22}==$/.test(entry))).toEqual([]);
	return {
		skipped: items.filter((item) => item.json.alreadyRecorded === true).length,
		sent: items.filter((item) => item.json.alreadyRecorded === false).length,
		stored,
	};
}
