/**
 * The node's promises in the contexts n8n runs it in, on a real n8n (2.x and 1.x) with the packed
 * package: one `n8n start` per runtime, signed in through its REST API as the editor is, every
 * workflow created at the start, each cell one run (two for the partial run) against the
 * uContact simulator in this process, with n8n logging at debug level into a file.
 *
 * Contexts: a plain run (Manual Trigger -> Code -> our node, "Execute workflow"); Execute Once
 * (node setting); a sub-workflow (Execute Workflow -> Execute Workflow Trigger -> our node, the
 * parent getting the child's output); pinned data on the node before ours; a partial run
 * ("Execute step" on our node) through the REST call the editor makes, with the upstream node's
 * run data from the editor's last run; Loop Over Items (SplitInBatches v3, 2 a batch, our node
 * on "loop", its success output back into the loop, its error output to a node outside it).
 * Promises: a. one output item per input item, in order, paired to it; b. Retry On Fail through
 * an outage after some items were recorded: every input GUID recorded exactly once; c. On Error
 * "Continue (using error output)": failed items on the error output, recorded ones on the success
 * output, in order; d. a drag-and-drop field reaches the wire as n8n's evaluator gives it; e. the
 * credential's token is in no output, error, log line or saved execution.
 *
 * Inside the loop our node runs once per batch (run index k for batch k), and each promise holds
 * per run: a. run k outputs batch k's items in order, paired 0..n-1 to that run's input, and its
 * requests all reach uContact before run k + 1's; b. Retry On Fail acts per run: an outage at
 * batch 2's second item makes n8n try run 1 again (same run index, same batch), which sends
 * neither batch 1 nor batch 2's first item again, and marks only that item "already recorded";
 * c. run k's refusals on run k's error output, paired to their place in batch k; d. and e. over
 * all runs. On every cell, the loop: its run k hands batch k on "loop" (each item paired to its
 * Code item), its run k + 1 takes our node's run k, and its last run hands on "done", once,
 * everything that came back, in order, each item paired to the run of our node and the item it
 * came back from; Done runs once.
 *
 * What n8n does in these contexts, as seen here (2.41.1 and 1.123 alike unless said):
 *  - Execute Once hands the node the first item only: one request, one output item paired to
 *    item 0; under Retry On Fail that one item is tried again, as n8n tries any node again.
 *  - In the sub-workflow ("once for all items"), the parent's Execute Workflow gets the child's
 *    items in order, paired back through the child to its own input items. With the error output
 *    in the child, the parent's Execute Workflow (one output on the canvas) holds the child's
 *    error items as a second output in its run data, which nothing can be connected to.
 *  - Pinned data: n8n does not run the pinned node (its source throws here) and hands its pinned
 *    items on; Retry On Fail re-runs our node on them like on any input.
 *  - The partial run: the editor sends the run data of its last execution (here the "Execute step"
 *    on the Code node) and `destinationNode: { nodeName, mode: 'inclusive' }`; n8n 1.x also wants
 *    the workflow (`workflowData`), 2.x reads the saved one. n8n 2.41.1 fails such a run ("Cannot
 *    read properties of null") on a workflow saved with `pinData: null`, as one created through the
 *    REST API without pinData is; the editor saves `{}`, and so do these workflows.
 *  - n8n 1.x does not hand the node the body of an HTTP error status (the 500 page); 2.x does.
 *  - Loop Over Items: n8n goes on to the next batch only when something comes back into the
 *    loop. A node run hands each of its connections that has items its own run of the next node,
 *    so with the error output also wired back into the loop (as cli.e2e.ts's loop is), the loop
 *    runs twice for a batch with both outcomes and "done" fires more than once, each time with
 *    what came back so far (seen on 2.41.1: three times, the refused items first). And a batch
 *    with nothing on the success output (all refused) ends the loop there: the later batches are
 *    never sent, Done never runs, the execution ends "success". Hence the error output goes out
 *    of the loop here, and each batch keeps a recorded item. n8n runs that outside node only when
 *    the loop and Done are through, the last batch's run first.
 *  - n8n 1.x saves a source's output and run index only when not 0; 2.x always.
 */
import * as fs from 'node:fs';

import { startSimulator, type Recorded, type Simulator } from '../support/simulator/simulator';
import { secretForms } from '../../nodes/UContactApi/redaction';
import { printTimings, selectedRuntimes, timed } from './support/cli';
import {
	CAMPAIGN,
	CODE,
	CONTEXTS,
	DONE,
	DRAGGED_ON_THE_WIRE,
	EXECUTE_WORKFLOW,
	LOOP,
	MANUAL_TRIGGER,
	NODE,
	PROMISES,
	REJECTED,
	batchesOf,
	childWorkflow,
	echoedAt,
	loopWorkflow,
	mainWorkflow,
	outageAt,
	parentWorkflow,
	variant,
	type Call,
	type Context,
	type Promised,
	type Variant,
	type WorkflowBody,
} from './support/contexts';
import { nativeFieldsLogged } from './support/nativeExpressions';
import { restClient, waitForExecution, type Execution, type RestClient } from './support/rest';
import { makeUserFolder, packPackage, runtime, type Runtime } from './support/runtime';
import { startN8n, type N8nServer } from './support/server';

interface Item {
	json: Record<string, unknown>;
	pairedItem?: unknown;
}
interface Source {
	previousNode: string;
	previousNodeOutput?: number;
	previousNodeRun?: number;
}
interface Task {
	startTime?: number;
	source?: Array<Source | null>;
	executionStatus?: string;
	data?: { main: Array<Item[] | null> };
	error?: { message?: string };
}
type RunData = Record<string, Task[]>;

/** One cell's run: what n8n did and what uContact received. */
interface Ran {
	variant: Variant;
	/** The input items of each run of our node: one run, or in the loop one per batch. */
	batches: Call[][];
	/** The execution that ran our node (the child's in the sub-workflow). */
	execution: Execution;
	/** Every execution of the cell, as GET /rest/executions/:id answered (the saved execution). */
	saved: string[];
	/** Our node's runs in that execution, one per batch. */
	tasks: Task[];
	/** Each run's outputs: [success] or [success, error]. */
	runs: Item[][][];
	/**
	 * What the workflow hands on: our node's outputs; in the sub-workflow, the parent's Execute
	 * Workflow's; in the loop, [what reached Done, what reached Rejected], over all their runs.
	 */
	handedOn: Item[][];
	/** Run data of the other executions: the parent's, or the editor's earlier "Execute step" on the Code node. */
	before?: RunData;
	wire: Recorded[];
	/** n8n's log (debug level) while the cell ran. */
	log: string;
}

const runDataOf = (execution: Execution) => execution.data.resultData.runData as unknown as RunData;
const outputsOf = (task: Task | undefined): Item[][] =>
	(task?.data?.main ?? []).map((output) => output ?? []);
const guidOf = (item: Item) =>
	(item.json.disposition as { guid?: string } | null | undefined)?.guid ??
	(item.json.guid as string | undefined) ??
	null;
const guids = (items: Item[]) => items.map(guidOf);
/** A source as n8n 2.x saves it: 1.x leaves out an output or run index that is 0. */
const normalSource = (source: Source | null | undefined) =>
	source && {
		previousNode: source.previousNode,
		previousNodeOutput: source.previousNodeOutput ?? 0,
		previousNodeRun: source.previousNodeRun ?? 0,
	};
const sourcesOf = (task: Task | undefined) => (task?.source ?? []).map(normalSource);
const pairs = (items: Item[]) => items.map((item) => item.pairedItem);
const indexes = (list: number[]) => list.map((item) => ({ item }));
const wireGuids = (wire: Recorded[]) =>
	wire.filter((r) => r.endpoint === 'DispositionCall').map((r) => r.fields.guid);
const sorted = (list: string[]) => [...list].sort();
/** `list` cut into consecutive pieces as long as the batches (what is left over, as one more). */
function cutLike<T>(list: T[], batches: unknown[][]): T[][] {
	const pieces: T[][] = [];
	let start = 0;
	for (const batch of batches) {
		pieces.push(list.slice(start, start + batch.length));
		start += batch.length;
	}
	if (start < list.length) pieces.push(list.slice(start));
	return pieces;
}
/** Positions 0..n-1 of each batch, as pairedItem gives them. */
const positions = (batches: unknown[][]) => batches.map((batch) => indexes(batch.map((_, i) => i)));
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const guidBatches = (result: Ran) => result.batches.map((batch) => batch.map((c) => c.guid));

afterAll(() => printTimings('contexts e2e: time per stage'));

describe.each(selectedRuntimes())("%s: n8n contexts × the node's promises", (runtimeName) => {
	let sim: Simulator;
	let rt: Runtime;
	let userFolder: string;
	let server: N8nServer | undefined;
	let api: RestClient;
	const workflowIds = new Map<string, { id: string; childId?: string }>();
	const key = (context: Context, promise: Promised) => `${context}/${promise}`;

	async function create(body: WorkflowBody): Promise<string> {
		return (await api.post<{ id: string }>('/rest/workflows', body)).id;
	}

	beforeAll(
		async () => {
			sim = await startSimulator({ campaigns: [CAMPAIGN] });
			rt = runtime(runtimeName);
			userFolder = makeUserFolder(packPackage());
			server = await timed(runtimeName, 'n8n start (debug log)', () =>
				startN8n(rt, userFolder, { env: { N8N_LOG_LEVEL: 'debug' } }),
			);
			api = await restClient(server.url, server.owner);
			const credential = await api.post<{ id: string; name: string }>('/rest/credentials', {
				name: 'uContact simulator (contexts e2e)',
				type: 'uContactApi',
				data: { server: 'custom', baseUrl: sim.url, authentication: 'token', token: sim.token },
			});
			await timed(
				runtimeName,
				`create ${CONTEXTS.length * PROMISES.length + PROMISES.length} workflows`,
				async () => {
					for (const context of CONTEXTS) {
						for (const promise of PROMISES) {
							const v = variant(context, promise);
							if (context === 'a sub-workflow') {
								const childId = await create(childWorkflow(v, credential));
								workflowIds.set(key(context, promise), {
									id: await create(parentWorkflow(v, childId)),
									childId,
								});
							} else if (context === 'Loop Over Items') {
								workflowIds.set(key(context, promise), {
									id: await create(loopWorkflow(v, credential)),
								});
							} else {
								workflowIds.set(key(context, promise), {
									id: await create(mainWorkflow(context, v, credential)),
								});
							}
						}
					}
				},
			);
		},
		5 * 60 * 1000,
	);

	afterAll(async () => {
		await server?.stop();
		await sim?.close();
		if (userFolder && process.env.UCONTACT_KEEP_E2E !== '1')
			fs.rmSync(userFolder, { recursive: true, force: true, maxRetries: 3 });
	}, 60 * 1000);

	/**
	 * POST /rest/workflows/:id/run as the editor sends it: 2.x reads the saved workflow (the
	 * editor saves first), 1.x runs the workflow it is sent. Waits for the execution to finish.
	 */
	async function runAsTheEditor(
		workflowId: string,
		body: Record<string, unknown>,
	): Promise<Execution> {
		const payload =
			runtimeName === 'n8n-1'
				? { workflowData: await api.get(`/rest/workflows/${workflowId}`), ...body }
				: { workflowId, ...body };
		const answer = await api.post<{ executionId?: string; waitingForWebhook?: boolean }>(
			`/rest/workflows/${workflowId}/run`,
			payload,
		);
		expect(answer).toEqual({ executionId: expect.any(String) });
		return await waitForExecution(api, rt, { workflowId, executionId: String(answer.executionId) });
	}

	const savedExecution = async (id: string) =>
		JSON.stringify(await api.get(`/rest/executions/${id}`));
	const logSize = () => fs.statSync(server!.logFile).size;
	const logSince = (offset: number) =>
		fs.readFileSync(server!.logFile).subarray(offset).toString('utf8');

	/** Runs one cell: `prepare` sets the simulator's behaviour after its reset. */
	async function runCell(
		context: Context,
		promise: Promised,
		prepare?: (sim: Simulator) => void,
	): Promise<Ran> {
		const v = variant(context, promise);
		const batches = batchesOf(context, v.calls);
		const ids = workflowIds.get(key(context, promise))!;
		sim.reset();
		prepare?.(sim);
		const logStart = logSize();
		return await timed(runtimeName, `${context}: ${promise}`, async () => {
			const fromTrigger = { startNodes: [], triggerToStartFrom: { name: MANUAL_TRIGGER.name } };
			let execution: Execution;
			let before: RunData | undefined;
			const saved: string[] = [];
			let handedOn: Item[][] | undefined;
			if (context === 'a sub-workflow') {
				const parent = await runAsTheEditor(ids.id, fromTrigger);
				expect([parent.status, parent.data.resultData.error?.message]).toEqual([
					'success',
					undefined,
				]);
				execution = await waitForExecution(api, rt, { workflowId: ids.childId! });
				expect(execution.mode).toBe('integrated');
				before = runDataOf(parent);
				handedOn = outputsOf(before[EXECUTE_WORKFLOW]?.[0]);
				saved.push(await savedExecution(parent.id));
			} else if (context === 'a partial run (Execute step)') {
				// The editor with no run data yet: "Execute step" on the Code node runs the trigger and it.
				const step = await runAsTheEditor(ids.id, {
					startNodes: [],
					destinationNode: { nodeName: CODE, mode: 'inclusive' },
				});
				expect(step.status).toBe('success');
				before = runDataOf(step);
				expect(Object.keys(before).sort()).toEqual([CODE, MANUAL_TRIGGER.name].sort());
				saved.push(await savedExecution(step.id));
				// Then "Execute step" on our node: the editor sends the run data it holds, that execution's.
				execution = await runAsTheEditor(ids.id, {
					runData: before,
					startNodes: [],
					destinationNode: { nodeName: NODE, mode: 'inclusive' },
				});
			} else {
				// A plain run, Execute Once, pinned data, the loop: "Execute workflow" from the trigger.
				execution = await runAsTheEditor(ids.id, fromTrigger);
			}
			expect([execution.status, execution.data.resultData.error?.message]).toEqual([
				'success',
				undefined,
			]);
			saved.push(await savedExecution(execution.id));
			const runData = runDataOf(execution);
			const tasks = runData[NODE] ?? [];
			// One run per batch, however many tries Retry On Fail made of it.
			expect(tasks).toHaveLength(batches.length);
			const runs = tasks.map(outputsOf);
			if (context === 'Loop Over Items') {
				const all = (name: string) =>
					(runData[name] ?? []).flatMap((task) => outputsOf(task)[0] ?? []);
				handedOn = [all(DONE), all(REJECTED)];
			}
			// n8n writes the log as it goes; give the last lines a moment to reach the file.
			await delay(200);
			return {
				variant: v,
				batches,
				execution,
				saved,
				tasks,
				runs,
				handedOn: handedOn ?? runs[0],
				before,
				wire: [...sim.requests],
				log: logSince(logStart),
			};
		});
	}

	describe.each(CONTEXTS)('in %s', (context) => {
		const ran: Ran[] = [];
		const cell = async (promise: Promised, prepare?: (sim: Simulator) => void) => {
			const result = await runCell(context, promise, prepare);
			ran.push(result);
			return result;
		};

		/** What the context itself promises, checked on every cell's run. */
		function contextChecks(result: Ran) {
			const runData = runDataOf(result.execution);
			if (context === 'a plain run') {
				// The trigger and the Code node ran once each, in the editor's manual mode.
				expect(runData[MANUAL_TRIGGER.name]).toHaveLength(1);
				expect(guids(outputsOf(runData[CODE]?.[0])[0] ?? [])).toEqual(
					result.variant.calls.map((c) => c.guid),
				);
				expect(result.execution.mode).toBe('manual');
			}
			if (context === 'pinned data') {
				// The Code node's source throws: its output came from the pinned data.
				const code = runData[CODE];
				expect(code?.[0]?.error).toBeUndefined();
				expect(guids(outputsOf(code?.[0])[0] ?? [])).toEqual(
					result.variant.calls.map((c) => c.guid),
				);
			}
			if (context === 'a partial run (Execute step)') {
				// The Code node did not run again: its run data is the one the editor sent.
				const code = runData[CODE];
				expect(code).toHaveLength(1);
				expect(code[0].startTime).toBe(result.before![CODE][0].startTime);
				expect(result.execution.mode).toBe('manual');
			}
			if (context === 'Loop Over Items') {
				const batches = guidBatches(result);
				const back = result.runs.flatMap(([success]) => success);
				const loop = runData[LOOP] ?? [];
				// The loop ran once per batch, handing it on "loop" (n8n's output 1), and once more,
				// given the last batch back, handing on "done" (output 0) all that came back, in order.
				expect(loop.map((task) => outputsOf(task).map(guids))).toEqual([
					...batches.map((batch) => [[], batch]),
					[guids(back), []],
				]);
				// Run k of our node took the loop's run k; the loop's run k + 1 took our node's run k.
				expect(result.tasks.map(sourcesOf)).toEqual(
					batches.map((_, k) => [
						{ previousNode: LOOP, previousNodeOutput: 1, previousNodeRun: k },
					]),
				);
				expect(loop.slice(1).map(sourcesOf)).toEqual(
					batches.map((_, k) => [
						{ previousNode: NODE, previousNodeOutput: 0, previousNodeRun: k },
					]),
				);
				// Paired through the loop: an item of batch k is paired to its Code item; one that came
				// back is paired, on "done", to the run of our node and the item it came back from.
				const calls = result.variant.calls.map((c) => c.guid);
				expect(
					loop.slice(0, -1).map((task) =>
						(outputsOf(task)[1] ?? []).map((item) => {
							const paired = item.pairedItem as { item: number; sourceOverwrite?: Source };
							const from = paired.sourceOverwrite ?? task.source?.[0];
							return [from?.previousNode, calls[paired.item]];
						}),
					),
				).toEqual(batches.map((batch) => batch.map((guid) => [CODE, guid])));
				expect(
					(outputsOf(loop.at(-1))[0] ?? []).map((item) => {
						const paired = item.pairedItem as { item: number; sourceOverwrite?: Source };
						return { sourceOverwrite: normalSource(paired.sourceOverwrite), item: paired.item };
					}),
				).toEqual(
					result.runs.flatMap(([success], k) =>
						success.map((_, item) => ({
							sourceOverwrite: { previousNode: NODE, previousNodeOutput: 0, previousNodeRun: k },
							item,
						})),
					),
				);
				// Done ran once, on everything.
				expect(runData[DONE]).toHaveLength(1);
			}
		}

		it('a. one output item per input item, in order, each paired to its input (Loop Over Items: per batch run, the runs one after the other)', async () => {
			// Execute Once: n8n hands the node the first of the 5 items only, so one is sent and one
			// comes out, paired to item 0; the other 4 are neither sent nor output. The loop: 5 items
			// in batches of 2, 2 and 1, each run paired to its own batch.
			const result = await cell('order');
			contextChecks(result);
			const batches = guidBatches(result);
			const sent = batches.flat();
			expect(result.runs.map((outputs) => outputs.length)).toEqual(batches.map(() => 1));
			expect(result.runs.map(([success]) => guids(success))).toEqual(batches);
			expect(result.runs.map(([success]) => pairs(success))).toEqual(positions(batches));
			expect(
				result.runs.every(([success]) =>
					success.every(
						(item) => item.json.success === true && item.json.alreadyRecorded === false,
					),
				),
			).toBe(true);
			// Five in flight: they may arrive in any order within a run, each once; a run's requests
			// all come before the next run's.
			expect(cutLike(wireGuids(result.wire), batches).map(sorted)).toEqual(batches.map(sorted));
			expect(sorted(sim.dispositions.map((r) => r.fields.guid))).toEqual(sorted(sent));
			if (context === 'a sub-workflow') {
				const [handed] = result.handedOn;
				expect(guids(handed)).toEqual(sent);
				// n8n follows each item back through the child to the parent's input item.
				expect(pairs(handed)).toEqual(indexes(sent.map((_, i) => i)));
			}
			if (context === 'Loop Over Items') expect(result.handedOn.map(guids)).toEqual([sent, []]);
		});

		it("b. Retry On Fail (3 tries, 50 ms apart), a 503 failing the first try after 2 items were recorded (Execute Once: at its one item; Loop Over Items: at batch 2's second item, the retry per batch run): every input GUID recorded exactly once", async () => {
			const outage = outageAt(context);
			const result = await cell('retryOnFail', (s) =>
				s.queue(...Array.from({ length: outage }, () => ({ kind: 'normal' }) as const), {
					kind: 'status',
					status: 503,
				}),
			);
			contextChecks(result);
			const batches = guidBatches(result);
			const sent = batches.flat();
			const recorded = sim.dispositions.map((r) => r.fields.guid);
			expect(recorded).toEqual(sent);
			expect(new Set(recorded).size).toBe(recorded.length);
			// The try that meets the outage: the items before it recorded, it refused. n8n tries that
			// run again (same run index, same batch), which sends from the refused item on: neither
			// an earlier run's batch (the loop's batch 1) nor this run's recorded items again.
			expect(result.wire.map((r) => [r.fields.guid, r.status])).toEqual([
				...sent.slice(0, outage).map((guid) => [guid, 200]),
				[sent[outage], 503],
				...sent.slice(outage).map((guid) => [guid, 200]),
			]);
			expect(result.runs.map((outputs) => outputs.length)).toEqual(batches.map(() => 1));
			expect(result.runs.map(([success]) => guids(success))).toEqual(batches);
			expect(result.runs.map(([success]) => pairs(success))).toEqual(positions(batches));
			// "Already recorded": an item an earlier try of the same run recorded, and no other.
			const outageRun = cutLike(sent, batches).findIndex((batch) => batch.includes(sent[outage]));
			expect(
				result.runs.map(([success]) =>
					success.map((item) => [item.json.success, item.json.alreadyRecorded]),
				),
			).toEqual(
				cutLike(
					sent.map((_, i) => i),
					batches,
				).map((indexesOfRun, k) => indexesOfRun.map((i) => [true, k === outageRun && i < outage])),
			);
			if (context === 'a sub-workflow') expect(guids(result.handedOn[0])).toEqual(sent);
			if (context === 'Loop Over Items') expect(result.handedOn.map(guids)).toEqual([sent, []]);
		});

		it('c. On Error "Continue (using error output)": uContact\'s "0" on the error output, recorded ones on the success output, in order (Loop Over Items: per batch run)', async () => {
			const result = await cell('errorOutput');
			contextChecks(result);
			const recordedIn = result.batches.map((batch) =>
				batch.flatMap((c, i) => (c.campaign === CAMPAIGN ? [i] : [])),
			);
			const refusedIn = result.batches.map((batch) =>
				batch.flatMap((c, i) => (c.campaign === CAMPAIGN ? [] : [i])),
			);
			const pick = (lists: number[][]) =>
				lists.map((list, k) => list.map((i) => result.batches[k][i].guid));
			expect(result.runs.map(([success]) => guids(success))).toEqual(pick(recordedIn));
			expect(result.runs.map(([success]) => pairs(success))).toEqual(recordedIn.map(indexes));
			expect(result.runs.map(([, failed]) => guids(failed))).toEqual(pick(refusedIn));
			expect(result.runs.map(([, failed]) => pairs(failed))).toEqual(refusedIn.map(indexes));
			expect(result.runs.map(([, failed]) => failed.map((item) => item.json.error))).toEqual(
				refusedIn.map((list) =>
					list.map((i) => expect.stringMatching(new RegExp(`\\(item ${i + 1}\\)$`))),
				),
			);
			const recorded = pick(recordedIn).flat();
			expect(sim.dispositions.map((r) => r.fields.guid)).toEqual(recorded);
			expect(sorted(wireGuids(result.wire))).toEqual(sorted(guidBatches(result).flat()));
			if (context === 'a sub-workflow') {
				expect(result.handedOn.map(guids)).toEqual(result.runs[0].map(guids));
			}
			if (context === 'Loop Over Items') {
				// Done gets what came back into the loop, the recorded ones; Rejected runs once per run
				// of our node, on its error output. n8n runs Rejected only after the loop and Done are
				// through, the last batch's first (v1 order goes depth first, the loop's branch on top).
				expect(guids(result.handedOn[0])).toEqual(recorded);
				const rejected = (runDataOf(result.execution)[REJECTED] ?? []).map((task) => {
					const items = outputsOf(task)[0] ?? [];
					return [sourcesOf(task), guids(items), pairs(items)] as const;
				});
				const runOf = (entry: (typeof rejected)[number]) => entry[0]?.[0]?.previousNodeRun ?? -1;
				expect(rejected.sort((a, b) => runOf(a) - runOf(b))).toEqual(
					refusedIn.map((list, k) => [
						[{ previousNode: NODE, previousNodeOutput: 1, previousNodeRun: k }],
						pick(refusedIn)[k],
						indexes(list.map((_, i) => i)),
					]),
				);
			}
		});

		it("d. a drag-and-drop {{ $json.a.b }} reaches the wire as n8n's evaluator gives it ({{ (0, $json.a.b) }})", async () => {
			const result = await cell('dragAndDrop');
			contextChecks(result);
			const sent = guidBatches(result).flat();
			// The node read Extra Data 1 itself, and left Extra Data 2 to n8n.
			const native = nativeFieldsLogged(result.log)[NODE] ?? [];
			expect(native).toContain('additionalFields.d1');
			expect(native).not.toContain('additionalFields.d2');
			const wire = result.wire.filter((r) => r.endpoint === 'DispositionCall');
			expect(wire.map((r) => r.fields.guid)).toEqual(sent);
			expect(wire.map((r) => r.fields.d1)).toEqual(wire.map((r) => r.fields.d2));
			expect(wire.map((r) => r.fields.d1)).toEqual(DRAGGED_ON_THE_WIRE.slice(0, sent.length));
			const success = result.runs.flatMap(([items]) => items);
			expect(guids(success)).toEqual(sent);
			expect(success.map((item) => (item.json.disposition as { d1: string }).d1)).toEqual(
				success.map((item) => (item.json.disposition as { d2: string }).d2),
			);
		});

		it('e. no secret: the token is in no output item, error message, debug log line or saved execution', async () => {
			// Error pages that echo the request's headers, Authorization included: one with 200 (an
			// answer the node does not understand, which it quotes) and one with 500 (n8n 1.x does
			// not hand the node the body of an error status, 2.x does, and the node quotes it too).
			const page = {
				kind: 'echo',
				of: 'headers',
				before: '<html><body><h1>Error</h1><pre>',
				after: '</pre></body></html>',
			} as const;
			const pages = [page, { ...page, status: 500 }];
			const echoed = echoedAt(context);
			const result = await cell('noSecret', (s) =>
				s.queue(
					...Array.from({ length: Math.max(...echoed) + 1 }, (_, i) =>
						echoed.includes(i) ? pages[echoed.indexOf(i)] : ({ kind: 'normal' } as const),
					),
				),
			);
			contextChecks(result);
			// One request at a time: the wire's order is the items'.
			expect(
				echoed.map((i) => [
					result.wire[i].status,
					result.wire[i].answer?.includes(`"authorization":"Basic ${sim.token}"`),
				]),
			).toEqual(
				[
					[200, true],
					[500, true],
				].slice(0, echoed.length),
			);
			const failedIn = cutLike(
				guidBatches(result)
					.flat()
					.map((_, i) => i),
				result.batches,
			).map((run) => run.flatMap((i, position) => (echoed.includes(i) ? [position] : [])));
			expect(result.runs.map(([success]) => guids(success))).toEqual(
				result.batches.map((batch, k) =>
					batch.filter((_, i) => !failedIn[k].includes(i)).map((c) => c.guid),
				),
			);
			expect(result.runs.map(([, failed]) => pairs(failed))).toEqual(failedIn.map(indexes));
			const failed = result.runs.flatMap(([, items]) => items);
			// The page reached the node, which quotes it with the token masked.
			expect(failed[0].json.error).toMatch(
				/^uContact gave an unexpected answer: ".*"authorization":"Basic \*\*\*".*; the disposition may or may not have been recorded, so check in uContact before sending it again \(item 1\)$/,
			);
			if (echoed.length > 1)
				expect(failed[1].json.error).toMatch(/^uContact had a server error \(HTTP 500\)/);

			// n8n logged at debug level while each cell ran.
			expect(result.log).toMatch(/\| debug \||\bdebug\b/);
			const forms = secretForms([sim.token]);
			const leaks = (what: string, text: string) =>
				forms
					.filter((form) => text.includes(form))
					.map((form) => `${what} holds ${JSON.stringify(form)}`);
			// The check finds the token where it is: in the page the simulator sent.
			expect(leaks('the page', result.wire[0].answer ?? '')).not.toEqual([]);
			const found: string[] = [];
			// Every cell of this context that ran before this one, and this one.
			expect(ran.map((each) => each.variant.promise)).toContain('noSecret');
			for (const each of ran) {
				const name = each.variant.promise;
				found.push(...leaks(`${name}: our node's output`, JSON.stringify(each.runs)));
				found.push(...leaks(`${name}: what the workflow hands on`, JSON.stringify(each.handedOn)));
				found.push(...leaks(`${name}: n8n's log`, each.log));
				each.saved.forEach((text, i) =>
					found.push(...leaks(`${name}: saved execution ${i}`, text)),
				);
			}
			found.push(
				...leaks(
					'error messages',
					failed.map((item) => `${item.json.error} ${item.json.message}`).join('\n'),
				),
			);
			expect(found).toEqual([]);
		});
	});
});
