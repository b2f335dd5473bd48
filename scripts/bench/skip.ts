/**
 * Skip Already Recorded Dispositions on vs off (issue 28), in the same run. Every run of the node
 * claims each disposition in n8n's deduplication store (processed_data) before sending it and
 * writes its outcome after; with Skip on a new claim is also read back after a settle delay.
 * What that costs when nothing is skipped (every call new, the first delivery):
 *   - bulk: Map Automatically on --items new calls, Skip off and on in pairs (the order turning
 *     each pair), best of max(3, --repeat) each, and each pair's ratio; the ceiling node (no
 *     record at all) in the same turns for reference;
 *   - one call per execution: the Webhook workflow (Define Below, 13 dragged fields) at --clients
 *     clients (throughput, and latency under that load) and from 1 client (latency alone), Skip off
 *     and on, each with the node's processed_data row as the run grows it (near empty) and filled
 *     to the record's cap before the timed POSTs (full); the ceiling node (no record at all) in
 *     the same rounds for reference.
 */
import type { Args } from './args';
import type { Run } from './measure';
import type { BenchContext } from './n8nProcess';
import { recordSize, type RecordSize } from './processedData';
import type { Row } from './report';
import { SCENARIOS, type Settings } from './scenarios';
import {
	installStoreTiming,
	storeTiming,
	takeStoreCalls,
	type StoreCall,
	type StoreTiming,
} from './storeTiming';
import { runWebhooks, type WebhookRow } from './webhook';

/** The 1-client webhook POSTs run in this many rounds: short turns, so load elsewhere falls on each alike. */
const SERIAL_ROUNDS = 10;

export const SKIP_BULK_KEYS = SCENARIOS.filter((s) => s.skip === 'bulk').map((s) => s.key);
/** Run in the same turns as the bulk Skip rows: the helper alone, no record at all. */
export const BULK_REFERENCE = 'ceilingC';
/** The ceiling node first: one call per execution with no record at all, for reference. */
export const SKIP_WEBHOOK_KEYS = [
	'ceilingC',
	...SCENARIOS.filter((s) => s.skip === 'webhook').map((s) => s.key),
];

export interface SkipResult {
	/** The bulk rows (best of `pairs` each), keyed `skip:<scenario key>`. */
	bulk: Row[];
	pairs: number;
	/** Skip on / Skip off items/s of each pair, in order. */
	pairRatios: number[];
	/** Skip off / the ceiling (no record) items/s of each turn, in order. */
	offVsCeiling?: number[];
	/** The bulk workflows' processed_data rows after the last pair. */
	bulkRecords: Record<string, RecordSize | null>;
	/** The bulk workflows' store calls over all their timed runs, per item (storeTiming.ts). */
	bulkStore: Record<string, StoreTiming | null>;
	/** At --clients clients. */
	webhook: WebhookRow[];
	/** From 1 client. */
	serial: WebhookRow[];
}

export interface SkipDeps {
	ctx: BenchContext;
	args: Args;
	settings: Settings;
	idlePerMs: number;
	log: (text: string) => void;
	/** One run of a scenario's bulk workflow on `count` items (suite.ts's measure). */
	measure(key: string, count: number, times: number): Promise<Run>;
	/** The workflow a bulk scenario runs (its id, for its processed_data row). */
	workflowId(key: string, count: number): Promise<string>;
	/** The NoOp baseline of `count` items and the report row of a run against it. */
	baseline(count: number): Promise<Run>;
	row(key: string, label: string, run: Run, base: Run): Row;
	label(key: string): string;
	/** Called with what is measured so far, so a cut-short run keeps its rows. */
	save(partial: Partial<SkipResult>): void;
}

export async function runSkip(deps: SkipDeps): Promise<SkipResult> {
	const { ctx, args, settings, idlePerMs, log } = deps;
	const N = args.items;
	const [off, on] = SKIP_BULK_KEYS;
	const result: SkipResult = {
		bulk: [],
		pairs: 0,
		pairRatios: [],
		bulkRecords: {},
		bulkStore: {},
		offVsCeiling: [],
		webhook: [],
		serial: [],
	};
	await installStoreTiming(ctx);

	// Bulk, in pairs taking turns (off on, on off, ...): a burst of load elsewhere falls on both.
	const pairs = Math.max(3, args.repeat);
	const base = await deps.baseline(N);
	const turn = [BULK_REFERENCE, off, on];
	log(`skip: warm-up, ${turn.join(', ')} on ${Math.min(100, N)} items`);
	for (const key of turn) await deps.measure(key, Math.min(100, N), 1);
	const best = new Map<string, Run>();
	const calls: StoreCall[] = [];
	for (let pair = 0; pair < pairs; pair++) {
		const rates = new Map<string, number>();
		for (const key of pair % 2 === 0 ? turn : [...turn].reverse()) {
			await takeStoreCalls(ctx);
			const run = await deps.measure(key, N, 1);
			calls.push(...(await takeStoreCalls(ctx)));
			rates.set(key, run.items / (run.nodeMs / 1000));
			const kept = best.get(key);
			if (!kept || run.nodeMs < kept.nodeMs) best.set(key, run);
		}
		const ratio = (rates.get(on) as number) / (rates.get(off) as number);
		result.pairRatios.push(ratio);
		result.offVsCeiling?.push((rates.get(off) as number) / (rates.get(BULK_REFERENCE) as number));
		log(
			`skip: bulk turn ${pair + 1}/${pairs}: ceiling ${(rates.get(BULK_REFERENCE) as number).toFixed(0)}/s, off ${(rates.get(off) as number).toFixed(0)}/s, on ${(rates.get(on) as number).toFixed(0)}/s (on/off ${ratio.toFixed(2)}x)`,
		);
	}
	result.pairs = pairs;
	result.bulk = turn.map((key) =>
		deps.row(`skip:${key}`, deps.label(key), best.get(key) as Run, base),
	);
	for (const key of SKIP_BULK_KEYS) {
		const id = await deps.workflowId(key, N);
		result.bulkRecords[key] = recordSize(ctx.server.userFolder, id);
		result.bulkStore[key] = storeTiming(calls, id, N * pairs);
	}
	deps.save(result);

	// One call per execution: under load, then alone.
	result.webhook = await runWebhooks(
		ctx,
		SKIP_WEBHOOK_KEYS,
		settings,
		args.skipPosts,
		args.clients,
		args.webhookRounds,
		idlePerMs,
		log,
		{ tag: 'skip-', sample: 100, beforeRounds: () => takeStoreCalls(ctx).then(() => undefined) },
	);
	withStore(result.webhook, await takeStoreCalls(ctx));
	deps.save(result);
	result.serial = await runWebhooks(
		ctx,
		SKIP_WEBHOOK_KEYS,
		settings,
		args.skipSerialPosts,
		1,
		SERIAL_ROUNDS,
		idlePerMs,
		log,
		{ tag: 'serial-', sample: 100, beforeRounds: () => takeStoreCalls(ctx).then(() => undefined) },
	);
	withStore(result.serial, await takeStoreCalls(ctx));
	deps.save(result);
	return result;
}

/** Each row's share of the store calls noted over its timed POSTs. */
function withStore(rows: WebhookRow[], calls: StoreCall[]): void {
	for (const row of rows)
		row.store = row.workflowId ? storeTiming(calls, row.workflowId, row.posts) : null;
}
