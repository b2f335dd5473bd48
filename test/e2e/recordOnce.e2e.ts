/**
 * "No disposition recorded twice" (issue 28), measured on real n8n 2.x with the packed package
 * and Options > Skip Repeats on. Each table row prints what it measured
 * and asserts the promise: every call recorded once, 0 duplicates.
 *  A. regular mode (`n8n start`, SQLite), an active Webhook workflow answering at once (so
 *     deliveries of the same call run as overlapping executions):
 *     (a) 30 calls, each delivered twice at the same moment, then once more after every
 *         execution ended;
 *     (b) 50 distinct calls 10 at a time, then the same 50 one by one.
 *  B. queue mode (PostgreSQL, Redis, main + two workers): the same rows. Every delivery after
 *     the first one ended: 0 duplicates. The pairs delivered at once are printed, and held to
 *     QUEUE_AT_ONCE_ALLOWANCE (the goal: 0).
 *  C. the credential moved to another uContact server: the calls recorded on the first are sent
 *     to the second; the node renamed (same node id): still skipped.
 *  D. n8n killed (SIGKILL) in the middle of 1,000 items (Concurrency 5), started again, the same
 *     data delivered again: at most Concurrency duplicates, and the items whose fate the kill
 *     left unknown are named uncertain in the output.
 * n8n's executions are waited for through its REST executions list, never by sleeping.
 */
import * as fs from 'node:fs';

import { startSimulator, type Simulator } from '../support/simulator/simulator';
import { selectedRuntimes } from './support/cli';
import { postWhenRegistered } from './support/examples';
import { printTimings, startQueueMode, type QueueMode, type Timing } from './support/queue';
import {
	countByGuid,
	deliver,
	deploy,
	describeProcessedData,
	executionStatuses,
	finishedExecutions,
	guidOf,
	makeCalls,
	mark,
	mostAtOnce,
	NODE,
	NODE_ID,
	postgresQuery,
	problems,
	publish,
	processedData,
	received,
	sqliteQuery,
	waitForFinished,
	webhookWorkflow,
	type Call,
	type Deployed,
} from './support/recordOnce';
import { restClient, waitForExecution, type RestClient } from './support/rest';
import { makeUserFolder, packPackage, runtime, type Runtime } from './support/runtime';
import { processGroup, startN8n, type N8nServer } from './support/server';

/**
 * Queue mode, two deliveries of one call reaching two workers within the same few
 * milliseconds: how many duplicates the suite accepts. The goal is 0; raise it only with the
 * measured residual, and say it in docs/retrying.md's "Nothing recorded twice" table.
 */
// Measured since the watch (6b984dc): 0 of 30 in every run on 2026-12-08 (quiet and beside two CPU
// hogs). n8n's store is read-then-write with no lock, so a store call of one worker slower than the
// other's settle delay can still let both deliveries of a pair through: a residual, not a promise.
const QUEUE_AT_ONCE_ALLOWANCE = 2;
/** uContact's answer time in the simulator: long enough for deliveries of one call to overlap. */
const LATENCY_MS = 20;

const keep = (): boolean => process.env.UCONTACT_KEEP_E2E === '1';
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

interface Setting {
	/** 'regular' or 'queue'. */
	mode: string;
	sim: Simulator;
	api: RestClient;
	baseUrl: string;
	credential: { id: string; name: string };
}

/** One phase of a row: its deliveries and what reached uContact meanwhile. */
interface Phase {
	name: string;
	deliveries: number;
	/** DispositionCall requests received in this phase. */
	sent: number;
	/** Requests for a GUID that had already reached uContact (in this phase or before). */
	duplicates: number;
	/** Deliveries of one call at the same moment (the only phase queue mode may not hold to 0). */
	atOnce: boolean;
	/** The most of this phase's executions n8n ran at the same time (by their start and stop times). */
	overlap: number;
}

interface Measured {
	calls: number;
	phases: Phase[];
	/** Calls that never reached uContact. */
	missing: number;
	/** Requests the simulator answered with anything but 200 (a broken set-up, not a duplicate). */
	refused: string[];
	statuses: Record<string, number>;
	ms: number;
	workflowId: string;
}

/** Runs `phases` in order on a fresh workflow and measures each against the simulator's request log. */
async function measure(
	setting: Setting,
	key: string,
	calls: Call[],
	phases: Array<{
		name: string;
		atOnce: boolean;
		run: (workflow: Deployed, delivered: () => number) => Promise<number>;
	}>,
): Promise<Measured> {
	const { sim, api, baseUrl, credential, mode } = setting;
	const workflow = await deploy(
		api,
		baseUrl,
		webhookWorkflow(`recordOnce ${mode} (${key})`, `record-once-${mode}-${key}`, credential),
	);
	const started = Date.now();
	let deliveries = 0;
	const seen = new Set<string>();
	const measured: Phase[] = [];
	for (const phase of phases) {
		const from = mark(sim);
		const before = deliveries;
		const known = new Set(
			(await finishedExecutions(api, workflow.id)).map((execution) => execution.id),
		);
		deliveries += await phase.run(workflow, () => deliveries);
		await waitForFinished(api, workflow.id, deliveries);
		const overlap = mostAtOnce(
			(await finishedExecutions(api, workflow.id)).filter((execution) => !known.has(execution.id)),
		);
		let repeated = 0;
		const arrived = received(sim).slice(from);
		for (const request of arrived) {
			const guid = guidOf(request.rawBody);
			if (seen.has(guid)) repeated++;
			seen.add(guid);
		}
		measured.push({
			name: phase.name,
			deliveries: deliveries - before,
			sent: arrived.length,
			duplicates: repeated,
			atOnce: phase.atOnce,
			overlap,
		});
	}
	const ms = Date.now() - started;
	return {
		calls: calls.length,
		phases: measured,
		missing: calls.filter((call) => !seen.has(call.guid)).length,
		refused: problems(sim),
		statuses: await executionStatuses(api, workflow.id),
		ms,
		workflowId: workflow.id,
	};
}

/** Delivers each of `calls` to the workflow's webhook, all at once. */
const allAtOnce = (workflow: Deployed, calls: Call[]): Promise<unknown[]> =>
	Promise.all(calls.map((call) => deliver(workflow.url, call)));

interface Row {
	key: string;
	title: string;
	run(setting: Setting): Promise<Measured>;
}

const ROWS: Row[] = [
	{
		key: 'a',
		title:
			'30 calls, each delivered twice at the same moment, then once more after every execution ended',
		run: (setting) => {
			const calls = makeCalls(`${setting.mode}-a`, 30);
			return measure(setting, 'a', calls, [
				{
					name: '30 pairs at once',
					atOnce: true,
					run: async (workflow) =>
						(
							await allAtOnce(
								workflow,
								calls.flatMap((call) => [call, call]),
							)
						).length,
				},
				{
					name: 'each once more, after every execution ended',
					atOnce: false,
					run: async (workflow) => (await allAtOnce(workflow, calls)).length,
				},
			]);
		},
	},
	{
		key: 'b',
		title: '50 distinct calls 10 at a time, then the same 50 one by one',
		run: (setting) => {
			const calls = makeCalls(`${setting.mode}-b`, 50);
			return measure(setting, 'b', calls, [
				{
					name: '50 distinct, 10 at a time',
					atOnce: false,
					run: async (workflow, delivered) => {
						for (let start = 0; start < calls.length; start += 10) {
							await allAtOnce(workflow, calls.slice(start, start + 10));
							await waitForFinished(setting.api, workflow.id, delivered() + start + 10);
						}
						return calls.length;
					},
				},
				{
					name: 'the same 50 one by one',
					atOnce: false,
					run: async (workflow, delivered) => {
						for (const [index, call] of calls.entries()) {
							await deliver(workflow.url, call);
							await waitForFinished(setting.api, workflow.id, delivered() + index + 1);
						}
						return calls.length;
					},
				},
			]);
		},
	},
];

function describeRow(mode: string, row: Row, result: Measured): string {
	const total = result.phases.reduce((sum, phase) => sum + phase.duplicates, 0);
	const phases = result.phases
		.map(
			(phase) =>
				`${phase.name}: ${phase.deliveries} deliveries (up to ${phase.overlap} executions at once), ${phase.sent} sent, ${phase.duplicates} duplicates`,
		)
		.join('; ');
	return (
		`${mode} (${row.key}) ${row.title}: ${phases}; in all ${total} duplicates, ${result.missing} of ${result.calls} calls never sent; ` +
		`executions ${JSON.stringify(result.statuses)}; ${seconds(result.ms)}` +
		(result.refused.length > 0
			? `; REFUSED by the simulator: ${result.refused.slice(0, 3).join(' | ')}`
			: '')
	);
}

/** Prints at once (the numbers are the point, even when the row fails) and keeps it for the summary. */
function report(log: string[], line: string): void {
	log.push(line);
	process.stderr.write(`recordOnce e2e: ${line}\n`);
}

const credentialData = (sim: Simulator, token: string = sim.token) => ({
	server: 'custom',
	baseUrl: sim.url,
	authentication: 'token',
	token,
});

const describeN8n2 = selectedRuntimes().includes('n8n-2') ? describe : describe.skip;

describeN8n2('n8n-2 regular mode (n8n start, SQLite): Skip Repeats records each call once', () => {
	let sim: Simulator;
	let rt: Runtime;
	let userFolder: string;
	let server: N8nServer | undefined;
	let api: RestClient;
	let credential: { id: string; name: string };
	const log: string[] = [];
	const workflowIds: string[] = [];

	async function start(first: boolean): Promise<void> {
		server = await startN8n(rt, userFolder, { setUpOwner: first });
		api = await restClient(server.url, server.owner);
		report(
			log,
			`n8n ${first ? 'started' : 'started again (same user folder and database)'}: ready after ${seconds(server.readyMs)}`,
		);
	}

	const setting = (): Setting => ({
		mode: 'regular',
		sim,
		api,
		baseUrl: server!.url,
		credential,
	});

	beforeAll(
		async () => {
			sim = await startSimulator({ latencyMs: LATENCY_MS });
			rt = runtime('n8n-2');
			userFolder = makeUserFolder(packPackage());
			await start(true);
			credential = await api.post<{ id: string; name: string }>('/rest/credentials', {
				name: 'uContact simulator',
				type: 'uContactApi',
				data: credentialData(sim),
			});
		},
		5 * 60 * 1000,
	);

	afterAll(async () => {
		try {
			if (userFolder && fs.existsSync(userFolder)) {
				report(
					log,
					`SQLite: ${describeProcessedData(processedData(sqliteQuery(rt, userFolder)), workflowIds)}`,
				);
			}
		} catch (error) {
			report(log, `SQLite: could not read processed_data (${error.message})`);
		}
		await server?.stop();
		await sim?.close();
		if (userFolder && !keep())
			fs.rmSync(userFolder, { recursive: true, force: true, maxRetries: 3 });
		process.stderr.write(`recordOnce e2e (regular mode), summary:\n  ${log.join('\n  ')}\n`);
	}, 60 * 1000);

	beforeEach(() => sim.reset());

	it.each(ROWS)('A ($key) $title: each call recorded once, 0 duplicates', async (row) => {
		const result = await row.run(setting());
		workflowIds.push(result.workflowId);
		report(log, describeRow('regular', row, result));
		expect(result.refused).toEqual([]);
		expect(result.missing).toBe(0);
		expect(result.phases.map((phase) => [phase.name, phase.duplicates])).toEqual(
			result.phases.map((phase) => [phase.name, 0]),
		);
		// Each call exactly once.
		expect([...countByGuid(received(sim)).values()].every((count) => count === 1)).toBe(true);
	});

	it('C: the credential moved to another uContact server: sent there; the node renamed (same id): still skipped', async () => {
		// B accepts the same token, so only the server changes.
		const other = await startSimulator({ latencyMs: LATENCY_MS, tokens: [sim.token] });
		try {
			const moved = await api.post<{ id: string; name: string; type: string }>(
				'/rest/credentials',
				{
					name: 'uContact A',
					type: 'uContactApi',
					data: credentialData(sim),
				},
			);
			const workflow = await deploy(
				api,
				server!.url,
				webhookWorkflow('recordOnce regular (C)', 'record-once-regular-c', {
					id: moved.id,
					name: moved.name,
				}),
			);
			workflowIds.push(workflow.id);
			const calls = makeCalls('regular-c', 2);
			let deliveries = 0;
			/** Delivers each call, one after the other, each once the one before ended; returns the node names each execution ran. */
			const deliverEach = async () => {
				const ran: string[][] = [];
				for (const call of calls) {
					await deliver(workflow.url, call);
					await waitForFinished(api, workflow.id, ++deliveries);
					const execution = await waitForExecution(api, rt, { workflowId: workflow.id });
					ran.push(Object.keys(execution.data.resultData.runData));
				}
				return ran;
			};
			const guids = (requests: Array<{ rawBody: string }>) =>
				requests.map((request) => guidOf(request.rawBody)).sort();

			await deliverEach();
			const onA = guids(received(sim));

			await api.patch(`/rest/credentials/${moved.id}`, {
				name: moved.name,
				type: 'uContactApi',
				data: credentialData(other, sim.token),
			});
			const aBefore = received(sim).length;
			await deliverEach();
			const onB = guids(received(other));
			const againOnA = received(sim).length - aBefore;
			// A control: a call never delivered before goes to B, so the credential did move.
			const control = makeCalls('regular-c-control', 1)[0];
			await deliver(workflow.url, control);
			await waitForFinished(api, workflow.id, ++deliveries);
			const controlOnB = received(other).some(
				(request) => guidOf(request.rawBody) === control.guid,
			);

			// Renamed in the editor: same node id, new name, connections following it.
			const RENAMED = 'Record the disposition';
			const saved = await api.get<
				{
					nodes: Array<{ id: string; name: string }>;
					connections: Record<string, unknown>;
				} & Record<string, unknown>
			>(`/rest/workflows/${workflow.id}`);
			const nodes = saved.nodes.map((node) =>
				node.id === NODE_ID ? { ...node, name: RENAMED } : node,
			);
			const connections = JSON.parse(
				JSON.stringify(saved.connections).split(`"node":"${NODE}"`).join(`"node":"${RENAMED}"`),
			);
			const updated = await api.patch<{ versionId: string }>(`/rest/workflows/${workflow.id}`, {
				...saved,
				nodes,
				connections,
			});
			await publish(api, workflow.id, updated.versionId, workflow.url);
			const [aRename, bRename] = [received(sim).length, received(other).length];
			const renamedRuns = await deliverEach();
			const afterRename = received(sim).length - aRename + (received(other).length - bRename);
			// Every delivery ran the renamed node (the published version is the renamed one).
			const ranRenamed = renamedRuns.filter((nodes) => nodes.includes(RENAMED)).length;

			report(
				log,
				`regular (C) credential moved: A received ${onA.length} of ${calls.length} first; after the move B received ${onB.length} of ${calls.length} ` +
					`(${againOnA} more to A; a new call ${controlOnB ? 'went to B' : 'did NOT go to B'}); node renamed (${ranRenamed} of ${calls.length} executions ran it): ${afterRename} sent again (goal 0)`,
			);
			expect(onA).toEqual(calls.map((call) => call.guid));
			expect(controlOnB).toBe(true);
			expect(ranRenamed).toBe(calls.length);
			expect([onB, againOnA]).toEqual([calls.map((call) => call.guid), 0]);
			expect(afterRename).toBe(0);
		} finally {
			await other.close();
		}
	});

	it('D: n8n killed (SIGKILL) in the middle of 1,000 items at Concurrency 5, started again, the same data again: at most 5 duplicates, each named uncertain', async () => {
		const CONCURRENCY = 5;
		const KILL_AT = 400;
		const calls = makeCalls('regular-d', 1000);
		const webhookPath = 'record-once-regular-d';
		const workflow = await deploy(
			api,
			server!.url,
			webhookWorkflow('recordOnce regular (D)', webhookPath, credential, {
				responseMode: 'lastNode',
				options: { skipRecorded: true, concurrency: CONCURRENCY },
				onError: 'continueRegularOutput',
				jsCode: 'return $input.first().json.body.calls.map((call) => ({ json: call }));',
			}),
		);
		workflowIds.push(workflow.id);

		// The first run: killed once uContact has received KILL_AT of the 1,000.
		const started = Date.now();
		const first = deliver(workflow.url, { calls }, 120000).then(
			() => 'answered',
			(error: Error) => `cut (${error.message.slice(0, 60)})`,
		);
		const deadline = Date.now() + 120000;
		while (received(sim).length < KILL_AT) {
			if (Date.now() > deadline)
				throw new Error(`only ${received(sim).length} requests within 120 s`);
			await new Promise((resolve) => setTimeout(resolve, 5));
		}
		const pgid = server!.pid;
		process.kill(-pgid, 'SIGKILL');
		const killedAt = received(sim).length;
		const pendingAtKill = received(sim).filter((request) => request.status === null).length;
		for (let i = 0; i < 100 && processGroup(pgid).length > 0; i++)
			await new Promise((resolve) => setTimeout(resolve, 50));
		await server!.stop();
		const firstRun = received(sim).length;
		const firstAnswer = await first;
		report(
			log,
			`regular (D) n8n killed ${seconds(Date.now() - started)} after the delivery, ${killedAt} requests received (${firstRun} once it was gone, ` +
				`${pendingAtKill} of them not answered yet when it was killed); the webhook caller saw the delivery ${firstAnswer}`,
		);

		await start(false);
		const url = `${server!.url}/webhook/${webhookPath}`;
		// Claims the killed run made and never settled are each waited for (up to 5 s) before they are named uncertain.
		const answer = await postWhenRegistered(url, { calls }, 120000, 180000);
		expect(answer.status).toBe(200);
		const items = answer.body as Array<Record<string, unknown>>;
		expect(items).toHaveLength(calls.length);

		const firstRunGuids = new Set(
			received(sim)
				.slice(0, firstRun)
				.map((request) => guidOf(request.rawBody)),
		);
		const secondRun = received(sim).slice(firstRun);
		const counts = countByGuid(received(sim));
		const duplicated = [...counts.entries()].filter(([, count]) => count > 1).map(([guid]) => guid);
		const uncertainText = /\bmay\b[^.]*\brecorded\b/i;
		const namedUncertain = (item: Record<string, unknown>) =>
			item.success === false && uncertainText.test(JSON.stringify(item));
		const byGuid = new Map(calls.map((call, index) => [call.guid, items[index]]));
		// Reached uContact before the kill, and the record does not know it as recorded: its fate is unknown.
		const unknownFate = [...firstRunGuids].filter(
			(guid) => byGuid.get(guid)?.alreadyRecorded !== true,
		);
		const notNamed = unknownFate.filter((guid) => !namedUncertain(byGuid.get(guid)!));
		const skipped = items.filter((item) => item.alreadyRecorded === true).length;
		const uncertain = items.filter(namedUncertain).length;
		const missing = calls.filter(
			(call) => !counts.has(call.guid) && !namedUncertain(byGuid.get(call.guid)!),
		).length;
		report(
			log,
			`regular (D) second run (${calls.length} items): ${secondRun.length} sent, ${skipped} skipped as already recorded, ${uncertain} named uncertain; ` +
				`${duplicated.length} duplicates (at most ${CONCURRENCY} allowed); ${unknownFate.length} received before the kill but not known as recorded, ` +
				`${notNamed.length} of them not named uncertain; ${missing} never sent nor named uncertain; ` +
				`executions ${JSON.stringify(await executionStatuses(api, workflow.id))}`,
		);
		expect(duplicated.length).toBeLessThanOrEqual(CONCURRENCY);
		// Claimed before sending, so none is sent again; what the killed run had claimed (4 x
		// Concurrency ahead) without its outcome written yet comes out named uncertain.
		expect(unknownFate.length).toBeLessThanOrEqual(4 * CONCURRENCY);
		expect(notNamed).toEqual([]);
		expect(missing).toBe(0);
	});
});

describeN8n2(
	'n8n-2 queue mode (PostgreSQL, Redis, main + two workers): Skip Repeats records each call once',
	() => {
		let sim: Simulator;
		let queue: QueueMode;
		let api: RestClient;
		let credential: { id: string; name: string };
		const log: string[] = [];
		const timings: Timing[] = [];
		const workflowIds: string[] = [];

		beforeAll(
			async () => {
				sim = await startSimulator({ latencyMs: LATENCY_MS });
				queue = await startQueueMode({
					workers: 2,
					mainEnv: { OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true' },
					workerEnv: { OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true' },
				});
				timings.push(...queue.timings);
				api = await restClient(queue.main.url, queue.main.owner);
				credential = await api.post<{ id: string; name: string }>('/rest/credentials', {
					name: 'uContact simulator',
					type: 'uContactApi',
					data: credentialData(sim),
				});
			},
			5 * 60 * 1000,
		);

		afterAll(async () => {
			try {
				if (queue)
					report(
						log,
						`PostgreSQL ${queue.postgres.version}: ${describeProcessedData(processedData(postgresQuery(queue.postgres)), workflowIds)}`,
					);
			} catch (error) {
				report(log, `PostgreSQL: could not read processed_data (${error.message})`);
			}
			await queue?.stop();
			await sim?.close();
			printTimings('recordOnce e2e (queue mode)', timings, `\n  ${log.join('\n  ')}`);
		}, 60 * 1000);

		beforeEach(() => sim.reset());

		it.each(ROWS)(
			'B ($key) $title: 0 duplicates after the first delivery ended; deliveries at once printed',
			async (row) => {
				const before = queue.workers.map(
					(worker) => (worker.log().match(/Worker started execution/g) ?? []).length,
				);
				const result = await row.run({
					mode: 'queue',
					sim,
					api,
					baseUrl: queue.main.url,
					credential,
				});
				workflowIds.push(result.workflowId);
				const ran = queue.workers.map(
					(worker, index) =>
						(worker.log().match(/Worker started execution/g) ?? []).length - before[index],
				);
				report(
					log,
					`${describeRow('queue', row, result)}; executions per worker ${ran.join(' + ')}`,
				);
				expect(result.refused).toEqual([]);
				expect(result.missing).toBe(0);
				const later = result.phases.filter((phase) => !phase.atOnce);
				expect(later.map((phase) => [phase.name, phase.duplicates])).toEqual(
					later.map((phase) => [phase.name, 0]),
				);
				for (const phase of result.phases.filter((phase) => phase.atOnce)) {
					expect(phase.duplicates).toBeLessThanOrEqual(QUEUE_AT_ONCE_ALLOWANCE);
				}
			},
		);
	},
);
