/**
 * The node's promises in the contexts n8n runs it in, on a real n8n (2.x and 1.x) with the packed
 * package: one `n8n start` per runtime, signed in through its REST API as the editor is, every
 * workflow created at the start, each cell one run (two for the partial run) against the
 * uContact simulator in this process, with n8n logging at debug level into a file.
 *
 * Contexts: Execute Once (node setting); a sub-workflow (Execute Workflow -> Execute Workflow
 * Trigger -> our node, the parent getting the child's output); pinned data on the node before
 * ours; a partial run ("Execute step" on our node) through the REST call the editor makes, with
 * the upstream node's run data from the editor's last run.
 * Promises: a. one output item per input item, in order, paired to it; b. Retry On Fail through
 * an outage after some items were recorded: every input GUID recorded exactly once; c. On Error
 * "Continue (using error output)": failed items on the error output, recorded ones on the success
 * output, in order; d. a drag-and-drop field reaches the wire as n8n's evaluator gives it; e. the
 * credential's token is in no output, error, log line or saved execution.
 *
 * The plain run and Loop Over Items are cli.e2e.ts's.
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
 */
import * as fs from 'node:fs';

import { startSimulator, type Recorded, type Simulator } from '../support/simulator/simulator';
import { secretForms } from '../../nodes/UContactApi/redaction';
import { printTimings, selectedRuntimes, timed } from './support/cli';
import {
	CAMPAIGN,
	CODE,
	CONTEXTS,
	DRAGGED_ON_THE_WIRE,
	EXECUTE_WORKFLOW,
	MANUAL_TRIGGER,
	NODE,
	PROMISES,
	childWorkflow,
	mainWorkflow,
	parentWorkflow,
	variant,
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
interface Task {
	startTime?: number;
	executionStatus?: string;
	data?: { main: Array<Item[] | null> };
	error?: { message?: string };
}
type RunData = Record<string, Task[]>;

/** One cell's run: what n8n did and what uContact received. */
interface Ran {
	variant: Variant;
	/** The execution that ran our node (the child's in the sub-workflow). */
	execution: Execution;
	/** Every execution of the cell, as GET /rest/executions/:id answered (the saved execution). */
	saved: string[];
	/** Our node's runs in that execution. */
	tasks: Task[];
	/** Our node's outputs: [success] or [success, error]. */
	outputs: Item[][];
	/** What the workflow hands on: our node's outputs, or, in the sub-workflow, the parent's Execute Workflow's. */
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
const pairs = (items: Item[]) => items.map((item) => item.pairedItem);
const indexes = (list: number[]) => list.map((item) => ({ item }));
const wireGuids = (wire: Recorded[]) =>
	wire.filter((r) => r.endpoint === 'DispositionCall').map((r) => r.fields.guid);
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The input items our node runs on: Execute Once runs it on the first only. */
const sentCalls = (context: Context, v: Variant) =>
	context === 'Execute Once' ? v.calls.slice(0, 1) : v.calls;

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
				execution = await runAsTheEditor(ids.id, fromTrigger);
			}
			expect([execution.status, execution.data.resultData.error?.message]).toEqual([
				'success',
				undefined,
			]);
			saved.push(await savedExecution(execution.id));
			const tasks = runDataOf(execution)[NODE] ?? [];
			expect(tasks).toHaveLength(1);
			const outputs = outputsOf(tasks[0]);
			// n8n writes the log as it goes; give the last lines a moment to reach the file.
			await delay(200);
			return {
				variant: v,
				execution,
				saved,
				tasks,
				outputs,
				handedOn: handedOn ?? outputs,
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
			if (context === 'pinned data') {
				// The Code node's source throws: its output came from the pinned data.
				const code = runDataOf(result.execution)[CODE];
				expect(code?.[0]?.error).toBeUndefined();
				expect(guids(outputsOf(code?.[0])[0] ?? [])).toEqual(
					result.variant.calls.map((c) => c.guid),
				);
			}
			if (context === 'a partial run (Execute step)') {
				// The Code node did not run again: its run data is the one the editor sent.
				const code = runDataOf(result.execution)[CODE];
				expect(code).toHaveLength(1);
				expect(code[0].startTime).toBe(result.before![CODE][0].startTime);
				expect(result.execution.mode).toBe('manual');
			}
		}

		it('a. one output item per input item, in order, each paired to its input', async () => {
			// Execute Once: n8n hands the node the first of the 5 items only, so one is sent and one
			// comes out, paired to item 0; the other 4 are neither sent nor output.
			const result = await cell('order');
			contextChecks(result);
			const sent = sentCalls(context, result.variant).map((c) => c.guid);
			const [success, ...rest] = result.outputs;
			expect(rest).toEqual([]);
			expect(guids(success)).toEqual(sent);
			expect(pairs(success)).toEqual(indexes(sent.map((_, i) => i)));
			expect(
				success.every((item) => item.json.success === true && item.json.alreadyRecorded === false),
			).toBe(true);
			// Five in flight: they may arrive in any order, each once.
			expect(wireGuids(result.wire).sort()).toEqual([...sent].sort());
			expect(sim.dispositions.map((r) => r.fields.guid).sort()).toEqual([...sent].sort());
			if (context === 'a sub-workflow') {
				const [handed] = result.handedOn;
				expect(guids(handed)).toEqual(sent);
				// n8n follows each item back through the child to the parent's input item.
				expect(pairs(handed)).toEqual(indexes(sent.map((_, i) => i)));
			}
		});

		it('b. Retry On Fail (3 tries, 50 ms apart), a 503 failing the first try after 2 items were recorded (Execute Once: at its one item): every input GUID recorded exactly once', async () => {
			// Execute Once has one item: the outage meets it on the first try.
			const recordedFirst = context === 'Execute Once' ? 0 : 2;
			const result = await cell('retryOnFail', (s) =>
				s.queue(...Array.from({ length: recordedFirst }, () => ({ kind: 'normal' }) as const), {
					kind: 'status',
					status: 503,
				}),
			);
			contextChecks(result);
			const sent = sentCalls(context, result.variant).map((c) => c.guid);
			const recorded = sim.dispositions.map((r) => r.fields.guid);
			expect(recorded).toEqual(sent);
			expect(new Set(recorded).size).toBe(recorded.length);
			// The first try: 2 recorded, the third refused; the second try sends from the third on.
			expect(result.wire.map((r) => [r.fields.guid, r.status])).toEqual([
				...sent.slice(0, recordedFirst).map((guid) => [guid, 200]),
				[sent[recordedFirst], 503],
				...sent.slice(recordedFirst).map((guid) => [guid, 200]),
			]);
			const [success, ...rest] = result.outputs;
			expect(rest).toEqual([]);
			expect(guids(success)).toEqual(sent);
			expect(pairs(success)).toEqual(indexes(sent.map((_, i) => i)));
			expect(success.map((item) => [item.json.success, item.json.alreadyRecorded])).toEqual(
				sent.map((_, i) => [true, i < recordedFirst]),
			);
			if (context === 'a sub-workflow') expect(guids(result.handedOn[0])).toEqual(sent);
		});

		it('c. On Error "Continue (using error output)": uContact\'s "0" on the error output, recorded ones on the success output, in order', async () => {
			const result = await cell('errorOutput');
			contextChecks(result);
			const calls = sentCalls(context, result.variant);
			const refused = calls.flatMap((c, i) => (c.campaign === CAMPAIGN ? [] : [i]));
			const recorded = calls.flatMap((c, i) => (c.campaign === CAMPAIGN ? [i] : []));
			const [success, failed] = result.outputs;
			expect(guids(success)).toEqual(recorded.map((i) => calls[i].guid));
			expect(pairs(success)).toEqual(indexes(recorded));
			expect(guids(failed)).toEqual(refused.map((i) => calls[i].guid));
			expect(pairs(failed)).toEqual(indexes(refused));
			expect(failed.map((item) => item.json.error)).toEqual(
				refused.map((i) => `uContact rejected the disposition (it answered "0") (item ${i})`),
			);
			expect(sim.dispositions.map((r) => r.fields.guid)).toEqual(
				recorded.map((i) => calls[i].guid),
			);
			expect(wireGuids(result.wire).sort()).toEqual(calls.map((c) => c.guid).sort());
			if (context === 'a sub-workflow') {
				expect(result.handedOn.map(guids)).toEqual(result.outputs.map(guids));
			}
		});

		it("d. a drag-and-drop {{ $json.a.b }} reaches the wire as n8n's evaluator gives it ({{ (0, $json.a.b) }})", async () => {
			const result = await cell('dragAndDrop');
			contextChecks(result);
			const calls = sentCalls(context, result.variant);
			// The node read Extra Data 1 itself, and left Extra Data 2 to n8n.
			const native = nativeFieldsLogged(result.log)[NODE] ?? [];
			expect(native).toContain('additionalFields.d1');
			expect(native).not.toContain('additionalFields.d2');
			const wire = result.wire.filter((r) => r.endpoint === 'DispositionCall');
			expect(wire.map((r) => r.fields.guid)).toEqual(calls.map((c) => c.guid));
			expect(wire.map((r) => r.fields.d1)).toEqual(wire.map((r) => r.fields.d2));
			expect(wire.map((r) => r.fields.d1)).toEqual(DRAGGED_ON_THE_WIRE.slice(0, calls.length));
			const [success] = result.outputs;
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
			const result = await cell('noSecret', (s) => s.queue(page, { ...page, status: 500 }));
			contextChecks(result);
			const calls = sentCalls(context, result.variant);
			const echoed = Math.min(2, calls.length);
			expect(
				result.wire
					.slice(0, echoed)
					.map((r) => [r.status, r.answer?.includes(`"authorization":"Basic ${sim.token}"`)]),
			).toEqual(
				[
					[200, true],
					[500, true],
				].slice(0, echoed),
			);
			const [success, failed] = result.outputs;
			expect(guids(success)).toEqual(calls.slice(echoed).map((c) => c.guid));
			expect(pairs(failed)).toEqual(indexes(calls.slice(0, echoed).map((_, i) => i)));
			// The page reached the node, which quotes it with the token masked.
			expect(failed[0].json.error).toMatch(
				/^uContact gave an unexpected answer: ".*"authorization":"Basic \*\*\*".*\(item 0\)$/,
			);
			if (echoed > 1)
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
				found.push(...leaks(`${name}: our node's output`, JSON.stringify(each.outputs)));
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
