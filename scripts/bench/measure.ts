/**
 * Measuring: one workflow run in n8n (node time, wall time, CPU, peak RSS, requests held at
 * once), and the floor, a raw Node HTTP client in a child process so its process.cpuUsage()
 * holds only the client, not the simulator.
 */
import { fork } from 'node:child_process';
import * as http from 'node:http';

import { DISPOSITION_KEYS, DISPOSITION_PATH, FORM_CONTENT_TYPE } from '../../nodes/UContactApi/api';
import type { Recorded, Simulator } from '../../test/support/simulator/simulator';
import {
	cpuMs,
	executionSummary,
	peakRss,
	sleep,
	type BenchContext,
	type Json,
	type StoredWorkflow,
} from './n8nProcess';
import { makeCall, TRIGGER, UNDER_TEST } from './scenarios';

const RAW_CLIENT_FLAG = '--raw-client-child';
const POLL_MS = 50;
const DONE = new Set(['success', 'error', 'crashed', 'canceled']);

/** Arrival and answer time of each request, for meanInFlight(). */
const timings = new WeakMap<Recorded, { t0: number; t1?: number }>();

/** The simulator's onRequest hook: the answer time. */
export const recordAnswerTime = (record: Recorded): void => {
	const timing = timings.get(record);
	if (timing) timing.t1 = performance.now();
};

/** Notes each request's arrival time as the simulator records it. */
export function recordArrivalTimes(sim: Simulator): void {
	const requests = sim.requests;
	const push = requests.push;
	requests.push = function (...records: Recorded[]) {
		for (const record of records) timings.set(record, { t0: performance.now() });
		return push.apply(this, records);
	};
}

/**
 * Mean number of DispositionCall requests the simulator held at once (arrival to answer) over
 * the span of the last run: C minus this is how many of the client's lanes were, on average,
 * busy on the client side (building, connecting, reading the answer) instead of waiting.
 */
export function meanInFlight(sim: Simulator): number | null {
	let held = 0;
	let first = Infinity;
	let last = -Infinity;
	let count = 0;
	for (const r of sim.requests) {
		const timing = timings.get(r);
		if (r.endpoint !== 'DispositionCall' || timing?.t1 === undefined) continue;
		count++;
		held += timing.t1 - timing.t0;
		first = Math.min(first, timing.t0);
		last = Math.max(last, timing.t1);
	}
	return count === 0 ? null : held / (last - first);
}

export interface Run {
	items: number;
	wallMs: number;
	nodeMs: number;
	cpuMs: number;
	windowMs: number;
	inFlight: number | null;
	rssBeforeMiB: number;
	peakRssMiB: number;
	rssExact: boolean;
	/** V8 heap used by n8n's main process just before the run and at its peak (sampled every 100 ms), MiB. */
	heapBeforeMiB: number | null;
	peakHeapMiB: number | null;
}

/** Samples `heapUsedMiB` every 100 ms until stop(); resolves to [before, peak]. */
function heapSampler(heapUsedMiB: (() => Promise<number>) | undefined) {
	if (!heapUsedMiB)
		return { stop: async (): Promise<[number | null, number | null]> => [null, null] };
	let before: number | null = null;
	let peak = 0;
	let running = true;
	const loop = (async () => {
		while (running) {
			const used = await heapUsedMiB();
			before ??= used;
			peak = Math.max(peak, used);
			await sleep(100);
		}
	})();
	return {
		async stop(): Promise<[number | null, number | null]> {
			running = false;
			await loop;
			peak = Math.max(peak, await heapUsedMiB());
			return [before, peak];
		},
	};
}

/**
 * Runs one stored workflow and measures it. `ctx.pollCpuMs` is the measured CPU cost of one
 * poll, taken off the total so a slow run is not charged for being watched longer.
 */
export async function runOnce(
	ctx: BenchContext,
	workflow: StoredWorkflow,
	expectRequests: number,
): Promise<Run> {
	const { api, server, sim, flatted } = ctx;
	sim.reset();
	const pids = ctx.pids();
	// Let the previous run's database writes settle, then collect garbage in n8n so that each
	// run's memory growth starts from live data only, not from when V8 last happened to collect.
	await sleep(300);
	if (ctx.collectGarbage) await ctx.collectGarbage();
	const rss = peakRss(server.pid);
	const heap = heapSampler(ctx.heapUsedMiB);
	const cpu0 = cpuMs(pids);
	const window0 = performance.now();
	const { executionId } = await api.post(`/rest/workflows/${workflow.id}/run`, {
		triggerToStartFrom: { name: TRIGGER },
	});
	// Listing executions costs n8n real CPU (~tens of ms a call), so it is not polled while the
	// node is still sending: first wait, at no cost to n8n, until the simulator has answered
	// every request, then poll.
	const answered = () =>
		sim.requests.filter((r) => r.endpoint === 'DispositionCall' && r.status !== null).length;
	// If answers stop coming for 20 s (a request failed: the HTTP Request node unbatched on many
	// items opens more connections than the simulator accepts), the poll below says how it ended.
	let seen = 0;
	let progressAt = performance.now();
	while (expectRequests > 0 && answered() < expectRequests) {
		await sleep(20);
		const now = answered();
		if (now !== seen) [seen, progressAt] = [now, performance.now()];
		else if (performance.now() - progressAt > 20000) break;
	}
	let summary: Json;
	let polls = 0;
	for (;;) {
		await sleep(polls === 0 ? 20 : POLL_MS);
		polls++;
		summary = await executionSummary(api, workflow.id, executionId);
		if (summary && DONE.has(summary.status)) break;
	}
	const cpu = cpuMs(pids) - cpu0 - polls * ctx.pollCpuMs;
	const windowMs = performance.now() - window0;
	const peakMiB = rss.stop();
	const [heapBeforeMiB, peakHeapMiB] = await heap.stop();
	const execution = await api.get(`/rest/executions/${executionId}`);
	const data = flatted.parse(execution.data);
	const runs = data.resultData.runData[UNDER_TEST];
	if (summary.status !== 'success' || !runs) {
		const message = data.resultData.error ? data.resultData.error.message : summary.status;
		throw new Error(
			`${workflow.name}: execution ${executionId} ended ${summary.status}: ${message}`,
		);
	}
	const out = runs[0].data.main[0];
	const calls = sim.requests.filter((r) => r.endpoint === 'DispositionCall');
	const problems = calls.filter((r) => r.problems.length > 0 || r.status !== 200);
	if (calls.length !== expectRequests || problems.length > 0) {
		const first = problems[0]
			? `; first: ${problems[0].status} ${problems[0].problems.join(' | ')}`
			: '';
		throw new Error(
			`${workflow.name}: the simulator saw ${calls.length} requests (expected ${expectRequests}), ` +
				`${problems.length} with problems${first}`,
		);
	}
	return {
		items: out.length,
		wallMs: Date.parse(summary.stoppedAt) - Date.parse(summary.startedAt),
		nodeMs: runs[0].executionTime,
		cpuMs: cpu,
		windowMs,
		inFlight: meanInFlight(sim),
		rssBeforeMiB: rss.beforeMiB,
		peakRssMiB: peakMiB,
		rssExact: rss.exact,
		heapBeforeMiB,
		peakHeapMiB,
	};
}

export interface RawRun {
	wallMs: number;
	cpuMs: number;
	maxRssMiB?: number;
}

/**
 * The floor: plain http.request, a new connection per request (n8n's helper does not keep
 * connections alive either), same body and headers, `concurrency` requests in flight.
 */
async function rawClientRun(
	url: string,
	token: string,
	count: number,
	concurrency: number,
): Promise<RawRun> {
	const target = new URL(url + DISPOSITION_PATH);
	const post = (body: string) =>
		new Promise<string>((resolve, reject) => {
			const req = http.request(
				{
					host: target.hostname,
					port: target.port,
					path: target.pathname,
					method: 'POST',
					agent: false,
					headers: {
						'Content-Type': FORM_CONTENT_TYPE,
						'Content-Length': Buffer.byteLength(body),
						Authorization: `Basic ${token}`,
					},
				},
				(res) => {
					let text = '';
					res.setEncoding('utf8');
					res.on('data', (chunk: string) => (text += chunk));
					res.on('end', () =>
						res.statusCode === 200
							? resolve(text)
							: reject(new Error(`HTTP ${res.statusCode}: ${text}`)),
					);
				},
			);
			req.on('error', reject);
			req.end(body);
		});
	const cpu0 = process.cpuUsage();
	const t0 = performance.now();
	let next = 0;
	const lane = async () => {
		while (next < count) {
			const call = makeCall(next++);
			await post(
				new URLSearchParams(
					DISPOSITION_KEYS.map((key): [string, string] => [key, call[key]]),
				).toString(),
			);
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
	const wallMs = performance.now() - t0;
	const cpu = process.cpuUsage(cpu0);
	return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

interface RawClientJob {
	url: string;
	token: string;
	count: number;
	concurrency: number;
	warmup: number;
}

function rawClientChild(): void {
	process.on('message', async ({ url, token, count, concurrency, warmup }: RawClientJob) => {
		try {
			// The warm-up lets V8 compile the client's paths before the measured run.
			await rawClientRun(url, token, warmup, concurrency);
			const result = await rawClientRun(url, token, count, concurrency);
			result.maxRssMiB = process.resourceUsage().maxRSS / 1024;
			process.send?.({ ok: true, result });
		} catch (error) {
			process.send?.({ ok: false, error: String(error && error.stack) });
		}
	});
}

/** `count` requests from the raw client in a child process (this file, run again by fork()). */
export function rawClient(
	sim: Simulator,
	count: number,
	concurrency: number,
	warmup: number,
): Promise<RawRun> {
	return new Promise((resolve, reject) => {
		// fork() passes on this process's execArgv (tsx's --import): the child runs this file too.
		const child = fork(__filename, [RAW_CLIENT_FLAG], { stdio: 'inherit' });
		child.once('message', (message: { ok: boolean; result: RawRun; error: string }) => {
			child.kill();
			if (message.ok) resolve(message.result);
			else reject(new Error(message.error));
		});
		child.once('error', reject);
		const job: RawClientJob = { url: sim.url, token: sim.token, count, concurrency, warmup };
		child.send(job);
	});
}

if (require.main === module && process.argv.includes(RAW_CLIENT_FLAG)) rawClientChild();
