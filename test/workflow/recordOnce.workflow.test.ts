/**
 * One record of what uContact recorded, through n8n's engine, at the same time and across time:
 * overlapping executions, parallel equal items, two n8n workers sharing n8n's deduplication store
 * (a second copy of the node loaded apart stands for the second worker), n8n's Retry (twice at
 * once, of a retry), Retry On Fail after an odd 2xx, a moved credential, a renamed node and a
 * full record. Every row asserts the same promises: uContact receives each disposition once,
 * every input item has exactly one output, and no output claims more than happened.
 */
import { sleep, type IDataObject, type INodeExecutionData, type INodeType } from 'n8n-workflow';

import { MAX_SHARED_ENTRIES } from '../../nodes/UContactDisposition/record/sharedRecord';
import { deduplicationStore } from '../support/harness';
import type { RunWorkflowResult } from '../support/harness';
import type { Behaviour, Simulator } from '../support/simulator/simulator';
import {
	call,
	errorKindOf,
	MAPPED,
	runDisposition,
	tokenCredentials,
	type DispositionRun,
} from '../support/runDisposition';
import { useSimulator } from '../support/useSimulator';

const sim = useSimulator();
const other = useSimulator();

/** The node as a second n8n worker has it: its own process memory, the same database. */
function secondWorkerProcess(): { node: INodeType; processId: string } {
	let NodeType: new () => INodeType = class {} as never;
	let id = '';
	jest.isolateModules(() => {
		NodeType =
			require('../../nodes/UContactDisposition/UContactDisposition.node').UContactDisposition;
		id = require('../../nodes/UContactDisposition/record/sharedRecord').processId;
	});
	return { node: new NodeType(), processId: id };
}
const secondWorker = (): INodeType => secondWorkerProcess().node;

const SKIP = { ...MAPPED, options: { skipRecorded: true } };
let rowCount = 0;

/** Each row its own workflow (a row of n8n's store) and GUIDs, so rows never see each other. */
function fresh() {
	const row = ++rowCount;
	const calls = (count: number, from = 0) =>
		Array.from({ length: count }, (_, index) =>
			call(from + index, { guid: `r${row}-${from + index}` }),
		);
	// The workflow's static data, kept across its executions as n8n's database would (the node keeps nothing there).
	const staticData: IDataObject = {};
	const run = (options: Partial<DispositionRun> & Pick<DispositionRun, 'items'>) =>
		runDisposition({
			parameters: SKIP,
			credentials: tokenCredentials(sim),
			workflowId: `wf-${row}`,
			mode: 'webhook',
			staticData,
			...options,
		});
	return { row, calls, run };
}

/** Requests uContact may have recorded, per GUID: all but those answered 503 (it recorded nothing). */
const requestsPerGuid = (server: Simulator) => {
	const counts = new Map<string, number>();
	for (const request of server.requests) {
		if (!request.path.endsWith('DispositionCall') || request.status === 503) continue;
		counts.set(request.fields.guid, (counts.get(request.fields.guid) ?? 0) + 1);
	}
	return counts;
};
const duplicates = (server: Simulator) =>
	[...requestsPerGuid(server).values()].reduce((sum, count) => sum + count - 1, 0);
const items = (results: RunWorkflowResult[]) => results.flatMap((result) => result.items);
const kinds = (outputs: INodeExecutionData[]) =>
	outputs.map((item) =>
		item.json.success === true ? (item.json.alreadyRecorded === true ? 'known' : 'sent') : 'failed',
	);
const count = (values: string[], value: string) => values.filter((each) => each === value).length;

interface Row {
	name: string;
	/** Runs the scenario; returns every output item of every execution, and how many input items there were. */
	scenario: () => Promise<{ outputs: INodeExecutionData[]; inputs: number; server?: Simulator }>;
	/** Distinct dispositions uContact must have received, each once. */
	distinct: number;
	/** Requests per disposition, when the user asked for it more than once (Skip off, two executions). */
	perGuid?: number;
	/** Output kinds expected, counted. */
	expected: { sent: number; known: number; failed: number };
}

const ROWS: Row[] = [
	{
		name: 'two webhook executions of the same 20 calls at once (Skip on, Concurrency 5)',
		distinct: 20,
		expected: { sent: 20, known: 20, failed: 0 },
		scenario: async () => {
			const { calls, run } = fresh();
			const results = await Promise.all([run({ items: calls(20) }), run({ items: calls(20) })]);
			return { outputs: items(results), inputs: 40 };
		},
	},
	{
		name: '30 calls, each delivered twice at the same moment, then once more after every execution ended',
		distinct: 30,
		expected: { sent: 30, known: 60, failed: 0 },
		scenario: async () => {
			const { calls, run } = fresh();
			const deliveries = calls(30).flatMap((item) => [item, item]);
			const first = await Promise.all(deliveries.map((item) => run({ items: [item] })));
			const later = await Promise.all(calls(30).map((item) => run({ items: [item] })));
			return { outputs: items([...first, ...later]), inputs: 90 };
		},
	},
	{
		name: '50 distinct calls 10 at a time, then the same 50 one by one',
		distinct: 50,
		expected: { sent: 50, known: 50, failed: 0 },
		scenario: async () => {
			const { calls, run } = fresh();
			const results: RunWorkflowResult[] = [];
			for (let start = 0; start < 50; start += 10)
				results.push(
					...(await Promise.all(calls(10, start).map((item) => run({ items: [item] })))),
				);
			for (const item of calls(50)) results.push(await run({ items: [item] }));
			return { outputs: items(results), inputs: 100 };
		},
	},
	{
		name: 'the same 10 calls on a second n8n worker after the first one ran them',
		distinct: 10,
		expected: { sent: 10, known: 10, failed: 0 },
		scenario: async () => {
			const { row, calls, run } = fresh();
			const first = await run({ items: calls(10) });
			const second = await run({ items: calls(10), nodeType: secondWorker() });
			// What the second worker wrote only to look (its own claim marks, probes) is gone again:
			// a claim and an outcome per disposition, nothing per repeat (besides the workers' presence).
			await waitFor(
				() =>
					deduplicationStore().entries(`wf-${row}`, 'harness-node', (entry) =>
						/^[cru]:/.test(entry),
					) === 20,
			);
			return { outputs: items([first, second]), inputs: 20 };
		},
	},
	{
		name: 'two equal items in one run at Concurrency 1 (Skip off): sent once, the second says so',
		distinct: 1,
		expected: { sent: 1, known: 1, failed: 0 },
		scenario: async () => {
			const { calls, run } = fresh();
			const [item] = calls(1);
			const result = await run({
				items: [item, item],
				parameters: { ...MAPPED, options: { concurrency: 1 } },
			});
			return { outputs: result.items, inputs: 2 };
		},
	},
	{
		name: 'two equal items in one run at Concurrency 5 (Skip off): the same as at Concurrency 1',
		distinct: 1,
		expected: { sent: 1, known: 1, failed: 0 },
		scenario: async () => {
			const { calls, run } = fresh();
			const [item] = calls(1);
			const result = await run({
				items: [item, item],
				parameters: { ...MAPPED, options: { concurrency: 5 } },
			});
			return { outputs: result.items, inputs: 2 };
		},
	},
	{
		name: 'Retry On Fail in two executions sending the same call at once (Skip off): each execution sends it once, its retry none',
		distinct: 1,
		perGuid: 2,
		expected: { sent: 0, known: 0, failed: 2 },
		scenario: async () => {
			const { calls, run } = fresh();
			sim.setBehaviour({ kind: 'slow', ms: 1500 });
			const retrying = {
				items: calls(1),
				parameters: { ...MAPPED, options: { timeout: 500 } },
				nodeSettings: { retryOnFail: true, maxTries: 2, waitBetweenTries: 10 },
				continueOnFail: true,
			};
			const results = await Promise.all([run(retrying), run(retrying)]);
			// The late answers come in before the requests are counted.
			await waitFor(() => sim.requests.every((request) => request.status !== null));
			return { outputs: items(results), inputs: 2 };
		},
	},
	{
		name: "two of n8n's Retries of one failed execution at once (Skip off)",
		distinct: 10,
		// The failed run outputs nothing (it stopped); each retry has the failed run's 3 as recorded,
		// and the 7 others are sent by whichever retry takes them first.
		expected: { sent: 7, known: 6 + 7, failed: 0 },
		scenario: async () => {
			const { calls, run } = fresh();
			const parameters = { ...MAPPED, options: { concurrency: 1, safeRetries: 0 } };
			sim.queue(...normal(3), { kind: 'status', status: 503 });
			const failed = await run({ items: calls(10), parameters });
			expect(failed.error).toBeDefined();
			const retries = await Promise.all([
				run({ items: calls(10), parameters, retryOf: failed.run }),
				run({ items: calls(10), parameters, retryOf: failed.run }),
			]);
			return { outputs: [...failed.items, ...items(retries)], inputs: 20 };
		},
	},
	{
		name: "n8n's Retry of an execution that was itself a Retry (Skip off)",
		distinct: 10,
		expected: { sent: 4, known: 6, failed: 0 },
		scenario: async () => {
			const { calls, run } = fresh();
			const parameters = { ...MAPPED, options: { concurrency: 1, safeRetries: 0 } };
			sim.queue(...normal(3), { kind: 'status', status: 503 });
			const first = await run({ items: calls(10), parameters });
			sim.queue(...normal(3), { kind: 'status', status: 503 });
			const second = await run({ items: calls(10), parameters, retryOf: first.run });
			const third = await run({ items: calls(10), parameters, retryOf: second.run });
			expect([first.error !== undefined, second.error !== undefined, third.error]).toEqual([
				true,
				true,
				undefined,
			]);
			return { outputs: third.items, inputs: 10 };
		},
	},
	{
		name: "n8n's Retry after uContact recorded an item but answered after the Timeout: not sent again, the retry says why",
		distinct: 2,
		expected: { sent: 0, known: 0, failed: 0 },
		scenario: async () => {
			const { calls, run } = fresh();
			const parameters = { ...MAPPED, options: { concurrency: 1, timeout: 1000 } };
			sim.queue(normal(1)[0], { kind: 'slow', ms: 2500 });
			const failed = await run({ items: calls(3), parameters });
			expect(errorKindOf(failed.error)).toBe('maybe-recorded');
			// The retry resumes with the failed run's node settings (On Error: stop), so it stops at the same item.
			const retried = await run({ items: calls(3), parameters, retryOf: failed.run });
			expect(retried.error?.message).toMatch(
				/^Not sent, because execution \S+, less than a minute ago, may have recorded it: uContact did not answer within 1000 ms/,
			);
			// uContact's late answer comes in; the request's fields are read by then.
			await waitFor(() => sim.requests.every((request) => request.status !== null));
			return { outputs: [], inputs: 0 };
		},
	},
	...(
		[
			['an empty 200', { kind: 'body', body: '' }],
			['a 204', { kind: 'status', status: 204, body: '' }],
			[
				'an HTML page',
				{ kind: 'body', body: '<html><body>Servicio</body></html>', contentType: 'text/html' },
			],
			['a 200 cut off mid-body', { kind: 'truncated', record: true }],
		] as Array<[string, Behaviour]>
	).map(
		([answer, behaviour]): Row => ({
			name: `Retry On Fail after ${answer}: not sent again`,
			distinct: 1,
			expected: { sent: 0, known: 0, failed: 1 },
			scenario: async () => {
				const { calls, run } = fresh();
				sim.queue(behaviour);
				const result = await run({
					items: calls(1),
					parameters: { ...MAPPED, options: { safeRetries: 0 } },
					nodeSettings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 10 },
					continueOnFail: true,
				});
				return { outputs: result.items, inputs: 1 };
			},
		}),
	),
	{
		name: 'the credential moved to another server: the same calls are sent there',
		distinct: 2,
		expected: { sent: 2, known: 0, failed: 0 },
		scenario: async () => {
			const { calls, run } = fresh();
			await run({ items: calls(2) });
			expect(sim.dispositions).toHaveLength(2);
			const moved = await run({ items: calls(2), credentials: tokenCredentials(other) });
			return { outputs: moved.items, inputs: 2, server: other };
		},
	},
	{
		name: 'the node renamed between runs (same node id): still skipped',
		distinct: 3,
		expected: { sent: 3, known: 3, failed: 0 },
		scenario: async () => {
			const { calls, run } = fresh();
			const first = await run({ items: calls(3), nodeName: 'Record disposition' });
			const renamed = await run({
				items: calls(3),
				nodeName: 'Tipificar llamada',
				nodeType: secondWorker(),
			});
			return { outputs: items([first, renamed]), inputs: 6 };
		},
	},
	{
		name: "a full record in n8n's store: replaying the oldest recorded calls sends none of them",
		distinct: 20,
		expected: { sent: 20, known: 20, failed: 0 },
		scenario: async () => {
			const { row, calls, run } = fresh();
			// Older entries of this node fill the row to n8n's cap before the calls are recorded.
			const store = deduplicationStore();
			store.rows.set(`wf-${row}\nn:harness-node`, {
				mode: 'entries',
				data: Array.from({ length: MAX_SHARED_ENTRIES }, (_, index) => `older-${index}`),
			});
			const first = await run({ items: calls(20) });
			// Replayed oldest first, one per execution, on another worker: only n8n's store knows them.
			const worker = secondWorker();
			const replays: RunWorkflowResult[] = [];
			for (const item of calls(20)) replays.push(await run({ items: [item], nodeType: worker }));
			expect(store.entries(`wf-${row}`, 'harness-node')).toBeLessThanOrEqual(MAX_SHARED_ENTRIES);
			return { outputs: items([first, ...replays]), inputs: 40 };
		},
	},
];

/** Waits for a state, for as long as a test may take: a state never reached fails the test, never hangs the run. */
async function waitFor(done: () => boolean, limitMs = 20_000): Promise<void> {
	const until = Date.now() + limitMs;
	while (!done()) {
		if (Date.now() > until) throw new Error('the state waited for never came');
		await sleep(5);
	}
}

function normal(count: number): Behaviour[] {
	return Array<Behaviour>(count).fill({ kind: 'normal' });
}

describe('one record of what uContact recorded, at the same time and across time', () => {
	it.each(ROWS.map((row) => [row.name, row] as const))('%s', async (_name, row) => {
		const { outputs, inputs, server = sim } = await row.scenario();
		const perGuid = requestsPerGuid(server);
		expect({ distinct: perGuid.size, requests: [...perGuid.values()] }).toEqual({
			distinct: row.distinct,
			requests: Array(row.distinct).fill(row.perGuid ?? 1),
		});
		expect(outputs).toHaveLength(inputs);
		const found = kinds(outputs);
		expect({
			sent: count(found, 'sent'),
			known: count(found, 'known'),
			failed: count(found, 'failed'),
		}).toEqual(row.expected);
		// Only what a sender heard uContact accept is "sent"; a skipped item names who recorded it.
		for (const item of outputs.filter(
			(output) => output.json.alreadyRecorded === true && output.json.hint !== null,
		))
			expect(item.json.hint).toMatch(/^Recorded by /);
	});

	it("the record holds hashes only: nothing of the form, and no secret, reaches n8n's store", async () => {
		const { row, calls, run } = fresh();
		await run({ items: calls(3) });
		const received = deduplicationStore().received.join('\n');
		for (const value of [`r${row}-0`, 'Ventas', 'jperez', '5989912', sim.token, sim.url])
			expect(received).not.toContain(value);
		for (const entry of deduplicationStore().received)
			expect(entry).toMatch(
				/^([cru]:\d+:\d+:[A-Za-z0-9+/]{16}|o:\d+:\d+:[A-Za-z0-9+/]{16}:[A-Za-z0-9+/]{8}\.\d+|[ps]:\d+:\d+|m:[A-Za-z0-9+/]{8}:\d+)$/,
			);
	});
});

/** Store calls of one Skip-on execution of a new call, and whether its claim carried a read-back mark. */
async function oneExecution(
	run: ReturnType<typeof fresh>['run'],
	item: IDataObject,
	nodeType?: INodeType,
) {
	const store = deduplicationStore();
	const [records, received] = [store.calls.record, store.received.length];
	const result = await run({ items: [item], nodeType });
	expect(result.items.map((output) => output.json.success)).toEqual([true]);
	return {
		records: store.calls.record - records,
		marked: store.received.slice(received).some((entry) => entry.startsWith('o:')),
	};
}

/**
 * Runs executions of new calls until one no longer reads back: the process believes itself alone
 * (three clean looks at the row, 4 s at least). Waits for that state, for as long as a test may take.
 */
async function untilAlone(run: ReturnType<typeof fresh>['run'], next: () => IDataObject) {
	const runs: Array<Awaited<ReturnType<typeof oneExecution>>> = [];
	const until = Date.now() + 30_000;
	while (Date.now() < until && (runs.length === 0 || runs[runs.length - 1].marked))
		runs.push(await oneExecution(run, next()));
	return runs;
}

/**
 * Claims and outcomes are read back (a settle delay and a store call each) only where another
 * process may drop them: a process alone pays nothing for queue mode's protection once it has
 * looked at the row long enough to know it is alone.
 */
describe('reading back only where another n8n process writes the row', () => {
	it('one process alone reads back until it has looked three times and met no other, then not (a claim and an outcome per execution, and a look every 2 s)', async () => {
		const { calls, run } = fresh();
		let index = 0;
		const first = await untilAlone(run, () => calls(1, index++)[0]);
		expect(first[0].marked).toBe(true);
		expect(first[first.length - 1].marked).toBe(false);
		const later = [];
		for (let count = 0; count < 5; count++)
			later.push(await oneExecution(run, calls(1, index++)[0]));
		expect(later.map((each) => each.marked)).toEqual([false, false, false, false, false]);
		for (const each of later) expect([2, 3]).toContain(each.records);
		expect(duplicates(sim)).toBe(0);
	}, 60_000);
});

/**
 * Two n8n workers (a second copy of the node loaded apart) receive the same calls at the same
 * moment, however they met: started together, one joining another that believed itself alone
 * (busy or idle). Pairs of new calls go to both at once for 6 s after they met, the time either
 * needs to learn of the other: none may be recorded twice.
 */
describe('two n8n workers receiving the same calls at once, however they met', () => {
	const PAIRS_FOR_MS = 6_000;

	const MEETINGS: Array<{
		name: string;
		/** Brings the two workers to the moment the pairs begin. */
		meet: (
			run: ReturnType<typeof fresh>['run'],
			worker: INodeType,
			next: () => IDataObject,
		) => Promise<void>;
	}> = [
		{
			name: 'started together: their first looks at the row at the same moment',
			meet: async (run, worker, next) => {
				await Promise.all([run({ items: [next()] }), run({ items: [next()], nodeType: worker })]);
			},
		},
		{
			name: 'the second joins a first one that believes itself alone and keeps sending',
			meet: async (run, worker, next) => {
				await untilAlone(run, next);
				await run({ items: [next()], nodeType: worker });
			},
		},
		{
			name: 'the second starts with the pairs, the first believing itself alone',
			meet: async (run, _worker, next) => {
				await untilAlone(run, next);
			},
		},
	];

	it.each(MEETINGS.map((row) => [row.name, row] as const))(
		'%s: 0 duplicates',
		async (_name, row) => {
			const { calls, run } = fresh();
			const worker = secondWorker();
			let index = 0;
			await row.meet(run, worker, () => calls(1, index++)[0]);
			const before = duplicates(sim);
			const outputs: INodeExecutionData[] = [];
			let pairs = 0;
			for (const until = Date.now() + PAIRS_FOR_MS; Date.now() < until; pairs++) {
				const item = calls(1, index++)[0];
				const results = await Promise.all([
					run({ items: [item], continueOnFail: true }),
					run({ items: [item], nodeType: worker, continueOnFail: true }),
				]);
				outputs.push(...items(results));
			}
			expect(before).toBe(0);
			expect(outputs).toHaveLength(2 * pairs);
			expect(count(kinds(outputs), 'sent')).toBe(pairs);
			expect(count(kinds(outputs), 'known')).toBe(pairs);
			expect(duplicates(sim)).toBe(0);
		},
		90_000,
	);
});

/**
 * n8n's store reads the row, then writes it back whole: a call of another worker that read before
 * an outcome was written and writes after drops it, however long after. On a busy database or
 * event loop a call lasts from milliseconds to seconds (496 ms seen in queue mode, PostgreSQL,
 * two workers on two cores), so an outcome is looked at again until the slowest such call has
 * landed, and written again if it went. The row holds it again, and a later delivery to either
 * worker is skipped.
 */
describe("another worker's slow call landing after an outcome was written", () => {
	const SLOW: Array<{ name: string; kind: 'record' | 'remove'; ms: number }> = [
		{ name: 'an addition lasting 0.1 s', kind: 'record', ms: 100 },
		{ name: 'an addition lasting 1 s', kind: 'record', ms: 1_000 },
		{ name: 'an addition lasting 5 s', kind: 'record', ms: 5_000 },
		{ name: 'a removal lasting 1 s', kind: 'remove', ms: 1_000 },
	];

	it.each(SLOW.map((row) => [row.name, row] as const))(
		'%s: the outcome is written again, and a later delivery to either worker is skipped',
		async (_name, { kind, ms }) => {
			const { row, calls, run } = fresh();
			const store = deduplicationStore();
			const worker = secondWorkerProcess();
			// Met: each knows of the other and reads back.
			await Promise.all([
				run({ items: [calls(1, 0)[0]] }),
				run({ items: [calls(1, 1)[0]], nodeType: worker.node }),
			]);
			const [mine, theirs] = calls(2, 2);
			const slow = store.holdNext(kind, (entries) =>
				entries.some((entry) => entry.includes(worker.processId)),
			);
			const second = run({ items: [theirs], nodeType: worker.node });
			await slow.read;
			const first = await run({ items: [mine] });
			await sleep(ms);
			slow.release();
			expect([...first.items, ...(await second).items].map((item) => item.json.success)).toEqual([
				true,
				true,
			]);
			const held = (prefix: string) =>
				store.entries(`wf-${row}`, 'harness-node', (entry) => entry.startsWith(prefix));
			// The state asserted: all four outcomes and their claims in the row again.
			for (const until = Date.now() + 60_000; Date.now() < until; await sleep(20))
				if (held('r:') === 4 && held('c:') === 4) break;
			expect([held('c:'), held('r:')]).toEqual([4, 4]);
			const later = await Promise.all([
				run({ items: [mine], nodeType: worker.node, continueOnFail: true }),
				run({ items: [theirs], continueOnFail: true }),
			]);
			expect(kinds(items(later))).toEqual(['known', 'known']);
			expect(duplicates(sim)).toBe(0);
		},
		120_000,
	);
});

/** Two workers receiving one call in the same few milliseconds: printed, the residual docs/retrying.md states. */
describe('two n8n workers receiving the same call at the same moment', () => {
	it('measures the duplicates left (n8n gives no lock across processes)', async () => {
		const { calls, run } = fresh();
		const worker = secondWorker();
		const pairs = await Promise.all(
			calls(30).flatMap((item: IDataObject) => [
				run({ items: [item], continueOnFail: true }),
				run({ items: [item], nodeType: worker, continueOnFail: true }),
			]),
		);
		const left = duplicates(sim);

		console.log(`two workers, 30 calls each delivered to both at once: ${left} duplicate(s) of 30`);
		expect(items(pairs)).toHaveLength(60);
		expect(requestsPerGuid(sim).size).toBe(30);
	});
});
