/**
 * The node as an AI Agent's tool in a real n8n (2.41.1 and 1.123.81) with the packed package:
 * one `n8n start` per runtime (debug log to a file), workflows created and run through the REST
 * API as the editor runs them, the AI Agent with the OpenAI Chat Model pointed at a local SCRIPTED
 * model (support/scriptedModel.ts: each test says exactly which tool calls the model makes), and
 * `n8n-nodes-ucontact.uContactDispositionTool` on the agent's ai_tool input, against the uContact
 * simulator.
 *
 * Both AI Agent versions that run tools differently, on both runtimes (1.123.81 has v3 too):
 *  - v3 ("engine"): the agent hands the model's tool calls to the engine as a request;
 *    WorkflowExecute runs the tool node as a node of the execution, one run per call (its Retry On
 *    Fail retries in that run), then runs the agent again with the results. n8n 1.x puts the
 *    agent's item merged with the call's arguments and its toolCallId on the ai_tool input, 2.x
 *    the arguments alone.
 *  - v2.2 ("toolInvocation"): LangChain's agent executor calls the tool n8n-core builds
 *    (`createNodeAsTool`), which runs the node through `makeHandleToolInvocation`: its own Retry On
 *    Fail loop, each try a run of its own, the arguments on the ai_tool input.
 * Contexts: the model calls the tool once; twice, one call after the other (two model steps);
 * twice in parallel (one answer with two tool_calls). In each cell, on the simulator's wire:
 *  1. one disposition per tool call, with the `$fromAI` values as n8n hands them to the node
 *     (n8n alters none of them; the node trims leading and trailing spaces, as documented);
 *  2. a field dragged from the agent's item (`$json.call.agent`, which the node's native path would
 *     read itself) is what n8n's evaluator gives for the same path (`(0, $json.call.agent)`);
 *  3. Retry On Fail (2 tries, Timeout 1000 ms), uContact recording each call and answering after
 *     2.5 s: one DispositionCall per tool call, two calls with the same arguments each sent, and
 *     the error names the earlier try;
 *  4. a refused disposition ("0") is an error the agent gets back;
 *  5. the token is nowhere: the agent's output, any request body sent to the model (the tool
 *     results go there), the execution data, n8n's debug log.
 * 3 and 4 run with the tool's On Error at its default (Stop Workflow, with the Token credential) and
 * at Continue (with a User and Password credential, whose password and session tokens 5 checks too):
 * what reaches the model then differs by path and runtime, and is n8n's doing (see `delivery`).
 * Each cell is one execution of a workflow of its own; the model's requests, the simulator's
 * requests and the execution are what the assertions read. UCONTACT_E2E_DUMP=<dir> writes them
 * to files; UCONTACT_E2E_TARBALL=<.tgz> runs another build of the package.
 */
import * as fs from 'node:fs';

import { secretForms } from '../../nodes/UContactApi/redaction';
import { startSimulator, type Recorded, type Simulator } from '../support/simulator/simulator';
import { selectedRuntimes } from './support/cli';
import { restClient, waitForExecution, type Execution, type RestClient } from './support/rest';
import { makeUserFolder, packPackage, runtime, type Runtime } from './support/runtime';
import {
	SCRIPTED_MODEL,
	SCRIPTED_MODEL_KEY,
	scenarioTag,
	startScriptedModel,
	toolMessages,
	type ModelRequest,
	type Script,
	type ScriptedModelServer,
} from './support/scriptedModel';
import { startN8n, type N8nServer } from './support/server';
import { textOf } from './support/openAiWire';

const keep = (): boolean => process.env.UCONTACT_KEEP_E2E === '1';

const TRIGGER = 'Manual Trigger';
const INPUT = 'Call';
const AGENT = 'AI Agent';
const MODEL = 'OpenAI Chat Model';
const TOOL = 'uContact Disposition';
const CAMPAIGN = 'Ventas->';
const REFUSED_CAMPAIGN = 'Campaña inexistente->';
/** The User and Password credential's account (the On Error: Continue runs use it). */
const LOGIN_USER = 'agentbot';
const LOGIN_PASSWORD = 'Contraseña-e2e-7f3a9c';

/** The agent's input item: the field the tool drags in (`$json.call.agent`) has spaces, quotes, an emoji. */
const CALL = { agent: '  Núñez "Majo" 🎧  ', queue: 7 };

/**
 * What the model fills in with `$fromAI`, stressing it: accents, both quotes and a backslash,
 * emoji, a numeric-looking string with a leading zero, leading and trailing spaces.
 */
function modelArgs(guid: string, campaign = CAMPAIGN): Record<string, string> {
	return {
		campaign,
		callerid: '007',
		guid: `  ${guid}  `,
		l1: 'Crédito',
		l2: `Dijo "sí" y 'ok' \\ listo`,
		l3: '🎧 Venta 😀',
		comment: '  Cliente contento — 100% ✅  ',
	};
}
const FROM_AI_KEYS = Object.keys(modelArgs('')).sort();

const fromAI = (key: string, description: string) =>
	`={{ $fromAI('${key}', \`${description}\`, 'string') }}`;

interface Agent {
	version: number;
	/** How this version runs the tool. */
	path: 'engine' | 'toolInvocation';
}
const AGENTS: Agent[] = [
	{ version: 3, path: 'engine' },
	{ version: 2.2, path: 'toolInvocation' },
];

interface Context {
	name: string;
	calls: number;
	/** The script: the model's steps, given one set of arguments per call. */
	script(args: Array<Record<string, string>>): Script;
}
const CONTEXTS: Context[] = [
	{ name: 'once', calls: 1, script: ([a]) => [[{ args: a }]] },
	{
		name: 'twice, one call after the other (two steps)',
		calls: 2,
		script: ([a, b]) => [[{ args: a }], [{ args: b }]],
	},
	{
		name: 'twice in parallel (one answer, two tool_calls)',
		calls: 2,
		script: ([a, b]) => [[{ args: a }, { args: b }]],
	},
];

interface OnError {
	name: string;
	continues: boolean;
	/** The credential the tool uses (a second dimension, at no extra run, for the secrets). */
	credential: 'token' | 'login';
}
const ON_ERRORS: OnError[] = [
	{ name: 'On Error: Stop Workflow, Token credential', continues: false, credential: 'token' },
	{
		name: 'On Error: Continue, User and Password credential',
		continues: true,
		credential: 'login',
	},
];

/**
 * What becomes of the tool's error (the node throws, unless On Error continues, when it returns
 * the failure as its output item), as n8n does it:
 *  - 'text': the model reads the error in the tool result and the agent goes on;
 *  - 'empty': the model gets an EMPTY tool result, and the agent goes on: LangChain's
 *    AgentExecutor (@langchain/classic 1.0, which AI Agent v2.2 uses on both runtimes) turns a
 *    tool's error into "" when no handleToolRuntimeErrors is set, and n8n sets none; the error is
 *    only in n8n's execution data;
 *  - 'stops': the execution stops at the tool node with its error (n8n 1.x's engine does not hand
 *    a tool's error back to an AI Agent v3; 2.x does).
 */
function delivery(agent: Agent, onError: OnError, runtimeName: string): 'text' | 'empty' | 'stops' {
	if (onError.continues) return 'text';
	if (agent.path === 'toolInvocation') return 'empty';
	return runtimeName === 'n8n-1' ? 'stops' : 'text';
}

/**
 * The first try's failure, as the node words it, on both runtimes (n8n 1.x keeps the HTTP
 * client's code only as NodeApiError's `httpCode`, which the node reads too).
 */
const TIMED_OUT =
	/uContact did not answer within 1000 ms; the disposition may or may not have been recorded, so check in uContact before sending it again/;
const EARLIER_TRY =
	'Not sent again by Retry On Fail, because an earlier try may have recorded it: ';
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const REFUSED = /uContact rejected the disposition \(it answered "0"\)/;

interface ToolRun {
	executionStatus?: string;
	metadata?: { preserveSourceOverwrite?: boolean; subRun?: unknown };
	inputOverride?: { ai_tool?: Array<Array<{ json: Record<string, unknown> }>> };
	error?: { message?: string };
	data?: Record<string, Array<Array<{ json: Record<string, unknown> }>>>;
}

interface RunResult {
	execution: Execution;
	/** The whole execution as the REST API gave it, as text. */
	executionText: string;
	/** The agent's output items, as text ('null' when the agent did not finish). */
	output: string;
	/** What n8n sent the model, in order. */
	requests: ModelRequest[];
	/** DispositionCall requests, in arrival order. */
	calls: Recorded[];
	/** The tool results n8n handed the model, in the conversation's order. */
	toolResults: string[];
	/** The tool node's runs in n8n's execution data. */
	toolRuns: ToolRun[];
}

/** The error a tool result (n8n's JSON of the tool's output items) carries, or ''. */
function errorIn(text: string): string {
	try {
		const parsed = JSON.parse(text) as Array<{ error?: unknown }>;
		return typeof parsed[0]?.error === 'string' ? parsed[0].error : '';
	} catch {
		return '';
	}
}
/**
 * The error of a tool run: thrown, or its first output item's (On Error: Continue), which the
 * tool invocation records as `{ response: [items] }`.
 */
function runError(toolRun: ToolRun): string {
	if (toolRun.error?.message) return toolRun.error.message;
	const json = (toolRun.data?.ai_tool ?? toolRun.data?.main)?.[0]?.[0]?.json ?? {};
	const item = Array.isArray(json.response) ? (json.response[0] as Record<string, unknown>) : json;
	return typeof item?.error === 'string' ? item.error : '';
}
/** A field of a DispositionCall, read from the body as it arrived (uContact may not have answered yet). */
const sentField = (call: Recorded | undefined, key: string) =>
	new URLSearchParams(call?.rawBody ?? '').get(key);
const guidOf = (call: Recorded) => sentField(call, 'guid');
const toolInput = (toolRun: ToolRun) => toolRun.inputOverride?.ai_tool?.[0]?.[0]?.json ?? {};
const pick = (json: Record<string, unknown>, keys: string[]) =>
	Object.fromEntries(keys.map((key) => [key, json[key]]));
const byGuid = <T extends Record<string, unknown>>(list: T[]): T[] =>
	[...list].sort((a, b) => String(a.guid).localeCompare(String(b.guid)));

describe.each(selectedRuntimes())('%s: uContact Disposition as an AI Agent tool', (runtimeName) => {
	let sim: Simulator;
	let model: ScriptedModelServer;
	let rt: Runtime;
	let userFolder: string;
	let server: N8nServer | undefined;
	let api: RestClient;
	const ucontactCredentials = {} as Record<OnError['credential'], { id: string; name: string }>;
	let openAiCredential: { id: string; name: string };
	let scenarios = 0;
	const log: string[] = [];
	let suiteStarted = 0;

	beforeAll(
		async () => {
			suiteStarted = Date.now();
			sim = await startSimulator({
				campaigns: [CAMPAIGN],
				users: { [LOGIN_USER]: LOGIN_PASSWORD },
			});
			model = await startScriptedModel();
			rt = runtime(runtimeName);
			// UCONTACT_E2E_TARBALL: run another build of the package (to see a test fail without a fix).
			userFolder = makeUserFolder(process.env.UCONTACT_E2E_TARBALL || packPackage());
			server = await startN8n(rt, userFolder, { env: { N8N_LOG_LEVEL: 'debug' } });
			api = await restClient(server.url, server.owner);
			ucontactCredentials.token = await api.post('/rest/credentials', {
				name: 'uContact simulator (token)',
				type: 'uContactApi',
				data: { server: 'custom', baseUrl: sim.url, authentication: 'token', token: sim.token },
			});
			ucontactCredentials.login = await api.post('/rest/credentials', {
				name: 'uContact simulator (user and password)',
				type: 'uContactApi',
				data: {
					server: 'custom',
					baseUrl: sim.url,
					authentication: 'userPassword',
					user: LOGIN_USER,
					password: LOGIN_PASSWORD,
				},
			});
			openAiCredential = await api.post('/rest/credentials', {
				name: 'Scripted model',
				type: 'openAiApi',
				data: { apiKey: SCRIPTED_MODEL_KEY, url: `${model.url}/v1` },
			});
			log.push(
				`n8n start: ready after ${(server.readyMs / 1000).toFixed(1)} s; set-up ${((Date.now() - suiteStarted) / 1000).toFixed(1)} s`,
			);
		},
		5 * 60 * 1000,
	);

	afterAll(async () => {
		await server?.stop();
		await sim?.close();
		await model?.close();
		if (userFolder && !keep())
			fs.rmSync(userFolder, { recursive: true, force: true, maxRetries: 3 });
		log.push(`whole suite: ${((Date.now() - suiteStarted) / 1000).toFixed(1)} s`);
		process.stderr.write(`aiAgentTool e2e (${runtimeName}):\n  ${log.join('\n  ')}\n`);
	}, 60 * 1000);

	beforeEach(() => sim.reset());

	interface ToolSettings {
		options?: Record<string, unknown>;
		settings?: Record<string, unknown>;
		credential?: OnError['credential'];
	}

	function workflow(name: string, agent: Agent, prompt: string, tool: ToolSettings) {
		return {
			name,
			active: false,
			settings: { executionOrder: 'v1' },
			nodes: [
				{
					id: 'a1000000-0000-4000-8000-000000000001',
					name: TRIGGER,
					type: 'n8n-nodes-base.manualTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: {},
				},
				{
					id: 'a1000000-0000-4000-8000-000000000002',
					name: INPUT,
					type: 'n8n-nodes-base.set',
					typeVersion: 3.4,
					position: [220, 0],
					parameters: {
						mode: 'raw',
						jsonOutput: JSON.stringify({ prompt, call: CALL }),
						options: {},
					},
				},
				{
					id: 'a1000000-0000-4000-8000-000000000003',
					name: AGENT,
					type: '@n8n/n8n-nodes-langchain.agent',
					typeVersion: agent.version,
					position: [440, 0],
					parameters: {
						promptType: 'define',
						text: '={{ $json.prompt }}',
						options: {
							systemMessage: 'Record the disposition of the call with the uContact tool, as told.',
						},
					},
				},
				{
					id: 'a1000000-0000-4000-8000-000000000004',
					name: MODEL,
					type: '@n8n/n8n-nodes-langchain.lmChatOpenAi',
					typeVersion: 1.2,
					position: [360, 220],
					parameters: {
						model: {
							__rl: true,
							value: SCRIPTED_MODEL,
							mode: 'list',
							cachedResultName: SCRIPTED_MODEL,
						},
						options: {},
					},
					credentials: { openAiApi: openAiCredential },
				},
				{
					id: 'a1000000-0000-4000-8000-000000000005',
					name: TOOL,
					type: 'n8n-nodes-ucontact.uContactDispositionTool',
					typeVersion: 1,
					position: [580, 220],
					parameters: {
						toolDescription: 'Records the disposition of a finished uContact call.',
						campaign: fromAI('campaign', 'Campaign name, e.g. Ventas->'),
						// Dragged from the agent's item: the node's native path reads such a `$json` path itself.
						agent: '={{ $json.call.agent }}',
						callerid: fromAI('callerid', "The contact's phone number"),
						guid: fromAI('guid', 'The call GUID'),
						l1: fromAI('l1', 'Disposition level 1'),
						l2: fromAI('l2', 'Disposition level 2'),
						l3: fromAI('l3', 'Disposition level 3'),
						additionalFields: {
							comment: fromAI('comment', 'A short comment'),
							// The same path, written so that only n8n's evaluator can read it.
							d1: '={{ (0, $json.call.agent) }}',
						},
						options: tool.options ?? {},
					},
					credentials: { uContactApi: ucontactCredentials[tool.credential ?? 'token'] },
					...tool.settings,
				},
			],
			connections: {
				[TRIGGER]: { main: [[{ node: INPUT, type: 'main', index: 0 }]] },
				[INPUT]: { main: [[{ node: AGENT, type: 'main', index: 0 }]] },
				[MODEL]: { ai_languageModel: [[{ node: AGENT, type: 'ai_languageModel', index: 0 }]] },
				[TOOL]: { ai_tool: [[{ node: AGENT, type: 'ai_tool', index: 0 }]] },
			},
		};
	}

	/** Creates the workflow, scripts the model, runs it as the editor does, and gathers what the tests read. */
	async function run(
		agent: Agent,
		context: Context,
		label: string,
		args: Array<Record<string, string>>,
		tool: ToolSettings = {},
	): Promise<RunResult> {
		const scenario = `s${++scenarios}`;
		model.script(scenario, context.script(args));
		const prompt = `${scenarioTag(scenario)} Record the disposition of this call.`;
		// n8n takes names of up to 128 characters.
		const body = workflow(
			`uContact agent tool e2e ${scenario}: v${agent.version}, ${context.name}, ${label}`.slice(
				0,
				128,
			),
			agent,
			prompt,
			tool,
		);
		const created = await api.post<{ id: string }>('/rest/workflows', body);
		const saved = await api.get<Record<string, unknown>>(`/rest/workflows/${created.id}`);
		const started = Date.now();
		const { executionId } = await api.post<{ executionId: string }>(
			`/rest/workflows/${created.id}/run`,
			{
				// n8n 1.x runs the workflow it is sent; 2.x reads the saved one.
				...(runtimeName === 'n8n-1' ? { workflowData: saved } : {}),
				triggerToStartFrom: { name: TRIGGER },
			},
		);
		const execution = await waitForExecution(api, rt, {
			workflowId: created.id,
			executionId,
			timeoutMs: 120000,
		});
		log.push(
			`${scenario} v${agent.version}, ${context.name}, ${label}: ${execution.status} after ${((Date.now() - started) / 1000).toFixed(1)} s`,
		);
		const requests = model.requestsOf(scenario);
		const calls = sim.requests.filter((request) => request.endpoint === 'DispositionCall');
		if (process.env.UCONTACT_E2E_DUMP) {
			// For a look at what n8n did: the execution, what the model was sent, the wire.
			fs.mkdirSync(process.env.UCONTACT_E2E_DUMP, { recursive: true });
			fs.writeFileSync(
				`${process.env.UCONTACT_E2E_DUMP}/${runtimeName}-${scenario}.json`,
				JSON.stringify({ execution, requests, calls }, null, 1),
			);
		}
		const last = requests[requests.length - 1];
		const agentRuns = execution.data.resultData.runData[AGENT] ?? [];
		const finished = agentRuns[agentRuns.length - 1]?.data?.main?.[0];
		return {
			execution,
			executionText: JSON.stringify(execution),
			output: JSON.stringify(finished?.map((item) => item.json) ?? null),
			requests,
			calls,
			toolResults: last ? toolMessages(last).map((message) => textOf(message.content)) : [],
			// Runs that ran: n8n 1.x leaves the engine's placeholder of a call that failed (or never ran) as it was.
			toolRuns: ((execution.data.resultData.runData[TOOL] ?? []) as unknown as ToolRun[]).filter(
				(toolRun) => toolRun.executionStatus !== undefined,
			),
		};
	}

	/**
	 * The secrets in every form they could take (raw, percent- and form-encoded, JSON, HTML, base64,
	 * user:password in base64): the token, the password, every session token uContact issued.
	 */
	const secrets = () => secretForms([sim.token, LOGIN_PASSWORD, ...sim.activeTokens()], LOGIN_USER);
	const leaked = (text: string) => secrets().filter((form) => text.includes(form)).length;

	/** 5. No secret in the agent's output, any request to the model, the execution data. */
	function expectNoSecret(result: RunResult): void {
		expect(leaked(result.output)).toBe(0);
		expect(leaked(result.executionText)).toBe(0);
		expect(result.requests.map((request) => leaked(request.raw))).toEqual(
			result.requests.map(() => 0),
		);
	}

	/** The tool node's runs are the path's: the engine's node runs, or the tool invocation's sub-runs. */
	function expectPath(agent: Agent, result: RunResult): void {
		for (const toolRun of result.toolRuns) {
			if (agent.path === 'engine') expect(toolRun.metadata?.preserveSourceOverwrite).toBe(true);
			else expect(toolRun.metadata?.subRun).toBeDefined();
		}
	}

	describe.each(AGENTS)('AI Agent v$version ($path)', (agent) => {
		it.each(CONTEXTS)(
			'the model calls the tool $name: one disposition per call, the $fromAI values and the dragged $json field as n8n gives them, no token anywhere',
			async (context) => {
				const args = Array.from({ length: context.calls }, (_, index) =>
					modelArgs(`guid-${runtimeName}-v${agent.version}-${index}`),
				);
				const result = await run(agent, context, 'values', args);
				expect(result.execution.status).toBe('success');
				expectNoSecret(result);
				expectPath(agent, result);
				// Every call was recorded: no tool run failed (its error, if one did), one DispositionCall each.
				expect(result.toolRuns.map(runError)).toEqual(args.map(() => ''));
				expect(result.calls.map(guidOf).sort()).toEqual(
					args.map((given) => given.guid.trim()).sort(),
				);

				// The model was offered the tool with the $fromAI keys; every call came back as a result.
				const tools = result.requests[0].body.tools ?? [];
				expect(tools.map((tool) => tool.function.name)).toEqual(['uContact_Disposition']);
				expect(
					Object.keys(
						(tools[0].function.parameters as { properties?: object }).properties ?? {},
					).sort(),
				).toEqual(FROM_AI_KEYS);
				expect(result.toolResults).toHaveLength(context.calls);
				for (const text of result.toolResults) expect(text).toContain('"success":true');
				expect(result.output).toContain('Tool result');

				// n8n's own record of each call's arguments: exactly what the model sent (n8n trims
				// nothing, "007" stays text, quotes, backslash, accents and emoji pass as they are).
				expect(result.toolRuns).toHaveLength(context.calls);
				const inputs = result.toolRuns.map(toolInput);
				expect(byGuid(inputs.map((input) => pick(input, FROM_AI_KEYS)))).toEqual(byGuid(args));
				if (agent.path === 'engine' && runtimeName === 'n8n-1') {
					// n8n 1.x's engine: the agent's item, the call's arguments and the call's id, merged.
					for (const input of inputs)
						expect(input).toMatchObject({
							call: CALL,
							toolCallId: expect.stringMatching(/^call_s\d+_\d_\d$/),
						});
				} else {
					for (const input of inputs) expect(Object.keys(input).sort()).toEqual(FROM_AI_KEYS);
				}

				// 1. Exactly one disposition per call, carrying n8n's values (trimmed by the node).
				expect(sim.dispositions).toHaveLength(context.calls);
				const sent = byGuid(result.calls.map((call) => call.fields));
				for (const [index, given] of byGuid(args).entries()) {
					expect(sent[index]).toEqual({
						campaign: given.campaign,
						// 2. The dragged field, as the node read it, is n8n's evaluator's value (Extra Data 1).
						agent: sent[index].d1,
						callerid: '007',
						guid: given.guid.trim(),
						l1: 'Crédito',
						l2: `Dijo "sí" y 'ok' \\ listo`,
						l3: '🎧 Venta 😀',
						d1: CALL.agent.trim(),
						d2: '',
						comment: given.comment.trim(),
						schedule: '',
						camptoreschedule: '',
						tag: '',
					});
				}
				for (const call of result.calls) expect(call.problems).toEqual([]);
			},
		);

		describe.each(ON_ERRORS)('$name', (onError) => {
			const settings = onError.continues ? { onError: 'continueRegularOutput' } : {};
			const credential = onError.credential;
			const outcome = delivery(agent, onError, runtimeName);

			it.each(CONTEXTS)(
				`the model calls the tool $name with Retry On Fail (2 tries, Timeout 1000 ms), uContact recording and answering after 2.5 s: 1 DispositionCall per call, the error names the earlier try (${outcome === 'text' ? 'in the tool result' : outcome === 'empty' ? "in n8n's execution data; the model gets an empty result" : 'the execution stops'})`,
				async (context) => {
					// Every call has the same arguments: each is a call of its own, and is sent.
					const same = modelArgs(`guid-retry-${runtimeName}-v${agent.version}`);
					sim.queue(
						...Array.from({ length: context.calls }, () => ({ kind: 'slow' as const, ms: 2500 })),
					);
					const result = await run(
						agent,
						context,
						`Retry On Fail, ${onError.name}`,
						Array.from({ length: context.calls }, () => same),
						{
							options: { timeout: 1000 },
							settings: { retryOnFail: true, maxTries: 2, waitBetweenTries: 100, ...settings },
							credential,
						},
					);
					expectNoSecret(result);
					expectPath(agent, result);
					// One DispositionCall per call made (uContact records each, 2.5 s later); a stopped
					// execution made only the call that stopped it.
					expect(result.calls.map(guidOf)).toEqual(
						Array.from({ length: outcome === 'stops' ? 1 : context.calls }, () => same.guid.trim()),
					);

					// A tool invocation retries only a throw: with On Error: Continue there is no second try.
					const retried = !(agent.path === 'toolInvocation' && onError.continues);
					const firstTry = new RegExp(`^${TIMED_OUT.source}`);
					const laterTry = new RegExp(`^${escapeRegExp(EARLIER_TRY)}${TIMED_OUT.source}`);
					const failure = retried ? laterTry : firstTry;
					if (outcome === 'stops') {
						expect(result.execution.status).toBe('error');
						expect(result.execution.data.resultData.error?.message).toMatch(failure);
						expect(result.output).toBe('null');
						return;
					}
					expect(result.execution.status).toBe('success');
					expect(result.toolResults).toHaveLength(context.calls);
					if (outcome === 'empty') {
						expect(result.toolResults).toEqual(Array.from({ length: context.calls }, () => ''));
						// Each try is a run of its own: the first timed out, the second names it.
						const errors = result.toolRuns.map((toolRun) => toolRun.error?.message ?? '');
						expect(errors).toHaveLength(2 * context.calls);
						expect(errors.filter((message) => firstTry.test(message))).toHaveLength(context.calls);
						expect(errors.filter((message) => laterTry.test(message))).toHaveLength(context.calls);
					} else {
						for (const text of result.toolResults) expect(errorIn(text)).toMatch(failure);
						expect(result.output).toContain(
							retried ? 'Not sent again by Retry On Fail' : 'may or may not have been recorded',
						);
					}
				},
			);

			it.each(CONTEXTS)(
				`the model calls the tool $name, the first call refused by uContact ("0"): ${outcome === 'text' ? 'the model reads the refusal and the agent finishes' : outcome === 'empty' ? "the model gets an empty result, the refusal is in n8n's execution data, the agent finishes" : 'the execution stops with the refusal'}`,
				async (context) => {
					const args = Array.from({ length: context.calls }, (_, index) =>
						modelArgs(
							`guid-refused-${runtimeName}-v${agent.version}-${index}`,
							index === 0 ? REFUSED_CAMPAIGN : CAMPAIGN,
						),
					);
					const result = await run(agent, context, `refused, ${onError.name}`, args, {
						settings,
						credential,
					});
					expectNoSecret(result);
					expectPath(agent, result);
					if (outcome === 'stops') {
						expect(result.execution.status).toBe('error');
						expect(result.execution.data.resultData.error?.message).toMatch(REFUSED);
						expect(result.output).toBe('null');
						// Nothing ran after the refused call (n8n 1.x's engine runs parallel calls last first).
						expect(sentField(result.calls.at(-1), 'campaign')).toBe(REFUSED_CAMPAIGN);
						expect(sim.dispositions).toHaveLength(result.calls.length - 1);
						return;
					}
					expect(result.execution.status).toBe('success');
					expect(result.calls.map(guidOf).sort()).toEqual(
						args.map((given) => given.guid.trim()).sort(),
					);
					expect(sim.dispositions.map((call) => call.fields.guid)).toEqual(
						args.slice(1).map((given) => given.guid.trim()),
					);
					expect(result.toolResults).toHaveLength(context.calls);
					// n8n's execution data shows the refusal, whatever the model got.
					expect(result.toolRuns.filter((toolRun) => REFUSED.test(runError(toolRun)))).toHaveLength(
						1,
					);
					if (outcome === 'empty') {
						expect(result.toolResults.filter((text) => text === '')).toHaveLength(1);
						expect(result.output).not.toContain('uContact rejected the disposition');
					} else {
						expect(result.toolResults.filter((text) => REFUSED.test(errorIn(text)))).toHaveLength(
							1,
						);
						expect(result.output).toContain('uContact rejected the disposition');
					}
					expect(result.toolResults.filter((text) => text.includes('"success":true'))).toHaveLength(
						context.calls - 1,
					);
				},
			);
		});
	});

	it("5. n8n's debug log holds no token, password or session token", () => {
		const text = fs.readFileSync(server!.logFile, 'utf8');
		// It is the debug log of these runs: the node's own debug lines are in it.
		expect(text).toContain('uContact Disposition: options of the run');
		// The User and Password credential did log in.
		expect(sim.activeTokens().length).toBeGreaterThan(1);
		expect(leaked(text)).toBe(0);
	});
});
