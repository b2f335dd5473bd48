/**
 * The example workflows users import (examples/*.json), run by a real n8n 2.x with the packed
 * package installed as a community package, against the uContact simulator, so they cannot rot:
 *  - call-ended-webhook.json: activated in `n8n start`; the test POSTs a finished call to the
 *    production webhook the way uContact would, and gets the disposition result back;
 *  - bulk-csv.json: `n8n execute`; its Download CSV node is pointed at a local CSV file;
 *  - ai-agent-disposition.json: `n8n execute`; the OpenAI credential points at a local fake
 *    OpenAI-compatible model that calls the uContact tool with arguments read from the summary;
 *  - mcp-server.json: activated in `n8n start`; the official MCP SDK client connects to the MCP
 *    Server Trigger with its bearer token, lists the uContact tool and calls it.
 * Only the credentials and the CSV address differ from the shipped files.
 * The uContact Trigger examples (call-finished.json, call-finished-ai.json) run in trigger.e2e.ts,
 * which publishes trigger workflows on n8n 2.x and 1.x.
 */
import { startSimulator, type Recorded, type Simulator } from '../support/simulator/simulator';
import {
	FAKE_OPENAI_KEY,
	postWhenRegistered,
	startExampleServices,
	type ChatRequest,
	type ExampleServices,
} from './support/examples';
import {
	assertExit0,
	nodeOutput,
	packPackage,
	parseRunOutput,
	prepareN8n,
	printTimings,
	readRepoJson,
	removeDir,
	selectedRuntimes,
	tempDir,
	timed,
	writeJson,
	type PreparedN8n,
	type PrintedRun,
	type RunItem,
} from './support/cli';
import { connectMcp, initializeStatus, resultText, type McpSession } from './support/mcp';
import { startN8n, type N8nServer } from './support/server';

const RUNTIME = 'n8n-2';
const NODE = 'uContact Disposition';
const MCP_TRIGGER = 'MCP Server Trigger';
/** The token MCP clients present; the example's bearer credential holds it. */
const MCP_CLIENT_PASS = 'mcp-e2e-client-token-3f9c2a71';

interface WorkflowNode {
	name: string;
	type: string;
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	[key: string]: unknown;
}
interface WorkflowFile {
	id: string;
	name: string;
	nodes: WorkflowNode[];
	connections: Record<
		string,
		Record<string, Array<Array<{ node: string; type: string; index: number }>>>
	>;
	[key: string]: unknown;
}

const webhookExample = readRepoJson('examples/call-ended-webhook.json') as WorkflowFile;
const csvExample = readRepoJson('examples/bulk-csv.json') as WorkflowFile;
const agentExample = readRepoJson('examples/ai-agent-disposition.json') as WorkflowFile;
const mcpExample = readRepoJson('examples/mcp-server.json') as WorkflowFile;
const outputSchema = readRepoJson('nodes/UContactDisposition/__schema__/v1.0.0.json') as unknown;

const nodeNamed = (workflow: WorkflowFile, name: string) => {
	const found = workflow.nodes.find((node) => node.name === name);
	if (!found) throw new Error(`${workflow.id} has no node "${name}"`);
	return found;
};

/** The credential the examples reference, so the shipped files import unchanged. */
function credentialRef(
	workflow: WorkflowFile,
	nodeName: string,
	type: string,
): { id: string; name: string } {
	const ref = nodeNamed(workflow, nodeName).credentials?.[type];
	if (!ref) throw new Error(`${workflow.id}: "${nodeName}" has no ${type} credential`);
	return ref;
}

const CSV_ROWS = 40;
const REJECTED_ROW = 7;
const SCHEDULED_ROW = 12;
const csvGuid = (index: number) => `csv-${String(index).padStart(4, '0')}`;
function finishedCallsCsv(): string {
	const lines = ['campaign,agent,callerid,guid,l1,l2,comment,schedule,camptoreschedule'];
	for (let index = 0; index < CSV_ROWS; index++) {
		const campaign = index === REJECTED_ROW ? 'Campaña inexistente->' : 'Ventas->';
		const scheduled = index === SCHEDULED_ROW;
		lines.push(
			[
				campaign,
				`agente${index % 4}`,
				String(59899200000 + index),
				csvGuid(index),
				scheduled ? 'Volver a llamar' : index % 3 === 0 ? 'Venta' : 'No interesado',
				index % 3 === 0 && !scheduled ? 'Contado' : '',
				scheduled ? '"Llamar por la tarde, después de las 15 h"' : '',
				scheduled ? '2026-12-01 15:30:00' : '',
				scheduled ? 'Ventas->' : '',
			].join(','),
		);
	}
	return `${lines.join('\n')}\n`;
}

const successes = (items: RunItem[]) => items.map((item) => item.json.success);

// The examples run on n8n 2.x only (activation uses its `publish:workflow` command); cli.e2e.ts covers 1.x.
const describeOnRuntime = selectedRuntimes().includes(RUNTIME) ? describe : describe.skip;

describeOnRuntime(`${RUNTIME}: the example workflows, as users import them`, () => {
	let sim: Simulator;
	let services: ExampleServices;
	let n8n: PreparedN8n;
	let filesDir: string;

	// One `n8n start` serves every activated example (webhook and MCP server): it costs ~20 s.
	let started: Promise<N8nServer> | undefined;
	function activeServer(): Promise<N8nServer> {
		started ??= (async () => {
			for (const example of [webhookExample, mcpExample]) {
				assertExit0(
					await timed(RUNTIME, `publish:workflow (${example.id})`, () =>
						n8n.run(['publish:workflow', '--id', example.id]),
					),
					`n8n publish:workflow --id ${example.id}`,
				);
			}
			return await timed(RUNTIME, 'n8n start (ready)', () => startN8n(n8n.rt, n8n.userFolder));
		})();
		return started;
	}

	async function execute(workflowId: string, resultNode: string, stage: string) {
		const result = await timed(RUNTIME, `execute: ${stage}`, () =>
			n8n.run(['execute', '--id', workflowId, '--rawOutput']),
		);
		assertExit0(result, `n8n execute --id ${workflowId}`);
		const run = parseRunOutput(result.stdout) as PrintedRun;
		expect(run).not.toBeNull();
		expect(run.data.resultData.error).toBeUndefined();
		const items = nodeOutput(run, resultNode) as RunItem[];
		expect(items).toBeDefined();
		return { run, items, output: result.stdout + result.stderr };
	}

	beforeAll(async () => {
		const tarball = await timed(RUNTIME, 'build + npm pack', () => packPackage());
		sim = await startSimulator({ campaigns: ['Ventas->'] });
		services = await startExampleServices();
		n8n = await prepareN8n(RUNTIME, { tarball });
		filesDir = tempDir('ucontact-e2e-examples-');

		const ucontact = credentialRef(csvExample, NODE, 'uContactApi');
		expect(credentialRef(webhookExample, NODE, 'uContactApi')).toEqual(ucontact);
		expect(credentialRef(agentExample, NODE, 'uContactApi')).toEqual(ucontact);
		expect(credentialRef(mcpExample, NODE, 'uContactApi')).toEqual(ucontact);
		const openAi = credentialRef(agentExample, 'OpenAI Chat Model', 'openAiApi');
		const mcpAuth = credentialRef(mcpExample, MCP_TRIGGER, 'httpBearerAuth');
		const credentials = writeJson(filesDir, 'credentials.json', [
			{
				...ucontact,
				type: 'uContactApi',
				data: { server: 'custom', baseUrl: sim.url, authentication: 'token', token: sim.token },
			},
			{
				...openAi,
				type: 'openAiApi',
				data: { apiKey: FAKE_OPENAI_KEY, url: `${services.url}/v1` },
			},
			{ ...mcpAuth, type: 'httpBearerAuth', data: { token: MCP_CLIENT_PASS } },
		]);
		assertExit0(
			await timed(RUNTIME, 'import:credentials (3)', () =>
				n8n.run(['import:credentials', '--input', credentials]),
			),
			'n8n import:credentials',
		);

		// The one change to a shipped workflow: the CSV comes from the local server.
		services.setFile('finished-calls.csv', finishedCallsCsv());
		const csvWorkflow = JSON.parse(JSON.stringify(csvExample)) as WorkflowFile;
		nodeNamed(csvWorkflow, 'Download CSV').parameters.url =
			`${services.url}/files/finished-calls.csv`;

		const workflows = `${filesDir}/workflows`;
		writeJson(workflows, 'webhook.json', webhookExample);
		writeJson(workflows, 'csv.json', csvWorkflow);
		writeJson(workflows, 'agent.json', agentExample);
		writeJson(workflows, 'mcp.json', mcpExample);
		const imported = assertExit0(
			await timed(RUNTIME, 'import:workflow --separate (4)', () =>
				n8n.run(['import:workflow', '--separate', '--input', workflows]),
			),
			'n8n import:workflow',
		);
		expect(imported.stdout + imported.stderr).toMatch(/Successfully imported 4 workflows/);
	});

	afterAll(async () => {
		await (await started?.catch(() => undefined))?.stop();
		await sim?.close();
		await services?.close();
		removeDir(filesDir);
		removeDir(n8n?.userFolder);
		printTimings('Example workflows: time per stage');
	});

	beforeEach(() => {
		sim.reset();
		services.reset();
	});

	describe('examples/bulk-csv.json: a CSV of finished calls, Map Automatically, 10 at a time', () => {
		it(`records all ${CSV_ROWS} rows, one output item per row in order; the refused row becomes an error item`, async () => {
			const { items } = await execute(
				csvExample.id,
				'uContact Disposition',
				`CSV, ${CSV_ROWS} rows`,
			);
			expect(items).toHaveLength(CSV_ROWS);
			expect(successes(items)).toEqual(
				Array.from({ length: CSV_ROWS }, (_, index) => index !== REJECTED_ROW),
			);
			expect(items.map((item) => (item.json.disposition as { guid: string }).guid)).toEqual(
				Array.from({ length: CSV_ROWS }, (_, index) => csvGuid(index)),
			);
			expect(items[REJECTED_ROW].json.errorKind).toBe('rejected');
			expect(items[SCHEDULED_ROW].json).toMatchObject({
				success: true,
				response: 'OK',
				disposition: {
					l1: 'Volver a llamar',
					comment: 'Llamar por la tarde, después de las 15 h',
					schedule: '2026-12-01 15:30:00',
					camptoreschedule: 'Ventas->',
				},
			});
			const calls = sim.requests.filter((request) => request.endpoint === 'DispositionCall');
			expect(calls).toHaveLength(CSV_ROWS);
			expect(calls.every((request) => request.problems.length === 0)).toBe(true);
			expect(sim.dispositions).toHaveLength(CSV_ROWS - 1);
			// Requests start in row order, at most 10 in flight: each arrives within that window.
			const late = calls
				.map((request, position) => [position, Number(request.fields.guid.slice(4))])
				.filter(([position, index]) => Math.abs(position - index) >= 10);
			expect(late).toEqual([]);
			expect(calls[3].fields).toMatchObject({
				campaign: 'Ventas->',
				agent: 'agente3',
				l1: 'Venta',
				l2: 'Contado',
			});
		});
	});

	describe('examples/ai-agent-disposition.json: an AI Agent with the node as a tool', () => {
		let items: RunItem[];
		let output: string;
		// Copies: the beforeEach above clears the simulator and the fake model before each test.
		let chat: ChatRequest[];
		let recorded: Recorded[];
		beforeAll(async () => {
			sim.reset();
			services.reset();
			({ items, output } = await execute(agentExample.id, 'AI Agent', 'AI Agent + tool'));
			chat = [...services.chatRequests];
			recorded = [...sim.dispositions];
		});

		it('offers the model the uContact tool with the fields the example fills with $fromAI', () => {
			expect(chat.length).toBeGreaterThanOrEqual(2);
			const first = chat[0];
			expect(first.authorization).toBe(`Bearer ${FAKE_OPENAI_KEY}`);
			expect(first.body.model).toBe('gpt-4o-mini');
			const tools = first.body.tools ?? [];
			expect(tools).toHaveLength(1);
			expect(tools[0].function.name).toMatch(/uContact/i);
			expect(Object.keys(tools[0].function.parameters?.properties ?? {}).sort()).toEqual(
				['agent', 'callerid', 'campaign', 'comment', 'guid', 'l1', 'l2'].sort(),
			);
			expect(first.answer.kind).toBe('tool');
		});

		it('records the disposition the model chose from the summary, once', () => {
			expect(recorded).toHaveLength(1);
			expect(recorded[0].fields).toMatchObject({
				campaign: 'Ventas->',
				agent: 'jperez',
				callerid: '59899123456',
				guid: '5d7c0b4e-2f1a-4c8e-9a3b-7e6f1d2c3b4a',
				l1: 'Venta',
				l2: 'Contado',
				comment: 'El cliente aceptó la oferta',
			});
			expect(recorded[0].problems).toEqual([]);
		});

		it("hands the node's answer back to the model, and the agent ends with the model's final text", () => {
			const last = chat[chat.length - 1];
			const toolMessages = (last.body.messages ?? []).filter((message) => message.role === 'tool');
			expect(toolMessages.length).toBe(1);
			expect(JSON.stringify(toolMessages[0].content)).toContain('OK');
			expect(last.answer.kind).toBe('text');
			expect(items).toHaveLength(1);
			expect(String(items[0].json.output)).toMatch(/^Listo: la llamada quedó tipificada/);
			expect(output).not.toContain(sim.token);
		});
	});

	describe('examples/call-ended-webhook.json: uContact calls an n8n webhook at call end', () => {
		let server: N8nServer | undefined;
		beforeAll(async () => {
			server = await activeServer();
		});

		it('answers the POST with the recorded disposition', async () => {
			const call = {
				Guid: '0b8f6a2c-1d3e-4f5a-8b9c-0d1e2f3a4b5c',
				campaign: 'Ventas->',
				agent: 'mgomez',
				callerid: '59899555123',
				disposition: 'Venta',
				subdisposition: 'Crédito',
				comment: 'Plan Hogar, 12 cuotas',
			};
			const answer = await timed(RUNTIME, 'webhook POST (until registered)', () =>
				postWhenRegistered(`${server?.url}/webhook/ucontact-call-ended`, call),
			);
			expect([answer.status, answer.body]).toEqual([
				200,
				{
					success: true,
					dryRun: false,
					alreadyRecorded: false,
					response: 'OK',
					request: null,
					scheduleTimezone: null,
					hint: null,
					disposition: {
						campaign: 'Ventas->',
						agent: 'mgomez',
						callerid: '59899555123',
						guid: call.Guid,
						l1: 'Venta',
						l2: 'Crédito',
						l3: '',
						d1: '',
						d2: '',
						comment: 'Plan Hogar, 12 cuotas',
						schedule: '',
						camptoreschedule: '',
						tag: '',
					},
				},
			]);
			expect(sim.dispositions).toHaveLength(1);
			expect(sim.dispositions[0].fields).toMatchObject({
				guid: call.Guid,
				l1: 'Venta',
				l2: 'Crédito',
			});
		});

		it('answers a refused disposition with the error, so uContact can log it', async () => {
			const answer = await postWhenRegistered(`${server?.url}/webhook/ucontact-call-ended`, {
				Guid: '1c9a7b3d-2e4f-4a6b-9c0d-1e2f3a4b5c6d',
				campaign: 'Campaña inexistente->',
				agent: 'mgomez',
				callerid: '59899555124',
				disposition: 'Venta',
			});
			expect(answer.status).toBe(200);
			expect(answer.body).toMatchObject({
				success: false,
				error: expect.stringMatching(/\(item 1\)$/),
				errorKind: 'rejected',
			});
		});

		it("serves the node's output schema, which the editor shows before the first run", async () => {
			const response = await fetch(
				`${server?.url}/schemas/n8n-nodes-ucontact.uContactDisposition/1.0.0.json`,
			);
			expect(response.status).toBe(200);
			expect(await response.json()).toEqual(outputSchema);
		});
	});

	describe('examples/mcp-server.json: any MCP client uses the node as a tool', () => {
		const TOOL = 'uContact_Disposition';
		const REQUIRED = ['campaign', 'agent', 'callerid', 'guid', 'l1'];
		const OPTIONAL = ['l2', 'l3', 'comment', 'schedule', 'camptoreschedule'];
		const call = {
			campaign: 'Ventas->',
			agent: 'mgomez',
			callerid: '59899555777',
			guid: '2d4f6a8c-3e5b-4c7d-9e1f-3a5b7c9d1e2f',
			l1: 'Volver a llamar',
			comment: 'Pidió que lo llamen el lunes de tarde',
			schedule: '2026-12-07 16:00:00',
			camptoreschedule: 'Ventas->',
		};
		let server: N8nServer;
		let endpoint: string;
		let mcp: McpSession | undefined;
		const dispositionCalls = () =>
			sim.requests.filter((request) => request.endpoint === 'DispositionCall');
		const expectNoSecrets = (text: string) => {
			expect(text).not.toContain(sim.token);
			expect(text).not.toContain(MCP_CLIENT_PASS);
		};

		beforeAll(async () => {
			server = await activeServer();
			const path = nodeNamed(mcpExample, MCP_TRIGGER).parameters.path as string;
			endpoint = `${server.url}/mcp/${path}`;
			mcp = await timed(RUNTIME, 'MCP connect (until registered)', () =>
				connectMcp(endpoint, { Authorization: `Bearer ${MCP_CLIENT_PASS}` }),
			);
		});
		afterAll(async () => {
			await mcp?.close();
		});

		it('turns away a client without the bearer token, or with a wrong one', async () => {
			expect(await initializeStatus(endpoint, {})).toBe(403);
			expect(await initializeStatus(endpoint, { Authorization: 'Bearer not-the-token' })).toBe(403);
		});

		it('lists one tool: its name, a description an agent can act on, and the fields it takes', async () => {
			const tools = await mcp!.listTools();
			expect(tools.map((tool) => tool.name)).toEqual([TOOL]);
			const [tool] = tools;
			expect(tool.description).toMatch(/disposition/i);
			expect(tool.description).toMatch(/once per call/i);
			const properties = tool.inputSchema.properties ?? {};
			expect(Object.keys(properties).sort()).toEqual([...REQUIRED, ...OPTIONAL].sort());
			expect([...(tool.inputSchema.required ?? [])].sort()).toEqual([...REQUIRED].sort());
			for (const [name, property] of Object.entries(properties)) {
				expect([name, property.type]).toEqual([name, 'string']);
				expect([name, (property.description ?? '').length > 10]).toEqual([name, true]);
			}
			expect(properties.campaign.description).toMatch(/Ventas->/);
			expect(properties.l1.description).toMatch(/level 1/i);
			expect(properties.schedule.description).toMatch(/YYYY-MM-DD HH:mm:ss/);
		});

		it('records exactly one disposition with exactly the values of the call', async () => {
			const result = await mcp!.callTool(TOOL, call);
			const text = resultText(result);
			expect(result.isError).toBeFalsy();
			expectNoSecrets(text);
			expect(text).toContain('"success":true');
			expect(text).toContain('"response":"OK"');
			expect(sim.dispositions).toHaveLength(1);
			expect(sim.dispositions[0].problems).toEqual([]);
			expect(sim.dispositions[0].fields).toEqual({
				campaign: call.campaign,
				agent: call.agent,
				callerid: call.callerid,
				guid: call.guid,
				l1: call.l1,
				l2: '',
				l3: '',
				d1: '',
				d2: '',
				comment: call.comment,
				schedule: call.schedule,
				camptoreschedule: call.camptoreschedule,
				tag: '',
			});
			expect(dispositionCalls()).toHaveLength(1);
		});

		it('a refused disposition ("0") comes back as a tool error the agent can read', async () => {
			const result = await mcp!.callTool(TOOL, { ...call, campaign: 'Campaña inexistente->' });
			const text = resultText(result);
			expect(result.isError).toBe(true);
			expect(text).toMatch(/rejected.*"0"/);
			expectNoSecrets(text);
			expect(dispositionCalls()).toHaveLength(1);
			expect(sim.dispositions).toHaveLength(0);
		});

		it('a required field left out is a tool error naming it; nothing reaches uContact', async () => {
			const withoutL1 = Object.fromEntries(Object.entries(call).filter(([key]) => key !== 'l1'));
			const result = await mcp!.callTool(TOOL, withoutL1);
			const text = resultText(result);
			expect(result.isError).toBe(true);
			expect(text).toMatch(/l1/);
			expectNoSecrets(text);
			expect(dispositionCalls()).toHaveLength(0);
		});

		it('a required field sent empty is a tool error naming it; nothing reaches uContact', async () => {
			const result = await mcp!.callTool(TOOL, { ...call, l1: '' });
			const text = resultText(result);
			expect(result.isError).toBe(true);
			expect(text).toMatch(/Disposition Level 1|l1/);
			expectNoSecrets(text);
			expect(dispositionCalls()).toHaveLength(0);
		});

		it("n8n's log names the failed tool calls but holds neither token", () => {
			const log = server.logTail(100000);
			expect(log).toMatch(/Error while executing Tool uContact_Disposition/);
			expectNoSecrets(log);
		});
	});
});
