/**
 * The uContact Trigger (issue 32) on real n8n, the packed package installed as a community node:
 * the simulator POSTs uContact's documented events to active (published) workflows' production
 * URLs, as uContact would, and every row reads what n8n answered and which executions it ran.
 *  - each documented event -> one execution, one item, documented properties typed;
 *  - events not picked, or filtered out by campaign or agent -> 200 and no execution;
 *  - Header Secret and Basic Auth: missing 401, wrong 403, right starts; oversized body 413;
 *    malformed JSON 400 (422 from n8n itself under Content-Type: application/json); unknown
 *    event 400; none of the refused ones starts an execution;
 *  - the shipped examples, imported as users import them (credentials swapped for this n8n's):
 *    examples/call-finished.json (FinishInteraction -> Set l1 -> uContact Disposition, Map
 *    Automatically, Skip Repeats) and examples/call-finished-ai.json (an AI Agent on a local fake
 *    OpenAI-compatible model picks the levels): each call's disposition reaches the simulator once,
 *    with the event's guid, campaign, agent and caller, also when uContact sends the call again.
 * Refused requests are all answered before the accepted ones are sent, and executions are waited
 * for through n8n's REST list (never by sleeping): an exact count then shows none started.
 */
import * as fs from 'node:fs';
import { randomUUID } from 'node:crypto';

import { startSimulator, type Simulator } from '../support/simulator/simulator';
import {
	DOCUMENTED_EXAMPLES,
	finishInteraction,
	postEvent,
	type PostAnswer,
} from '../support/simulator/events';
import { readRepoJson, selectedRuntimes } from './support/cli';
import {
	FAKE_OPENAI_KEY,
	startExampleServices,
	type ChatRequest,
	type ExampleServices,
} from './support/examples';
import { startQueueMode, type QueueMode } from './support/queue';
import { countExecutions, publish, waitForFinished } from './support/recordOnce';
import { restClient, type Execution, type RestClient } from './support/rest';
import { makeUserFolder, packPackage, runtime, type Runtime } from './support/runtime';
import { startN8n, type N8nServer } from './support/server';

const TRIGGER = 'uContact Trigger';
const TRIGGER_TYPE = 'n8n-nodes-ucontact.uContactTrigger';
const CAMPAIGN = 'Ventas->';
const SECRET = 'trigger-secret-7f3a9c2e5b1d';
const BASIC = { user: 'ucontact', password: 'basic-pass-4e8d' };
const withSecret = { headers: { 'X-UContact-Secret': SECRET } };
const DOCUMENTED = Object.keys(DOCUMENTED_EXAMPLES);
const FINISHED = ['success', 'error', 'crashed', 'canceled'];

const keep = (): boolean => process.env.UCONTACT_KEEP_E2E === '1';

interface ExampleNode {
	name: string;
	type: string;
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	webhookId?: string;
	[key: string]: unknown;
}
interface ExampleWorkflow {
	id: string;
	name: string;
	nodes: ExampleNode[];
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
}
const callFinishedExample = readRepoJson('examples/call-finished.json') as ExampleWorkflow;
const callFinishedAiExample = readRepoJson('examples/call-finished-ai.json') as ExampleWorkflow;

interface Deployed {
	id: string;
	url: string;
}

function triggerNode(webhookId: string, parameters: Record<string, unknown>, credentials = {}) {
	return {
		id: randomUUID(),
		name: TRIGGER,
		type: TRIGGER_TYPE,
		typeVersion: 1,
		position: [0, 0],
		webhookId,
		parameters,
		credentials,
	};
}

async function deployWorkflow(
	api: RestClient,
	baseUrl: string,
	name: string,
	nodes: Array<Record<string, unknown>>,
	connections: Record<string, unknown> = {},
	settings: Record<string, unknown> = { executionOrder: 'v1' },
): Promise<Deployed> {
	const created = await api.post<{ id: string; versionId: string }>('/rest/workflows', {
		name,
		active: false,
		settings,
		nodes,
		connections,
	});
	const trigger = nodes.find((node) => node.type === TRIGGER_TYPE);
	const url = `${baseUrl}/webhook/${trigger?.webhookId as string}/ucontact`;
	await publish(api, created.id, created.versionId, url);
	return { id: created.id, url };
}

/** The node of type `type` in a shipped example. */
function exampleNode(example: ExampleWorkflow, type: string): ExampleNode {
	const found = example.nodes.find((node) => node.type === type);
	if (!found) throw new Error(`${example.id} has no ${type} node`);
	return found;
}

/**
 * A shipped example as the editor imports it: the same nodes, parameters, connections and
 * settings; each credential reference swapped for this n8n's credential of that type; and a
 * webhook id for the trigger, which the files ship without so that no two imports share a
 * production URL (n8n's editor gives a webhook node that has none a random one on import).
 */
async function deployExample(
	api: RestClient,
	baseUrl: string,
	example: ExampleWorkflow,
	byType: Record<string, { id: string; name: string }>,
): Promise<Deployed> {
	const nodes = example.nodes.map((shipped) => {
		const node = JSON.parse(JSON.stringify(shipped)) as ExampleNode;
		if (node.credentials) {
			node.credentials = Object.fromEntries(
				Object.keys(node.credentials).map((type) => {
					if (!byType[type]) throw new Error(`${example.id}: no test credential of type ${type}`);
					return [type, byType[type]];
				}),
			);
		}
		if (node.type === TRIGGER_TYPE) node.webhookId = randomUUID();
		return node;
	});
	return deployWorkflow(api, baseUrl, example.name, nodes, example.connections, example.settings);
}

/** The credentials examples/call-finished.json uses, by type: the simulator's token and the trigger's secret. */
async function createCallFinishedCredentials(api: RestClient, sim: Simulator) {
	const [uContactApi, uContactTriggerHeaderApi] = await Promise.all([
		api.post<{ id: string; name: string }>('/rest/credentials', {
			name: 'uContact simulator',
			type: 'uContactApi',
			data: { server: 'custom', baseUrl: sim.url, authentication: 'token', token: sim.token },
		}),
		api.post<{ id: string; name: string }>('/rest/credentials', {
			name: 'Trigger header secret',
			type: 'uContactTriggerHeaderApi',
			data: { headerName: 'X-UContact-Secret', secret: SECRET },
		}),
	]);
	return { uContactApi, uContactTriggerHeaderApi };
}

/** Every finished execution of `workflowId`, with run data, oldest first. */
async function executionsOf(
	api: RestClient,
	rt: Runtime,
	workflowId: string,
): Promise<Execution[]> {
	const flatted = require(`${rt.dir}/node_modules/flatted`) as {
		parse(text: string): Execution['data'];
	};
	const filter = encodeURIComponent(JSON.stringify({ workflowId, status: FINISHED }));
	const list = await api.get<{ results: Array<{ id: string }> }>(
		`/rest/executions?filter=${filter}&limit=100`,
	);
	const executions: Execution[] = [];
	for (const { id } of list.results) {
		const execution = await api.get<Omit<Execution, 'data'> & { data: string }>(
			`/rest/executions/${id}`,
		);
		executions.push({ ...execution, data: flatted.parse(execution.data) });
	}
	return executions.sort((a, b) => Number(a.id) - Number(b.id));
}

/**
 * Posts `calls` with the secret (and one without, refused), waits for them, then posts the
 * first call again, as a sender that delivers one event twice would, and waits for that too.
 * Returns the executions, oldest first.
 */
async function deliverWithRepeat(
	api: RestClient,
	rt: Runtime,
	flow: Deployed,
	calls: Array<ReturnType<typeof finishInteraction>>,
): Promise<Execution[]> {
	expect((await postEvent(flow.url, calls[0])).status).toBe(401);
	for (const call of calls) expect((await postEvent(flow.url, call, withSecret)).status).toBe(200);
	await waitForFinished(api, flow.id, calls.length);
	expect((await postEvent(flow.url, calls[0], withSecret)).status).toBe(200);
	await waitForFinished(api, flow.id, calls.length + 1);
	expect(await countExecutions(api, flow.id, [...FINISHED, 'new', 'running', 'waiting'])).toBe(
		calls.length + 1,
	);
	return executionsOf(api, rt, flow.id);
}

/** The items node `name` put out in `execution`. */
function nodeItems(execution: Execution, name: string): Array<Record<string, unknown>> {
	const run = execution.data.resultData.runData[name]?.[0];
	return (run?.data?.main[0] ?? []).map((item) => item.json);
}

/** The items the trigger put out in `execution`. */
const triggerItems = (execution: Execution) => nodeItems(execution, TRIGGER);

const statusOf = (answer: PostAnswer) => `${answer.status} ${answer.text}`;

describe.each(selectedRuntimes())('%s: uContact Trigger on real n8n', (runtimeName) => {
	let sim: Simulator;
	let rt: Runtime;
	let userFolder: string;
	let server: N8nServer;
	let api: RestClient;
	let services: ExampleServices;
	const credentials = {} as Record<
		'ucontact' | 'header' | 'basic' | 'openAi',
		{ id: string; name: string }
	>;

	beforeAll(
		async () => {
			sim = await startSimulator({ campaigns: [CAMPAIGN] });
			services = await startExampleServices();
			rt = runtime(runtimeName);
			userFolder = makeUserFolder(process.env.UCONTACT_E2E_TARBALL || packPackage());
			server = await startN8n(rt, userFolder);
			api = await restClient(server.url, server.owner);
			({ uContactApi: credentials.ucontact, uContactTriggerHeaderApi: credentials.header } =
				await createCallFinishedCredentials(api, sim));
			credentials.basic = await api.post('/rest/credentials', {
				name: 'Trigger basic auth',
				type: 'uContactTriggerBasicApi',
				data: BASIC,
			});
			credentials.openAi = await api.post('/rest/credentials', {
				name: 'Fake chat model',
				type: 'openAiApi',
				data: { apiKey: FAKE_OPENAI_KEY, url: `${services.url}/v1` },
			});
		},
		5 * 60 * 1000,
	);

	afterAll(async () => {
		await server?.stop();
		await sim?.close();
		await services?.close();
		if (userFolder && !keep())
			fs.rmSync(userFolder, { recursive: true, force: true, maxRetries: 3 });
	}, 60 * 1000);

	test('each documented event starts one execution with one typed item; malformed, oversized and unknown bodies start none', async () => {
		const flow = await deployWorkflow(api, server.url, 'Trigger: every event', [
			triggerNode(randomUUID(), { events: DOCUMENTED }),
		]);
		const refused: Array<[string, PostAnswer, number]> = [
			[
				'malformed JSON as text/plain',
				await postEvent(flow.url, '{"event":"AgentLog",', { contentType: 'text/plain' }),
				400,
			],
			[
				'malformed JSON without Content-Type',
				await postEvent(flow.url, '{"event":', { contentType: null }),
				400,
			],
			[
				'malformed JSON as application/json (refused by n8n itself)',
				await postEvent(flow.url, '{"event":'),
				422,
			],
			['a JSON list', await postEvent(flow.url, '[1,2]'), 400],
			['no event', await postEvent(flow.url, { date: '2023-10-13 10:11:12', agent: 'a' }), 400],
			['unknown event', await postEvent(flow.url, { event: 'CallStarted', agent: 'a' }), 400],
			[
				'oversized (70 KiB)',
				await postEvent(flow.url, {
					...DOCUMENTED_EXAMPLES.AgentLog,
					padding: 'x'.repeat(70 * 1024),
				}),
				413,
			],
		];
		for (const [what, answer, status] of refused) {
			expect({ what, answer: statusOf(answer) }).toEqual({
				what,
				answer: expect.stringMatching(new RegExp(`^${status} `)),
			});
		}
		expect(refused.find(([what]) => what === 'unknown event')?.[1].text).toContain(
			'Unknown event \\"CallStarted\\"',
		);

		for (const name of DOCUMENTED) {
			const answer = await postEvent(flow.url, DOCUMENTED_EXAMPLES[name]);
			expect({ name, answer: statusOf(answer) }).toEqual({
				name,
				answer: expect.stringMatching(/^200 /),
			});
		}
		// Typed: text "false" becomes a boolean, an extension sent as a number becomes text.
		await postEvent(flow.url, { ...DOCUMENTED_EXAMPLES.AgentLog, isLogin: 'false' });
		await postEvent(flow.url, { ...DOCUMENTED_EXAMPLES.AgentRingNoAnswer, agentNumber: 9999 });
		const started = DOCUMENTED.length + 2;
		await waitForFinished(api, flow.id, started);
		expect(await countExecutions(api, flow.id, [...FINISHED, 'new', 'running', 'waiting'])).toBe(
			started,
		);

		const items = (await executionsOf(api, rt, flow.id)).map(triggerItems);
		expect(items.map((list) => list.length)).toEqual(Array(started).fill(1));
		const [ring, log, brk, finish, disposition, logOff, ringNumber] = items.map((list) => list[0]);
		expect(ring).toEqual({ ...DOCUMENTED_EXAMPLES.AgentRingNoAnswer, callerid: '1234' });
		expect(log).toEqual(DOCUMENTED_EXAMPLES.AgentLog);
		expect(brk).toEqual(DOCUMENTED_EXAMPLES.AgentBreak);
		expect(finish).toEqual({ ...DOCUMENTED_EXAMPLES.FinishInteraction, callerid: '59899123456' });
		expect(disposition).toEqual(DOCUMENTED_EXAMPLES.InteractionDisposition);
		expect(logOff.isLogin).toBe(false);
		expect(ringNumber.agentNumber).toBe('9999');
	}, 180000);

	test('events not picked, or filtered out by campaign or agent, are answered 200 and start nothing; Other Events passes an undocumented one as received', async () => {
		const flow = await deployWorkflow(api, server.url, 'Trigger: filtered', [
			triggerNode(randomUUID(), {
				events: ['FinishInteraction', 'AgentLog', 'otherEvents'],
				filters: { campaigns: `Otra<-, ${CAMPAIGN}`, agents: 'agente1' },
			}),
		]);
		const ignored = [
			{ ...DOCUMENTED_EXAMPLES.AgentBreak, agent: 'agente1' },
			finishInteraction('g-other-campaign', 'Demo<-', 'agente1', '111'),
			finishInteraction('g-other-agent', CAMPAIGN, 'agente2', '222'),
			{ ...DOCUMENTED_EXAMPLES.AgentLog, agent: 'agente2' },
		];
		for (const body of ignored) {
			const answer = await postEvent(flow.url, body);
			expect({ body, answer: statusOf(answer) }).toEqual({
				body,
				answer: expect.stringMatching(/^200 .*"started":false/),
			});
		}
		const passing = [
			finishInteraction('g-pass', CAMPAIGN, 'agente1', '333'),
			// AgentLog carries no campaign: the campaign filter does not apply to it.
			{ ...DOCUMENTED_EXAMPLES.AgentLog, agent: 'agente1' },
			// Undocumented, accepted through Other Events: passed on exactly as received.
			{ event: 'CallStarted', agent: 'agente1', campaign: CAMPAIGN, extra: { n: 1, ok: 'true' } },
		];
		for (const body of passing) expect((await postEvent(flow.url, body)).status).toBe(200);
		await waitForFinished(api, flow.id, passing.length);
		const items = (await executionsOf(api, rt, flow.id)).map(triggerItems);
		expect(items.map((list) => [list.length, list[0].event, list[0].agent])).toEqual([
			[1, 'FinishInteraction', 'agente1'],
			[1, 'AgentLog', 'agente1'],
			[1, 'CallStarted', 'agente1'],
		]);
		expect(items[2][0]).toEqual(passing[2]);
	}, 180000);

	test('Header Secret and Basic Auth: missing 401, wrong 403, right starts; refused ones start nothing', async () => {
		const header = await deployWorkflow(api, server.url, 'Trigger: header secret', [
			triggerNode(
				randomUUID(),
				{ authentication: 'headerAuth', events: ['AgentLog'] },
				{ uContactTriggerHeaderApi: credentials.header },
			),
		]);
		const basic = await deployWorkflow(api, server.url, 'Trigger: basic auth', [
			triggerNode(
				randomUUID(),
				{ authentication: 'basicAuth', events: ['AgentLog'] },
				{ uContactTriggerBasicApi: credentials.basic },
			),
		]);
		const event = DOCUMENTED_EXAMPLES.AgentLog;
		const basicOf = (user: string, password: string) => ({
			authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
		});

		const noSecret = await postEvent(header.url, event);
		const wrongSecret = await postEvent(header.url, event, {
			headers: { 'x-ucontact-secret': `${SECRET}x` },
		});
		const noBasic = await postEvent(basic.url, event);
		const wrongBasic = await postEvent(basic.url, event, {
			headers: basicOf(BASIC.user, 'wrong'),
		});
		const secretAsBasic = await postEvent(basic.url, event, {
			headers: { 'x-ucontact-secret': SECRET },
		});
		expect(
			[noSecret, wrongSecret, noBasic, wrongBasic, secretAsBasic].map((a) => a.status),
		).toEqual([401, 403, 401, 403, 401]);
		expect(noBasic.headers.get('www-authenticate')).toMatch(/^Basic /);
		for (const answer of [noSecret, wrongSecret, noBasic, wrongBasic]) {
			expect(answer.text).not.toContain(SECRET);
			expect(answer.text).not.toContain(BASIC.password);
		}

		const rightSecret = await postEvent(header.url, event, {
			headers: { 'X-UContact-Secret': SECRET },
		});
		const rightBasic = await postEvent(basic.url, event, {
			headers: basicOf(BASIC.user, BASIC.password),
		});
		expect([rightSecret.status, rightBasic.status]).toEqual([200, 200]);
		await waitForFinished(api, header.id, 1);
		await waitForFinished(api, basic.id, 1);
		for (const flow of [header, basic]) {
			expect(await countExecutions(api, flow.id, [...FINISHED, 'new', 'running', 'waiting'])).toBe(
				1,
			);
		}
	}, 180000);

	/** The examples' credentials, by type: each reference in a shipped file is swapped for these. */
	const exampleCredentials = () => ({
		uContactApi: credentials.ucontact,
		uContactTriggerHeaderApi: credentials.header,
		openAiApi: credentials.openAi,
	});
	const DISPOSITION = 'uContact Disposition';

	/** What reached uContact, in guid order: the calls' executions run at once, in any order. */
	const byGuid = <T extends { fields: Record<string, string> }>(requests: T[]) =>
		[...requests].sort((a, b) => a.fields.guid.localeCompare(b.fields.guid));
	const dispositionCalls = () =>
		byGuid(sim.requests.filter((request) => request.endpoint === 'DispositionCall'));

	/** What each execution's uContact Disposition put out: the call's guid and whether it was skipped. */
	const dispositionOutcomes = (executions: Execution[]) =>
		executions.map((execution) =>
			nodeItems(execution, DISPOSITION).map((item) => [
				(item.disposition as { guid: string }).guid,
				item.success,
				item.alreadyRecorded,
			]),
		);

	test("examples/call-finished.json as shipped: each FinishInteraction recorded once with the event's fields and the level; a repeat is skipped", async () => {
		const trigger = exampleNode(callFinishedExample, TRIGGER_TYPE);
		expect(trigger.webhookId).toBeUndefined();
		expect(trigger.parameters).toMatchObject({
			authentication: 'headerAuth',
			events: ['FinishInteraction'],
		});
		sim.reset();
		const flow = await deployExample(api, server.url, callFinishedExample, exampleCredentials());
		const calls = [
			finishInteraction('fi-0001', CAMPAIGN, 'agente0', '59899500001'),
			finishInteraction('fi-0002', CAMPAIGN, 'agente1', '59899500002'),
			finishInteraction('fi-0003', CAMPAIGN, 'agente2', '59899500003'),
		];
		const executions = await deliverWithRepeat(api, rt, flow, calls);
		expect(executions.map((execution) => execution.status)).toEqual(Array(4).fill('success'));
		expect(dispositionOutcomes(executions)).toEqual([
			[['fi-0001', true, false]],
			[['fi-0002', true, false]],
			[['fi-0003', true, false]],
			[['fi-0001', true, true]],
		]);

		// On the wire: one DispositionCall per call, none for the repeat.
		const sent = dispositionCalls();
		expect(sent.map((request) => request.fields.guid)).toEqual(['fi-0001', 'fi-0002', 'fi-0003']);
		expect(byGuid(sim.dispositions).map((request) => request.fields)).toEqual(
			calls.map((call) =>
				expect.objectContaining({
					guid: call.guid,
					campaign: call.campaign,
					agent: call.agent,
					callerid: call.callerIdNum,
					l1: 'Atendida',
				}),
			),
		);
		expect(sim.requests.flatMap((request) => request.problems)).toEqual([]);
	}, 180000);

	test("examples/call-finished-ai.json as shipped: the AI Agent picks the levels from the conversation, the call's fields come from the event; each call recorded once, a repeat stopped before the model", async () => {
		const trigger = exampleNode(callFinishedAiExample, TRIGGER_TYPE);
		expect(trigger.webhookId).toBeUndefined();
		expect(trigger.parameters).toMatchObject({
			authentication: 'headerAuth',
			events: ['FinishInteraction'],
		});
		sim.reset();
		services.reset();
		const flow = await deployExample(api, server.url, callFinishedAiExample, exampleCredentials());
		// uContact's event carries no conversation; a property the trigger passes on as received
		// stands in for what a node before the agent would fetch (a transcription, the chat).
		const talk = (guid: string, agent: string, caller: string, conversation: string) => ({
			...finishInteraction(guid, CAMPAIGN, agent, caller),
			conversation,
		});
		const calls = [
			talk(
				'ai-0001',
				'agente0',
				'59899600001',
				'El cliente aceptó el plan Hogar y paga al contado.',
			),
			talk('ai-0002', 'agente1', '59899600002', 'Pidió volver a llamar mañana de tarde.'),
			talk('ai-0003', 'agente2', '59899600003', 'No le interesa, ya tiene otro proveedor.'),
		];
		const levels = [
			{ l1: 'Venta', l2: 'Contado', comment: 'El cliente aceptó la oferta' },
			{ l1: 'Volver a llamar', l2: '', comment: 'El cliente pidió que lo llamen más tarde' },
			{ l1: 'No interesado', l2: '', comment: 'El cliente no está interesado' },
		];
		const executions = await deliverWithRepeat(api, rt, flow, calls);
		expect(executions.map((execution) => execution.status)).toEqual(Array(4).fill('success'));
		expect(dispositionOutcomes(executions)).toEqual([
			[['ai-0001', true, false]],
			[['ai-0002', true, false]],
			[['ai-0003', true, false]],
			[],
		]);
		// The repeat stops at Once per call: it reaches neither the model nor uContact.
		expect(nodeItems(executions[3], 'Once per call')).toEqual([]);
		expect(nodeItems(executions[0], 'Once per call')).toHaveLength(1);

		// The model: one request per call, offered only the output format (no uContact tool), shown
		// the conversation; its answer is the levels the Disposition node then sends.
		const chat: ChatRequest[] = [...services.chatRequests];
		expect(chat).toHaveLength(calls.length);
		for (const request of chat) {
			expect(request.authorization).toBe(`Bearer ${FAKE_OPENAI_KEY}`);
			expect((request.body.tools ?? []).map((tool) => tool.function.name)).toEqual([
				'format_final_json_response',
			]);
		}
		const prompts = chat.map((request) =>
			JSON.stringify((request.body.messages ?? []).filter((message) => message.role === 'user')),
		);
		for (const call of calls) {
			expect([
				call.conversation,
				prompts.filter((prompt) => prompt.includes(call.conversation)).length,
			]).toEqual([call.conversation, 1]);
		}
		expect(nodeItems(executions[0], 'AI Agent')).toEqual([{ output: levels[0] }]);

		const sent = dispositionCalls();
		expect(sent.map((request) => request.fields.guid)).toEqual(['ai-0001', 'ai-0002', 'ai-0003']);
		expect(byGuid(sim.dispositions).map((request) => request.fields)).toEqual(
			calls.map((call, index) =>
				expect.objectContaining({
					guid: call.guid,
					campaign: call.campaign,
					agent: call.agent,
					callerid: call.callerIdNum,
					...levels[index],
				}),
			),
		);
		expect(sim.requests.flatMap((request) => request.problems)).toEqual([]);
	}, 240000);
});

/**
 * Queue mode (PostgreSQL, Redis, main + two workers, as the queue e2e starts them): uContact's
 * POST lands on main, whose trigger checks the secret and answers; the execution runs on a
 * worker, whose uContact Disposition records each call once.
 */
describe('n8n-2 queue mode: the uContact Trigger example', () => {
	let sim: Simulator;
	let queue: QueueMode;
	let api: RestClient;
	const byType = {} as Record<string, { id: string; name: string }>;

	beforeAll(
		async () => {
			sim = await startSimulator({ campaigns: [CAMPAIGN] });
			queue = await startQueueMode({ workers: 2 });
			api = await restClient(queue.main.url, queue.main.owner);
			Object.assign(byType, await createCallFinishedCredentials(api, sim));
		},
		5 * 60 * 1000,
	);

	afterAll(async () => {
		await queue?.stop();
		await sim?.close();
	}, 60 * 1000);

	test('examples/call-finished.json: the POST answered by main, each call recorded once by a worker, a repeat skipped', async () => {
		const flow = await deployExample(api, queue.main.url, callFinishedExample, byType);
		const started = () =>
			queue.workers.map((worker) => (worker.log().match(/Worker started execution/g) ?? []).length);
		const before = started();
		const calls = [
			finishInteraction('q-0001', CAMPAIGN, 'agente0', '59899600001'),
			finishInteraction('q-0002', CAMPAIGN, 'agente1', '59899600002'),
			finishInteraction('q-0003', CAMPAIGN, 'agente2', '59899600003'),
		];
		const executions = await deliverWithRepeat(api, queue.runtime, flow, calls);
		expect(executions.map((execution) => execution.status)).toEqual(Array(4).fill('success'));
		// Every execution ran on a worker; none was started for the refused POST.
		const ran = started().map((count, index) => count - before[index]);
		expect(ran.reduce((sum, count) => sum + count, 0)).toBe(4);
		const outcomes = executions.map((execution) =>
			nodeItems(execution, 'uContact Disposition').map((item) => [
				(item.disposition as { guid: string }).guid,
				item.alreadyRecorded,
			]),
		);
		expect(outcomes).toEqual([
			[['q-0001', false]],
			[['q-0002', false]],
			[['q-0003', false]],
			[['q-0001', true]],
		]);
		expect(sim.dispositions.map((request) => request.fields.guid).sort()).toEqual([
			'q-0001',
			'q-0002',
			'q-0003',
		]);
		expect(sim.requests.flatMap((request) => request.problems)).toEqual([]);
	}, 240000);
});
