/**
 * n8n's Retry of a failed execution, in a real n8n (2.x and 1.x) with the packed package: the
 * REST call the execution list makes (`POST /rest/executions/:id/retry`, no body for "Retry with
 * original workflow", `{ loadWorkflow: true }` for "Retry with currently saved workflow", as the
 * editor's executions store sends them in both versions) never sends again what the failed
 * execution recorded.
 *  - a manual execution of 40 calls; the uContact simulator answers 503 to every DispositionCall
 *    after the 15th, longer than Safe Retries, so the node stops the workflow; the outage ends,
 *    then each Retry variant;
 *  - a production execution (Webhook trigger, active workflow), with n8n stopped and started
 *    again on the same user folder and database between the failure and the Retry;
 *  - queue mode (n8n 2.x, PostgreSQL, Redis): a production execution fails on one worker, that
 *    worker stops, and another worker, on a user folder of its own, runs the Retry.
 * One `n8n start` per runtime serves the manual cases; the production case restarts it.
 * The retry's hint names the failed execution when the process that ran it runs the retry (the
 * manual cases); after a restart or on another worker only n8n's deduplication store knows, and
 * the hint says "an earlier execution". That store (processed_data) holds hashes only.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';

import { startSimulator, type Simulator } from '../support/simulator/simulator';
import { selectedRuntimes } from './support/cli';
import { postWhenRegistered } from './support/examples';
import { restClient, waitForExecution, type Execution, type RestClient } from './support/rest';
import {
	CALLS,
	FIRST_RUN,
	outageAfter,
	presenceHashes,
	recordedGuids,
	retriedOutput,
	retryAsTheListDoes,
	webhookTrigger,
	type RecordedBy,
	MANUAL_TRIGGER,
	workflowJson,
	NODE,
	type Variant,
} from './support/retryExecution';
import { postgresQuery, sqliteQuery } from './support/recordOnce';

import { makeUserFolder, packPackage, runtime, type Runtime } from './support/runtime';
import {
	printTimings,
	queueEnv,
	startQueueMode,
	startWorker,
	waitForLogLine,
	type QueueMode,
	type Timing,
	type Worker,
} from './support/queue';
import { startN8n, type N8nServer } from './support/server';

// Presence entries are looked up from here on (record/roster.ts writes one a minute).
const STARTED = Date.now();

const keep = (): boolean => process.env.UCONTACT_KEEP_E2E === '1';

interface Context {
	sim: Simulator;
	api: RestClient;
	rt: Runtime;
	log: string[];
	/** One query against this n8n's database (SQLite, or PostgreSQL in queue mode). */
	sql: (query: string) => string;
}

/** The failed execution: stopped by our node in the outage, saved with its error, 15 recorded. */
function expectFailed(sim: Simulator, execution: Execution, mode: string): void {
	expect([execution.mode, execution.status]).toEqual([mode, 'error']);
	expect(execution.data.resultData.lastNodeExecuted).toBe(NODE);
	expect(execution.data.resultData.error?.message).toMatch(/temporarily unavailable \(HTTP 503\)/);
	expect(recordedGuids(sim)).toEqual(FIRST_RUN.map((call) => call.guid));
}

/**
 * Retries `failed` the way the execution list does, then checks the retry, the simulator and
 * n8n's deduplication store. `recordedBy`: whether the process running the retry ran the failed
 * execution too, or only n8n's store knows what it recorded.
 */
async function retryAndCheck(
	{ sim, api, rt, log, sql }: Context,
	failed: Execution,
	workflowId: string,
	variant: Variant,
	recordedBy: RecordedBy,
) {
	const retried = await retryAsTheListDoes(api, failed.id, variant);
	expect(String(retried.retryOf)).toBe(String(failed.id));
	const execution = await waitForExecution(api, rt, {
		workflowId,
		executionId: String(retried.id),
	});
	expect([execution.mode, execution.status, execution.data.resultData.error]).toEqual([
		'retry',
		'success',
		undefined,
	]);
	const output = retriedOutput(execution, failed, recordedBy, sql);
	// 40 recorded in all, each once: the first run's 15, and the other 25 by the retry.
	const recorded = recordedGuids(sim);
	expect(recorded).toHaveLength(CALLS.length);
	expect(new Set(recorded).size).toBe(CALLS.length);
	expect([...recorded].sort()).toEqual(CALLS.map((call) => call.guid).sort());
	log.push(
		`${variant === 'saved' ? 'Retry with the saved workflow' : 'Retry with the original workflow'} of ${failed.mode} execution ${failed.id} ` +
			`(as retry ${execution.id}): ${FIRST_RUN.length} recorded by the failed run, ${output.skipped} marked alreadyRecorded, ` +
			`${output.sent} sent by the retry, ${recorded.length} recorded in all, ${recorded.length - new Set(recorded).size} duplicates, ` +
			`the hint naming ${recordedBy === 'this process' ? 'the failed execution' : 'an earlier execution'}; n8n's store (processed_data) holds ` +
			`${output.stored.entries.length} entries, ${output.stored.bytes} bytes, ${(output.stored.bytes / CALLS.length).toFixed(1)} per recorded disposition`,
	);
	// What the store keeps stays bounded: per disposition its claim and its outcome, nothing more
	// (besides the presence entries by which n8n processes meet in the row, and the last look's
	// mark each n8n process that ran the node leaves: two here, before and after the restart).
	const presence = presenceHashes(STARTED);
	const others = output.stored.entries.filter((entry) => !presence.has(entry)).length;
	expect(others).toBeGreaterThanOrEqual(2 * CALLS.length);
	expect(others).toBeLessThanOrEqual(2 * CALLS.length + 2);
	expect(output.stored.entries.length - 2 * CALLS.length).toBeLessThanOrEqual(6);
	return execution;
}

describe.each(selectedRuntimes())(
	"%s: n8n's Retry of a failed execution, through the REST API",
	(runtimeName) => {
		let sim: Simulator;
		let rt: Runtime;
		let userFolder: string;
		let server: N8nServer | undefined;
		let api: RestClient;
		let credential: { id: string; name: string };
		const log: string[] = [];

		async function start(first: boolean): Promise<void> {
			server = await startN8n(rt, userFolder, { setUpOwner: first });
			api = await restClient(server.url, server.owner);
			log.push(
				`n8n ${first ? 'start' : 'start again (same user folder and database)'}: ready after ${(server.readyMs / 1000).toFixed(1)} s`,
			);
		}

		beforeAll(
			async () => {
				sim = await startSimulator({ campaigns: ['Ventas->'] });
				rt = runtime(runtimeName);
				userFolder = makeUserFolder(packPackage());
				await start(true);
				credential = await api.post<{ id: string; name: string }>('/rest/credentials', {
					name: 'uContact simulator',
					type: 'uContactApi',
					data: { server: 'custom', baseUrl: sim.url, authentication: 'token', token: sim.token },
				});
			},
			5 * 60 * 1000,
		);

		afterAll(async () => {
			await server?.stop();
			await sim?.close();
			if (userFolder && !keep())
				fs.rmSync(userFolder, { recursive: true, force: true, maxRetries: 3 });
			if (log.length > 0)
				process.stderr.write(`retryExecution e2e (${runtimeName}):\n  ${log.join('\n  ')}\n`);
		}, 60 * 1000);

		beforeEach(() => sim.reset());

		/** Creates the workflow; returns its id and what GET /rest/workflows/:id answers. */
		async function createWorkflow(body: ReturnType<typeof workflowJson>) {
			const created = await api.post<{ id: string; versionId: string }>('/rest/workflows', body);
			const saved = await api.get<Record<string, unknown>>(`/rest/workflows/${created.id}`);
			return { id: created.id, versionId: created.versionId, saved };
		}

		const ctx = (): Context => ({ sim, api, rt, log, sql: sqliteQuery(rt, userFolder) });

		for (const variant of ['original', 'saved'] as const) {
			it(`a manual execution that failed at the 16th of 40 calls, Retry with the ${variant === 'saved' ? 'currently saved' : 'original'} workflow: 40 recorded once each`, async () => {
				const { id, saved } = await createWorkflow(
					workflowJson(
						`uContact retry e2e (manual, ${variant})`,
						MANUAL_TRIGGER,
						`return ${JSON.stringify(CALLS)}.map((call) => ({ json: call }));`,
						credential,
					),
				);
				const restore = outageAfter(sim, FIRST_RUN.length);
				let failed: Execution;
				try {
					const { executionId } = await api.post<{ executionId: string }>(
						`/rest/workflows/${id}/run`,
						{
							// n8n 1.x runs the workflow it is sent; 2.x reads the saved one.
							...(runtimeName === 'n8n-1' ? { workflowData: saved } : {}),
							triggerToStartFrom: { name: MANUAL_TRIGGER.name },
						},
					);
					failed = await waitForExecution(api, rt, { workflowId: id, executionId });
				} finally {
					restore();
				}
				expectFailed(sim, failed, 'manual');

				// Saved between the failure and the retry: a note on our node, so the retry shows which workflow it ran.
				const note = `edited after execution ${failed.id}`;
				const nodes = (saved.nodes as Array<Record<string, unknown>>).map((node) =>
					node.name === NODE ? { ...node, notes: note } : node,
				);
				await api.patch(`/rest/workflows/${id}`, { ...saved, nodes });

				// Retried by the n8n process that ran the failed execution: its own record names it.
				const retry = await retryAndCheck(ctx(), failed, id, variant, 'this process');
				const ran = (
					retry as unknown as { workflowData: { nodes: Array<{ name: string; notes?: string }> } }
				).workflowData.nodes.find((node) => node.name === NODE);
				expect(ran?.notes).toBe(variant === 'saved' ? note : undefined);
			});
		}

		it('a production execution (Webhook trigger, active workflow) that failed in the outage, n8n restarted, then Retry: 40 recorded once each', async () => {
			const path = `ucontact-retry-e2e-${runtimeName}`;
			const { id, versionId } = await createWorkflow(
				workflowJson(
					'uContact retry e2e (webhook)',
					webhookTrigger(path),
					'return $input.first().json.body.calls.map((call) => ({ json: call }));',
					credential,
				),
			);
			await api.post(`/rest/workflows/${id}/activate`, { versionId });

			const restore = outageAfter(sim, FIRST_RUN.length);
			let failed: Execution;
			try {
				const answer = await postWhenRegistered(`${server!.url}/webhook/${path}`, { calls: CALLS });
				expect(answer.status).toBe(200);
				failed = await waitForExecution(api, rt, { workflowId: id });
			} finally {
				restore();
			}
			// Saved with its error and its execution data: n8n's default EXECUTIONS_DATA_SAVE_ON_ERROR=all.
			expectFailed(sim, failed, 'webhook');

			await server!.stop();
			log.push(`n8n stopped after webhook execution ${failed.id} failed`);
			await start(false);
			const reread = await waitForExecution(api, rt, { workflowId: id, executionId: failed.id });
			expect([reread.mode, reread.status]).toEqual(['webhook', 'error']);

			// A new process: only n8n's store knows what the failed execution recorded.
			await retryAndCheck(ctx(), failed, id, 'original', "n8n's store");
		});
	},
);

// Queue mode runs on n8n 2.x only, as queue.e2e.ts does.
const describeQueue = selectedRuntimes().includes('n8n-2') ? describe : describe.skip;

describeQueue(
	"n8n-2 queue mode (PostgreSQL, Redis, main + workers): n8n's Retry of a failed execution",
	() => {
		// One key for main and both workers, which must share it to read the credential.
		const encryptionKey = crypto.randomBytes(32).toString('hex');
		let sim: Simulator;
		let queue: QueueMode;
		let api: RestClient;
		let credential: { id: string; name: string };
		let other: Worker | undefined;
		let otherFolder: string | undefined;
		const log: string[] = [];
		const timings: Timing[] = [];

		beforeAll(
			async () => {
				sim = await startSimulator({ campaigns: ['Ventas->'] });
				queue = await startQueueMode({
					mainEnv: { N8N_ENCRYPTION_KEY: encryptionKey },
					workerEnv: { N8N_ENCRYPTION_KEY: encryptionKey },
				});
				timings.push(...queue.timings);
				api = await restClient(queue.main.url, queue.main.owner);
				credential = await api.post<{ id: string; name: string }>('/rest/credentials', {
					name: 'uContact simulator',
					type: 'uContactApi',
					data: { server: 'custom', baseUrl: sim.url, authentication: 'token', token: sim.token },
				});
			},
			5 * 60 * 1000,
		);

		afterAll(async () => {
			await other?.stop();
			if (otherFolder && !keep())
				fs.rmSync(otherFolder, { recursive: true, force: true, maxRetries: 3 });
			await queue?.stop();
			await sim?.close();
			printTimings('retryExecution e2e (queue mode)', timings, log.join('; '));
		}, 60 * 1000);

		it('a production execution fails on one worker; that worker stops, another (its own user folder) runs the Retry: 40 recorded once each', async () => {
			const path = 'ucontact-retry-e2e-queue';
			const created = await api.post<{ id: string; versionId: string }>(
				'/rest/workflows',
				workflowJson(
					'uContact retry e2e (queue)',
					webhookTrigger(path),
					'return $input.first().json.body.calls.map((call) => ({ json: call }));',
					credential,
				),
			);
			await api.post(`/rest/workflows/${created.id}/activate`, { versionId: created.versionId });

			const restore = outageAfter(sim, FIRST_RUN.length);
			let failed: Execution;
			try {
				const answer = await postWhenRegistered(`${queue.main.url}/webhook/${path}`, {
					calls: CALLS,
				});
				expect(answer.status).toBe(200);
				failed = await waitForExecution(api, queue.runtime, { workflowId: created.id });
			} finally {
				restore();
			}
			expectFailed(sim, failed, 'webhook');
			await waitForLogLine(queue.main.logFile, `Enqueued execution ${failed.id} (job `);
			await waitForLogLine(queue.worker.logFile, `Worker started execution ${failed.id} (job `);

			// The worker that ran it goes away; another, on a user folder of its own, takes the jobs.
			await queue.worker.stop();
			otherFolder = makeUserFolder(packPackage());
			other = await startWorker(queue.runtime, otherFolder, {
				...queueEnv(queue.redis, queue.postgres),
				N8N_ENCRYPTION_KEY: encryptionKey,
			});
			timings.push({
				name: `the first worker stopped, another started (ready after ${(other.readyMs / 1000).toFixed(1)} s)`,
				ms: other.readyMs,
			});

			// Another worker: only n8n's store (PostgreSQL) knows what the failed execution recorded.
			const retry = await retryAndCheck(
				{ sim, api, rt: queue.runtime, log, sql: postgresQuery(queue.postgres) },
				failed,
				created.id,
				'saved',
				"n8n's store",
			);
			const mainLog = await waitForLogLine(
				queue.main.logFile,
				`Enqueued execution ${retry.id} (job `,
			);
			await waitForLogLine(other.logFile, `Worker started execution ${retry.id} (job `);
			await waitForLogLine(other.logFile, `Worker finished execution ${retry.id} (job `);
			expect(mainLog).not.toContain(`Worker started execution ${retry.id} `);
			expect(other.log()).not.toContain(`Worker started execution ${failed.id} `);
		});
	},
);
