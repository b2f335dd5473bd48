/**
 * The uContact Trigger (issue 32) on real n8n, the packed package installed as a community node:
 * the simulator POSTs uContact's documented events to active (published) workflows' production
 * URLs, as uContact would, and every row reads what n8n answered and which executions it ran.
 *  - each documented event -> one execution, one item, documented properties typed;
 *  - events not picked, or filtered out by campaign or agent -> 200 and no execution;
 *  - Header Secret and Basic Auth: missing 401, wrong 403, right starts; oversized body 413;
 *    malformed JSON 400 (422 from n8n itself under Content-Type: application/json); unknown
 *    event 400; none of the refused ones starts an execution;
 *  - FinishInteraction -> Set l1 -> uContact Disposition (Map Automatically): each call's
 *    disposition reaches the simulator once, with the event's guid, campaign, agent and caller.
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
import { selectedRuntimes } from './support/cli';
import { countExecutions, publish, waitForFinished } from './support/recordOnce';
import { restClient, type Execution, type RestClient } from './support/rest';
import { makeUserFolder, packPackage, runtime, type Runtime } from './support/runtime';
import { startN8n, type N8nServer } from './support/server';

const TRIGGER = 'uContact Trigger';
const TRIGGER_TYPE = 'n8n-nodes-ucontact.uContactTrigger';
const CAMPAIGN = 'Ventas->';
const SECRET = 'trigger-secret-7f3a9c2e5b1d';
const BASIC = { user: 'ucontact', password: 'basic-pass-4e8d' };
const DOCUMENTED = Object.keys(DOCUMENTED_EXAMPLES);
const FINISHED = ['success', 'error', 'crashed', 'canceled'];

const keep = (): boolean => process.env.UCONTACT_KEEP_E2E === '1';

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
): Promise<Deployed> {
	const created = await api.post<{ id: string; versionId: string }>('/rest/workflows', {
		name,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes,
		connections,
	});
	const url = `${baseUrl}/webhook/${nodes[0].webhookId as string}/ucontact`;
	await publish(api, created.id, created.versionId, url);
	return { id: created.id, url };
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

/** The items the trigger put out in `execution`. */
function triggerItems(execution: Execution): Array<Record<string, unknown>> {
	const run = execution.data.resultData.runData[TRIGGER]?.[0];
	return (run?.data?.main[0] ?? []).map((item) => item.json);
}

const statusOf = (answer: PostAnswer) => `${answer.status} ${answer.text}`;

describe.each(selectedRuntimes())('%s: uContact Trigger on real n8n', (runtimeName) => {
	let sim: Simulator;
	let rt: Runtime;
	let userFolder: string;
	let server: N8nServer;
	let api: RestClient;
	const credentials = {} as Record<'ucontact' | 'header' | 'basic', { id: string; name: string }>;

	beforeAll(
		async () => {
			sim = await startSimulator({ campaigns: [CAMPAIGN] });
			rt = runtime(runtimeName);
			userFolder = makeUserFolder(process.env.UCONTACT_E2E_TARBALL || packPackage());
			server = await startN8n(rt, userFolder);
			api = await restClient(server.url, server.owner);
			credentials.ucontact = await api.post('/rest/credentials', {
				name: 'uContact simulator',
				type: 'uContactApi',
				data: { server: 'custom', baseUrl: sim.url, authentication: 'token', token: sim.token },
			});
			credentials.header = await api.post('/rest/credentials', {
				name: 'Trigger header secret',
				type: 'uContactTriggerHeaderApi',
				data: { headerName: 'X-UContact-Secret', secret: SECRET },
			});
			credentials.basic = await api.post('/rest/credentials', {
				name: 'Trigger basic auth',
				type: 'uContactTriggerBasicApi',
				data: BASIC,
			});
		},
		5 * 60 * 1000,
	);

	afterAll(async () => {
		await server?.stop();
		await sim?.close();
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

	test('FinishInteraction -> Set l1 -> uContact Disposition (Map Automatically) records each call once', async () => {
		sim.reset();
		const flow = await deployWorkflow(
			api,
			server.url,
			'Trigger: call finished -> disposition',
			[
				triggerNode(randomUUID(), { events: ['FinishInteraction'] }),
				{
					id: randomUUID(),
					name: 'Pick level',
					type: 'n8n-nodes-base.set',
					typeVersion: 3.4,
					position: [220, 0],
					parameters: {
						mode: 'manual',
						includeOtherFields: true,
						assignments: {
							assignments: [{ id: randomUUID(), name: 'l1', value: 'Venta', type: 'string' }],
						},
						options: {},
					},
				},
				{
					id: randomUUID(),
					name: 'uContact Disposition',
					type: 'n8n-nodes-ucontact.uContactDisposition',
					typeVersion: 1,
					position: [440, 0],
					parameters: { mappingMode: 'autoMapInputData', options: {} },
					credentials: { uContactApi: credentials.ucontact },
				},
			],
			{
				[TRIGGER]: { main: [[{ node: 'Pick level', type: 'main', index: 0 }]] },
				'Pick level': { main: [[{ node: 'uContact Disposition', type: 'main', index: 0 }]] },
			},
		);
		const calls = [
			finishInteraction('fi-0001', CAMPAIGN, 'agente0', '59899500001'),
			finishInteraction('fi-0002', CAMPAIGN, 'agente1', '59899500002'),
			finishInteraction('fi-0003', CAMPAIGN, 'agente2', '59899500003'),
		];
		for (const call of calls) expect((await postEvent(flow.url, call)).status).toBe(200);
		await waitForFinished(api, flow.id, calls.length);
		const executions = await executionsOf(api, rt, flow.id);
		expect(executions.map((execution) => execution.status)).toEqual([
			'success',
			'success',
			'success',
		]);

		const recorded = sim.dispositions.map((request) => request.fields);
		expect(recorded.map((fields) => fields.guid).sort()).toEqual(['fi-0001', 'fi-0002', 'fi-0003']);
		for (const call of calls) {
			expect(recorded.find((fields) => fields.guid === call.guid)).toMatchObject({
				campaign: call.campaign,
				agent: call.agent,
				callerid: call.callerIdNum,
				l1: 'Venta',
			});
		}
		expect(sim.requests.flatMap((request) => request.problems)).toEqual([]);
	}, 180000);
});
