/**
 * n8n 2.x in queue mode, for real: PostgreSQL and Redis (Debian's packages, started by the test
 * on 127.0.0.1), `n8n start` as main and one `n8n worker`, each with its own user folder with
 * our packed package installed as a community package, and one shared encryption key. Main takes the trigger and puts the execution on the Redis queue;
 * the worker loads our node, runs it, and the uContact simulator gets the requests.
 *  - a production webhook (the usual queue-mode path: main receives, the worker executes and
 *    main answers the caller with the worker's result);
 *  - a manual run through the REST API, as the editor's "Execute workflow" button does (n8n 2.x
 *    runs those on main unless OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS=true, set here).
 * Proof that the worker ran them: main logs "Enqueued execution N", the worker "Worker started
 * execution N" and "Worker finished execution N".
 */
import { startSimulator, type Simulator } from '../support/simulator/simulator';
import { dispositionWorkflow, NODE } from './support/dispositionWorkflow';
import { postWhenRegistered } from './support/examples';
import {
	printTimings,
	restClient,
	startQueueMode,
	waitForExecution,
	waitForLogLine,
	type Execution,
	type QueueMode,
	type RestClient,
	type RunItem,
	type Timing,
} from './support/queue';

const WEBHOOK_PATH = 'ucontact-queue-e2e';

interface Call {
	campaign: string;
	agent: string;
	callerid: string;
	guid: string;
	l1: string;
}

function makeCalls(prefix: string, count: number): Call[] {
	return Array.from({ length: count }, (_, index) => ({
		campaign: 'Ventas->',
		agent: `agente${index % 3}`,
		callerid: String(59899300000 + index),
		guid: `${prefix}-${String(index).padStart(3, '0')}`,
		l1: index % 2 === 0 ? 'Venta' : 'No interesado',
	}));
}

function nodeItems(execution: Execution): RunItem[] {
	const runs = execution.data.resultData.runData[NODE];
	expect(runs).toHaveLength(1);
	return runs[0].data?.main[0] ?? [];
}

describe('n8n 2.x queue mode (PostgreSQL, Redis, main + one worker) with the packed n8n-nodes-ucontact', () => {
	const timings: Timing[] = [];
	let last = Date.now();
	const step = (name: string) => {
		const now = Date.now();
		timings.push({ name, ms: now - last });
		last = now;
	};

	let sim: Simulator;
	let queue: QueueMode;
	let api: RestClient;
	let credential: { id: string; name: string };

	/** The simulator's DispositionCall requests: as many as `calls`, no problems, each call's fields. */
	function expectSimulatorSaw(calls: Call[]) {
		const requests = sim.requests.filter((request) => request.endpoint === 'DispositionCall');
		expect(requests).toHaveLength(calls.length);
		expect(requests.map((request) => [request.status, request.auth, request.problems])).toEqual(
			calls.map(() => [200, 'ok', []]),
		);
		const byGuid = new Map(requests.map((request) => [request.fields.guid, request.fields]));
		for (const call of calls) expect(byGuid.get(call.guid)).toMatchObject({ ...call });
		expect(sim.dispositions).toHaveLength(calls.length);
	}

	/** Main enqueued execution `id`; the worker started and finished it; main did not run it. */
	async function expectRanOnWorker(id: string) {
		const mainLog = await waitForLogLine(queue.main.logFile, `Enqueued execution ${id} (job `);
		await waitForLogLine(queue.worker.logFile, `Worker started execution ${id} (job `);
		await waitForLogLine(queue.worker.logFile, `Worker finished execution ${id} (job `);
		expect(mainLog).not.toContain(`Worker started execution ${id} `);
	}

	beforeAll(
		async () => {
			sim = await startSimulator({ campaigns: ['Ventas->'] });
			queue = await startQueueMode({
				// Manual runs go to the workers too (n8n 3.x does that always; 2.x only when asked).
				mainEnv: { OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true' },
				workerEnv: { OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true' },
			});
			timings.push(...queue.timings);
			last = Date.now();
			api = await restClient(queue.main.url, queue.main.owner);
			credential = await api.post<{ id: string; name: string }>('/rest/credentials', {
				name: 'uContact simulator',
				type: 'uContactApi',
				data: { server: 'custom', baseUrl: sim.url, authentication: 'token', token: sim.token },
			});
			step('log in, create the uContact credential');
		},
		5 * 60 * 1000,
	);

	afterAll(async () => {
		const peaks = await queue?.stop();
		await sim?.close();
		step('stop worker, main, Redis and PostgreSQL');
		const memory = peaks
			? `peak memory (PSS) main ${peaks.main ?? '?'} MiB, worker ${peaks.worker ?? '?'} MiB, ` +
				`Redis ${peaks.redis ?? '?'} MiB, PostgreSQL ${peaks.postgres ?? '?'} MiB, all together ${peaks.total ?? '?'} MiB`
			: '';
		printTimings(
			'queue-mode e2e',
			timings,
			memory + (queue?.postgresWarning ? `; n8n said: ${queue.postgresWarning}` : ''),
		);
	}, 60 * 1000);

	beforeEach(() => sim.reset());

	it('a production webhook: main enqueues, the worker runs our node, main answers with its output', async () => {
		const calls = makeCalls('queue-webhook', 4);
		const created = await api.post<{ id: string; versionId: string }>(
			'/rest/workflows',
			dispositionWorkflow(
				'uContact queue e2e (webhook)',
				{
					id: 'a7d1c2e3-0001-4f00-9000-000000000001',
					name: 'Call ended',
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2,
					parameters: {
						httpMethod: 'POST',
						path: WEBHOOK_PATH,
						responseMode: 'lastNode',
						responseData: 'allEntries',
						options: {},
					},
					webhookId: '5b0c7e2a-9d41-4e6b-8f3a-2c1d0e9f8a7b',
				},
				'return $input.first().json.body.calls.map((call) => ({ json: call }));',
				credential,
			),
		);
		await api.post(`/rest/workflows/${created.id}/activate`, { versionId: created.versionId });
		step('create and publish the webhook workflow');

		const answer = await postWhenRegistered(`${queue.main.url}/webhook/${WEBHOOK_PATH}`, { calls });
		step(
			`webhook POST, ${calls.length} calls, answered after the worker ran them (${answer.attempts} attempt(s))`,
		);
		expect(answer.status).toBe(200);
		expect(answer.body).toEqual(
			calls.map((call) => ({
				success: true,
				dryRun: false,
				alreadyRecorded: false,
				response: 'OK',
				request: null,
				scheduleTimezone: null,
				hint: null,
				disposition: expect.objectContaining({ ...call, l2: '', comment: '' }) as unknown,
			})),
		);
		expectSimulatorSaw(calls);

		const execution = await waitForExecution(api, queue.runtime, { workflowId: created.id });
		expect([execution.mode, execution.status, execution.data.resultData.error]).toEqual([
			'webhook',
			'success',
			undefined,
		]);
		expect(nodeItems(execution).map((item) => item.json.success)).toEqual(calls.map(() => true));
		await expectRanOnWorker(execution.id);
		step('check the execution and the logs');
	});

	it('a manual run through the REST API (offloaded to the worker): one output item per call', async () => {
		const calls = makeCalls('queue-manual', 6);
		const created = await api.post<{ id: string }>(
			'/rest/workflows',
			dispositionWorkflow(
				'uContact queue e2e (manual)',
				{
					id: 'a7d1c2e3-0004-4f00-9000-000000000004',
					name: 'Manual Trigger',
					type: 'n8n-nodes-base.manualTrigger',
					typeVersion: 1,
					parameters: {},
				},
				`return ${JSON.stringify(calls)}.map((call) => ({ json: call }));`,
				credential,
			),
		);
		const { executionId } = await api.post<{ executionId: string }>(
			`/rest/workflows/${created.id}/run`,
			{
				triggerToStartFrom: { name: 'Manual Trigger' },
			},
		);
		expect(executionId).toBeDefined();
		const execution = await waitForExecution(api, queue.runtime, {
			workflowId: created.id,
			executionId,
		});
		step(`manual run, ${calls.length} calls, until the execution is stored as finished`);
		expect([execution.mode, execution.status, execution.data.resultData.error]).toEqual([
			'manual',
			'success',
			undefined,
		]);
		const items = nodeItems(execution);
		expect(items.map((item) => [item.json.success, item.json.response])).toEqual(
			calls.map(() => [true, 'OK']),
		);
		expect(items.map((item) => (item.json.disposition as Call).guid)).toEqual(
			calls.map((call) => call.guid),
		);
		expectSimulatorSaw(calls);
		await expectRanOnWorker(executionId);
		step('check the execution and the logs');
	});
});
