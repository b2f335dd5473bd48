/**
 * The measured sequence: warm-up of every scenario, the raw client floors, then each scenario
 * on N items next to the NoOp baseline of the same size, and autoMap on many more items for
 * memory growth. Returns the report's rows.
 */
import type { Args } from './args';
import { meanInFlight, rawClient, runOnce, type Run } from './measure';
import {
	createWorkflow,
	idleCpuPerMs,
	measurePollCost,
	type BenchContext,
	type StoredWorkflow,
} from './n8nProcess';
import type { Row } from './report';
import { runSkip, type SkipResult } from './skip';
import { runWebhooks, type WebhookRow } from './webhook';
import {
	labelOf,
	MAIN_SCENARIOS,
	SCENARIOS,
	scenario,
	sends,
	underTestNode,
	workflowJson,
	type Settings,
} from './scenarios';

/** The memory rows: Map Automatically, the HTTP Request node (batched) and the ceiling. */
const MEMORY_KEYS = ['autoMapC', 'httpBatch', 'ceilingC'];

export interface SuiteResult {
	rows: Row[];
	bigItems: number;
	memoryItems: number;
	rawInFlight: number | null;
	webhook: WebhookRow[];
	/** Skip Already Recorded Dispositions on vs off (skip.ts); absent with --no-skip. */
	skip?: Partial<SkipResult>;
}

export async function runSuite(
	ctx: BenchContext,
	args: Args,
	log: (text: string) => void,
	/** Called with what is measured so far after each part, so a cut-short run keeps its rows. */
	checkpoint: (partial: SuiteResult) => void = () => {},
): Promise<SuiteResult> {
	const { sim } = ctx;
	const N = args.items;
	const C = args.concurrency;
	const settings: Settings = { concurrency: C, latency: args.latency };
	const bigN = args.quick ? N * 5 : N * 10;
	const warmN = Math.min(100, N);
	const target = { url: sim.url, token: sim.token, credential: ctx.credential };
	const label = (key: string) => labelOf(scenario(key), settings);

	const workflows = new Map<string, StoredWorkflow>();
	const workflowFor = async (key: string, count: number): Promise<StoredWorkflow> => {
		const id = `${key}:${count}`;
		if (!workflows.has(id)) {
			const json = workflowJson(
				`bench ${label(key)} x${count}`,
				count,
				underTestNode(scenario(key), settings, target),
				scenario(key).distinct,
			);
			workflows.set(id, await createWorkflow(ctx.api, json));
		}
		return workflows.get(id) as StoredWorkflow;
	};
	const measure = async (key: string, count: number, times = args.repeat): Promise<Run> => {
		const wf = await workflowFor(key, count);
		let best: Run | undefined;
		for (let i = 0; i < times; i++) {
			const run = await runOnce(ctx, wf, sends(scenario(key)) ? count : 0);
			if (!best || run.nodeMs < best.nodeMs) best = run;
		}
		return best as Run;
	};

	const webhookKeys = args.webhookCeiling
		? ['defineC', 'httpAll', 'ceilingC']
		: ['defineC', 'httpAll'];
	const webhookRows = (idle: number) =>
		runWebhooks(
			ctx,
			webhookKeys,
			settings,
			args.posts,
			args.clients,
			args.webhookRounds,
			idle,
			log,
		);
	if (args.webhookOnly) {
		const webhook = await webhookRows(await idleCpuPerMs(ctx.pids));
		return { rows: [], bigItems: bigN, memoryItems: 0, rawInFlight: null, webhook };
	}
	const baselineKey = (SCENARIOS.find((s) => s.baseline) ?? scenario('noop')).key;
	ctx.pollCpuMs = await measurePollCost(
		ctx.api,
		ctx.pids(),
		(await workflowFor(baselineKey, warmN)).id,
	);
	log(`one execution-list poll costs n8n ${ctx.pollCpuMs.toFixed(2)} ms CPU (taken off each run)`);
	// An idle n8n still burns some CPU (timers, task-runner heartbeats); over a 25 s run at C=1
	// that would be charged to the node, so it is measured and taken off per ms of run.
	const idlePerMs = await idleCpuPerMs(ctx.pids);
	log(
		`idle n8n uses ${(idlePerMs * 100).toFixed(1)}% of a CPU (taken off each run by its duration)`,
	);

	// Warm-up: each scenario once on a few items, so V8 has compiled n8n's and our paths before
	// anything is timed. It also proves every workflow is right: runOnce fails if the simulator
	// flags any request, or sees the wrong number of them.
	const warmed = args.memoryOnly
		? [baselineKey, ...MEMORY_KEYS]
		: args.skipOnly
			? [baselineKey]
			: MAIN_SCENARIOS.map((s) => s.key);
	log(
		`warm-up: ${warmed.length} scenarios on ${warmN} items, checking the simulator sees no problems`,
	);
	for (const key of warmed) await measure(key, warmN, 1);

	const rows: Row[] = [];
	let memoryItems = 0;
	const webhook: WebhookRow[] = [];
	let skip: Partial<SkipResult> | undefined;
	const save = () => checkpoint({ rows, bigItems: bigN, memoryItems, rawInFlight, webhook, skip });
	let rawInFlight: number | null = null;
	const row = (key: string, rowLabel: string, run: Run, base: Run | null): Row => ({
		key,
		label: rowLabel,
		items: run.items,
		wallMs: run.wallMs,
		nodeMs: run.nodeMs,
		rate: key === baselineKey ? null : run.items / (run.nodeMs / 1000),
		cpuPerItem: base
			? (run.cpuMs - idlePerMs * run.windowMs - (base.cpuMs - idlePerMs * base.windowMs)) /
				run.items
			: run.cpuMs / run.items,
		inFlight: run.inFlight,
		peakRssMiB: run.peakRssMiB,
		rssBeforeMiB: run.rssBeforeMiB,
		rssExact: run.rssExact,
		heapBeforeMiB: run.heapBeforeMiB,
		peakHeapMiB: run.peakHeapMiB,
	});
	const baselines = new Map<number, Run>();
	const baseline = async (count: number): Promise<Run> => {
		// Twice, keeping the cheaper: the baseline is subtracted, so its noise lands on every row.
		if (!baselines.has(count)) {
			log(`${label(baselineKey)} x${count}`);
			const run = await measure(baselineKey, count, Math.max(2, args.repeat));
			baselines.set(count, run);
			rows.push(row(baselineKey, label(baselineKey), run, null));
		}
		return baselines.get(count) as Run;
	};

	// Memory: the same many items through Map Automatically, the HTTP Request node and the ceiling.
	// The HTTP Request node runs batched (C every L ms): unbatched it opens a connection per item
	// at once, and at 10,000 items the simulator's accept queue overflows (ECONNRESET).
	const memoryRows = async (M: number) => {
		const memBase = await baseline(M);
		memoryItems = M;
		for (const key of MEMORY_KEYS) {
			const measured = rows.find((r) => r.key === `${key}Big` && r.items === M);
			if (measured) {
				rows.push({ ...measured, key: `mem:${key}` });
				continue;
			}
			log(`${label(key)} x${M} (memory)`);
			try {
				rows.push(row(`mem:${key}`, label(key), await measure(key, M, 1), memBase));
			} catch (error) {
				log(`memory ${key} x${M} FAILED: ${failure(error)}`);
			}
			save();
		}
	};
	if (args.memoryOnly) {
		await memoryRows(args.memoryItems);
		return { rows, bigItems: bigN, memoryItems, rawInFlight, webhook };
	}

	// Skip Already Recorded Dispositions on vs off: bulk pairs, webhook under load and alone.
	const skipRows = async () => {
		try {
			skip = await runSkip({
				ctx,
				args,
				settings,
				idlePerMs,
				log,
				measure,
				workflowId: async (key, count) => (await workflowFor(key, count)).id,
				baseline,
				row,
				label,
				save: (partial) => {
					skip = { ...partial };
					save();
				},
			});
		} catch (error) {
			// A failed Skip part leaves every other row in the report.
			log(`skip FAILED: ${failure(error)}`);
			if (args.skipOnly) throw error;
		}
		save();
	};
	if (args.skipOnly) {
		await skipRows();
		return { rows, bigItems: bigN, memoryItems, rawInFlight, webhook, skip };
	}

	log(`raw client floor: ${N} requests at concurrency ${C}`);
	sim.reset();
	const raw = await rawClient(sim, N, C, warmN);
	// The warm-up's requests are in the simulator's list too: only the measured ones count.
	sim.requests.splice(0, warmN);
	rawInFlight = meanInFlight(sim);
	const rawRequests = sim.requests.filter((r) => r.endpoint === 'DispositionCall');
	if (rawRequests.some((r) => r.problems.length > 0 || r.status !== 200)) {
		throw new Error(
			'the raw client sent requests the simulator flagged: the benchmark body is wrong',
		);
	}
	log(`raw client at concurrency 1: ${N} requests (the floor for C=1)`);
	sim.reset();
	const raw1 = await rawClient(sim, N, 1, Math.min(20, N));
	for (const [key, concurrency, run] of [
		['raw1', 1, raw1],
		['raw', C, raw],
	] as const) {
		rows.push({
			key,
			label: `raw http.request C=${concurrency}`,
			items: N,
			wallMs: run.wallMs,
			nodeMs: null,
			rate: N / (run.wallMs / 1000),
			cpuPerItem: run.cpuMs / N,
			peakRssMiB: run.maxRssMiB as number,
			rssBeforeMiB: null,
		});
	}

	const base = await baseline(N);
	for (const s of MAIN_SCENARIOS.filter((each) => !each.baseline)) {
		log(`${label(s.key)} x${N}`);
		rows.push(row(s.key, label(s.key), await measure(s.key, N), base));
		save();
	}
	// The helper's ceiling at 10x the items, next to the two modes it bounds.
	const bigBase = await baseline(bigN);
	for (const key of ['ceilingC', 'autoMapC', 'defineC']) {
		log(`${label(key)} x${bigN}`);
		rows.push(row(`${key}Big`, label(key), await measure(key, bigN), bigBase));
		save();
	}

	// One call per execution: Webhook -> the node, 20 clients, the workflows taking turns.
	try {
		if (!args.noWebhook) webhook.push(...(await webhookRows(idlePerMs)));
	} catch (error) {
		// A failed webhook scenario leaves every bulk row in the report.
		log(`webhook FAILED: ${failure(error)}`);
	}
	save();

	if (!args.noSkip) await skipRows();

	await memoryRows(args.memoryItems || bigN);
	return { rows, bigItems: bigN, memoryItems, rawInFlight, webhook, skip };
}

/** An error's message with its cause's code, which is where fetch puts what happened. */
function failure(error: unknown): string {
	const { message, cause } = error as {
		message?: string;
		cause?: { code?: string; message?: string };
	};
	return [message, cause?.code ?? cause?.message].filter(Boolean).join(': ');
}
