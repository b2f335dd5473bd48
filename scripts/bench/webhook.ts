/**
 * One call per execution, the production shape: a Webhook-triggered workflow (production URL,
 * active) whose every execution records one disposition. `posts` POSTs from `clients` concurrent
 * clients, each a finished call as JSON; each client waits for the answer (the Webhook node answers
 * with the last node's output) before it posts the next, as many dialer connections would. The
 * POSTs run in rounds, the workflows taking turns, so that load from elsewhere on the machine does
 * not fall on one workflow only.
 *
 * Per scenario: executions per second over the whole burst; time from each POST to its request's
 * arrival at the simulator (Recorded.at) and to the webhook's answer, p50/p95/p99; n8n's CPU per
 * execution (main + task runner, idle CPU taken off); and, from a sample of the saved
 * executions, the node's own executionTime and the execution's duration as n8n records them.
 */
import * as crypto from 'node:crypto';

import { cpuMs, sleep, type BenchContext, type Json } from './n8nProcess';
import { fillRecord, recordSize, type RecordSize } from './processedData';
import type { StoreTiming } from './storeTiming';
import {
	labelOf,
	makeCall,
	scenario,
	underTestNode,
	UNDER_TEST,
	webhookWorkflowJson,
	type Settings,
} from './scenarios';

export interface Percentiles {
	p50: number;
	p95: number;
	p99: number;
	mean: number;
}

export interface WebhookRow {
	key: string;
	label: string;
	workflowId?: string;
	posts: number;
	clients: number;
	wallMs: number;
	execPerS: number;
	/** exec/s of each round, in order (older saved runs have none). */
	roundExecPerS?: number[];
	/** POST sent -> the request arrived at the simulator, ms. */
	toRecorded: Percentiles;
	/** POST sent -> the webhook answered, ms. */
	toAnswer: Percentiles;
	/** n8n main + task runner CPU per execution, ms. */
	cpuPerExecMs: number;
	/** From `sampled` saved executions: the node under test's executionTime, ms. */
	nodeMs: Percentiles;
	/** ... and the execution's startedAt..stoppedAt, ms. */
	executionMs: Percentiles;
	sampled: number;
	/**
	 * The node's row in n8n's processed_data table (processedData.ts): after the warm-up (after
	 * filling it, for a full-record scenario) and after the timed POSTs. Older saved runs have none.
	 */
	record?: { before: RecordSize | null; after: RecordSize | null };
	/** n8n's deduplication store calls of the timed POSTs (storeTiming.ts), where measured. */
	store?: StoreTiming | null;
}

export interface WebhookOptions {
	/** Put before each workflow's webhook path, so one scenario can run in two bursts of its own. */
	tag?: string;
	/** How many of the last saved executions are read for the node's time (50). */
	sample?: number;
	/** Called after the warm-up (and filling full records), just before the timed POSTs. */
	beforeRounds?: () => Promise<void>;
}

export function percentiles(values: number[]): Percentiles {
	const sorted = [...values].sort((a, b) => a - b);
	const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
	const mean = sorted.reduce((sum, v) => sum + v, 0) / sorted.length;
	return { p50: at(0.5), p95: at(0.95), p99: at(0.99), mean };
}

const GUID_BASE = 500000;

async function post(url: string, body: unknown): Promise<{ status: number; text: string }> {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	return { status: response.status, text: await response.text() };
}

interface PreparedWebhook {
	key: string;
	label: string;
	url: string;
	workflowId: string;
	callFor(i: number): ReturnType<typeof makeCall>;
}

/** Creates and activates the workflow, waits for its webhook, and warms it up. */
async function prepareWebhook(
	ctx: BenchContext,
	key: string,
	settings: Settings,
	clients: number,
	offset: number,
	tag = '',
): Promise<PreparedWebhook> {
	const { api, sim } = ctx;
	const s = scenario(key);
	const label = labelOf(s, settings);
	const target = { url: sim.url, token: sim.token, credential: ctx.credential };
	const path = `bench-${tag}${key.toLowerCase()}`;
	const created = await api.post(
		'/rest/workflows',
		webhookWorkflowJson(
			`bench webhook ${label}`,
			path,
			crypto.randomUUID(),
			underTestNode(s, settings, target, 'body.'),
		),
	);
	await api.post(`/rest/workflows/${created.id}/activate`, { versionId: created.versionId });
	const url = `${ctx.server.url}/webhook/${path}`;
	const callFor = (i: number) => {
		const call = makeCall(i);
		call.guid = '00000000-0000-4000-8000-' + String(GUID_BASE + offset + i).padStart(12, '0');
		return call;
	};
	const prepared = { key, label, url, workflowId: created.id as string, callFor };
	// n8n 2.x registers an activated workflow's webhook a moment after activation: 404 until then.
	for (let attempt = 0; ; attempt++) {
		const answer = await post(url, callFor(0));
		if (answer.status === 200) break;
		if (answer.status !== 404 || attempt > 100) {
			throw new Error(`webhook ${label}: HTTP ${answer.status}: ${answer.text.slice(0, 300)}`);
		}
		await sleep(100);
	}
	// Warm-up: a few rounds of every client, so V8 has compiled the path before it is timed.
	await burst(prepared, clients, clients * 2, 1);
	return prepared;
}

/** `count` POSTs from `clients` clients, each posting its next call when the webhook answered. */
async function burst(
	webhook: PreparedWebhook,
	clients: number,
	count: number,
	first: number,
	sent?: Map<string, number>,
	answered?: number[],
): Promise<void> {
	let next = 0;
	const client = async () => {
		while (next < count) {
			const call = webhook.callFor(first + next++);
			const t0 = Date.now();
			sent?.set(call.guid, t0);
			const answer = await post(webhook.url, call);
			if (answer.status !== 200) {
				throw new Error(
					`webhook ${webhook.label}: HTTP ${answer.status}: ${answer.text.slice(0, 300)}`,
				);
			}
			answered?.push(Date.now() - t0);
		}
	};
	await Promise.all(Array.from({ length: Math.min(clients, count) }, client));
}

/**
 * Each workflow's `posts` POSTs in `rounds` rounds, the workflows taking turns (A B, B A, A B...),
 * so a change in the machine's load while the benchmark runs falls on every workflow alike
 * instead of on whichever ran at that moment. Every round checks the simulator saw exactly its
 * POSTs, each once and without problems.
 */
export async function runWebhooks(
	ctx: BenchContext,
	keys: string[],
	settings: Settings,
	posts: number,
	clients: number,
	rounds: number,
	idlePerMs: number,
	log: (text: string) => void,
	options: WebhookOptions = {},
): Promise<WebhookRow[]> {
	const { api, sim } = ctx;
	const prepared: PreparedWebhook[] = [];
	for (const [index, key] of keys.entries()) {
		prepared.push(
			await prepareWebhook(ctx, key, settings, clients, index * (posts + 1000), options.tag),
		);
	}
	await sleep(500);
	// The node's row as the warm-up left it; a full-record scenario's row filled to the cap now,
	// while n8n is idle (its warm-up inserted the row).
	const before = prepared.map((webhook) => {
		if (!scenario(webhook.key).fullRecord)
			return recordSize(ctx.server.userFolder, webhook.workflowId);
		const filled = fillRecord(ctx.server.userFolder, webhook.workflowId);
		log(
			`  ${webhook.label}: the node's processed_data row filled to ${filled.entries} entries, ${filled.bytes} bytes`,
		);
		return filled;
	});
	await options.beforeRounds?.();
	const perRound = Math.ceil(posts / rounds);
	const totals = prepared.map(() => ({
		posts: 0,
		wallMs: 0,
		cpuMs: 0,
		toRecorded: [] as number[],
		answered: [] as number[],
		roundExecPerS: [] as number[],
	}));
	log(
		`webhook: ${keys.join(', ')}, ${posts} POSTs each from ${clients} clients, in ${rounds} rounds taking turns`,
	);
	for (let round = 0; round < rounds; round++) {
		const order = prepared.map((_, i) => i);
		if (round % 2 === 1) order.reverse();
		for (const i of order) {
			const webhook = prepared[i];
			const total = totals[i];
			const count = Math.min(perRound, posts - total.posts);
			if (count <= 0) continue;
			sim.reset();
			const sent = new Map<string, number>();
			const pids = ctx.pids();
			const cpu0 = cpuMs(pids);
			const t0 = performance.now();
			await burst(webhook, clients, count, 1000 + total.posts, sent, total.answered);
			const wallMs = performance.now() - t0;
			total.cpuMs += cpuMs(pids) - cpu0 - idlePerMs * wallMs;
			const calls = sim.requests.filter((r) => r.endpoint === 'DispositionCall');
			const bad = calls.filter((r) => r.problems.length > 0 || r.status !== 200);
			if (calls.length !== count || bad.length > 0) {
				throw new Error(
					`webhook ${webhook.label}: the simulator saw ${calls.length} requests (expected ${count}), ${bad.length} with problems` +
						(bad[0] ? `; first: ${bad[0].status} ${bad[0].problems.join(' | ')}` : ''),
				);
			}
			const toRecorded = calls.map((r) => r.at - (sent.get(r.fields.guid) as number));
			if (toRecorded.some((v) => Number.isNaN(v)))
				throw new Error(`webhook ${webhook.label}: a request with an unknown guid`);
			total.toRecorded.push(...toRecorded);
			total.posts += count;
			total.wallMs += wallMs;
			total.roundExecPerS.push(count / (wallMs / 1000));
			log(
				`  round ${round + 1}/${rounds} ${webhook.label}: ${count} POSTs, ${(count / (wallMs / 1000)).toFixed(1)} exec/s`,
			);
		}
	}

	const rows: WebhookRow[] = [];
	for (const [i, webhook] of prepared.entries()) {
		await api.post(`/rest/workflows/${webhook.workflowId}/deactivate`, {});
		// The node's own time, from a sample of the saved executions (run data is costly to fetch).
		const filter = encodeURIComponent(JSON.stringify({ workflowId: webhook.workflowId }));
		const list = await api.get(`/rest/executions?filter=${filter}&limit=${options.sample ?? 50}`);
		const nodeMs: number[] = [];
		const executionMs: number[] = [];
		for (const entry of list.results as Json[]) {
			const execution = await api.get(`/rest/executions/${entry.id}`);
			const runs = ctx.flatted.parse(execution.data).resultData.runData[UNDER_TEST];
			if (!runs) continue;
			nodeMs.push(runs[0].executionTime);
			executionMs.push(Date.parse(entry.stoppedAt) - Date.parse(entry.startedAt));
		}
		const total = totals[i];
		rows.push({
			key: webhook.key,
			label: webhook.label,
			workflowId: webhook.workflowId,
			posts: total.posts,
			clients,
			wallMs: total.wallMs,
			execPerS: total.posts / (total.wallMs / 1000),
			roundExecPerS: total.roundExecPerS,
			toRecorded: percentiles(total.toRecorded),
			toAnswer: percentiles(total.answered),
			cpuPerExecMs: total.cpuMs / total.posts,
			nodeMs: percentiles(nodeMs),
			executionMs: percentiles(executionMs),
			sampled: nodeMs.length,
			record: { before: before[i], after: recordSize(ctx.server.userFolder, webhook.workflowId) },
		});
	}
	return rows;
}
