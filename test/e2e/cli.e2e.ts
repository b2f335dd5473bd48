/**
 * The packed package in a real n8n, driven through n8n's own CLI, on n8n 2.x (Node 24) and
 * 1.x (Node 20): installed the way Settings -> Community Nodes installs it, credentials and
 * workflows imported with `n8n import:*`, and run with `n8n execute --id` against the uContact
 * simulator, which runs in this test process.
 */
import {
	DISPOSITION_KEYS,
	startSimulator,
	type Recorded,
	type Simulator,
} from '../support/simulator/simulator';
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
import {
	DRAGGED,
	CONSTRUCTOR,
	NODES,
	PROTO,
	nativeExpressionWorkflow,
	nativeFieldsLogged,
	runFromDebugOutput,
} from './support/nativeExpressions';

const NODE = 'uContact Disposition';
const CODE_NODE = 'Finished calls';
const LOGIN_USER = 'api';
// A made-up password for the simulator; the test checks it never shows up in n8n's output.
const LOGIN_PASSWORD = ['e2e', 'pass', 'word'].join('-');

interface WorkflowNode {
	name: string;
	type: string;
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	onError?: string;
	[key: string]: unknown;
}
interface WorkflowFile {
	id: string;
	name: string;
	nodes: WorkflowNode[];
	[key: string]: unknown;
}

/** The example users import; its credential id is the one the demo and this test import. */
const example = readRepoJson('examples/finished-calls.json') as WorkflowFile;
/** The Schedule Time Zone option examples/finished-calls.json sets. */
const FIXTURE_SCHEDULE_ZONE = 'America/Montevideo';
const exampleDisposition = example.nodes.find((node) => node.name === NODE) as WorkflowNode;
const TOKEN_CREDENTIAL = exampleDisposition.credentials?.uContactApi as {
	id: string;
	name: string;
};
const LOGIN_CREDENTIAL = { id: 'uCtE2eLogin00001', name: 'uContact (e2e, user and password)' };

/** The example with another id, name, calls (Code node source) and credential. */
function variant(
	id: string,
	name: string,
	jsCode: string,
	credential: { id: string; name: string },
): WorkflowFile {
	const copy = JSON.parse(JSON.stringify(example)) as WorkflowFile;
	copy.id = id;
	copy.name = name;
	for (const node of copy.nodes) {
		if (node.name === CODE_NODE) node.parameters = { jsCode };
		if (node.name === NODE) node.credentials = { uContactApi: credential };
	}
	return copy;
}

/** The example's calls, two or five of them, with the user and password credential. */
function loginVariant(id: string, name: string, count: number, concurrency?: number): WorkflowFile {
	const workflow = variant(
		id,
		name,
		`return Array.from({ length: ${count} }, (_, i) => ({ json: {
			Campaign: 'Ventas->', Agent: 'jperez', Phone: String(59899000000 + i),
			Guid: 'login-' + String(i).padStart(4, '0'), Result: 'Venta', Detail: '',
		} }));`,
		LOGIN_CREDENTIAL,
	);
	if (concurrency !== undefined) {
		for (const node of workflow.nodes) {
			if (node.name === NODE)
				(node.parameters.options as Record<string, unknown>).concurrency = concurrency;
		}
	}
	return workflow;
}
const loginGuid = (index: number) => `login-${String(index).padStart(4, '0')}`;
// One request at a time: the 401 -> login -> retry sequence is exact.
const LOGIN_WORKFLOW = 'uCtE2eLoginFlow1';
const loginWorkflow = loginVariant(
	LOGIN_WORKFLOW,
	'e2e: user and password, one request at a time',
	2,
	1,
);
// The default concurrency (5): five requests in flight meet the expired token together.
const LOGIN_CONCURRENT_WORKFLOW = 'uCtE2eLoginFlow5';
const loginConcurrentWorkflow = loginVariant(
	LOGIN_CONCURRENT_WORKFLOW,
	'e2e: user and password, 5 in flight',
	5,
);

const BULK = 200;
const BULK_WORKFLOW = 'uCtE2eBulk200001';
const bulkGuid = (index: number) => `bulk-${String(index).padStart(4, '0')}`;
const bulkWorkflow = variant(
	BULK_WORKFLOW,
	`e2e: ${BULK} finished calls`,
	`return Array.from({ length: ${BULK} }, (_, i) => ({ json: {
		Campaign: 'Ventas->', Agent: 'agent' + (i % 7), Phone: String(59899100000 + i),
		Guid: 'bulk-' + String(i).padStart(4, '0'), Result: i % 3 === 0 ? 'Venta' : 'No interesado', Detail: '',
	} }));`,
	TOKEN_CREDENTIAL,
);
// A failing item must fail the run here: nothing should be hidden in an error item.
for (const node of bulkWorkflow.nodes) if (node.name === NODE) delete node.onError;

// Issue 9.4: OK, uContact "0", OK, empty Caller ID, with On Error "Continue (using error output)".
const ERROR_OUTPUT_CODE = `return [
	{ Campaign: 'Ventas->', Agent: 'jperez', Phone: '59899000001', Guid: 'route-0', Result: 'Venta', Detail: '' },
	{ Campaign: 'Unknown->', Agent: 'jperez', Phone: '59899000002', Guid: 'route-1', Result: 'Venta', Detail: '' },
	{ Campaign: 'Ventas->', Agent: 'jperez', Phone: '59899000003', Guid: 'route-2', Result: 'Venta', Detail: '' },
	{ Campaign: 'Ventas->', Agent: 'jperez', Phone: '', Guid: 'route-3', Result: 'Venta', Detail: '' },
].map((json) => ({ json }));`;
const ERROR_OUTPUT_WORKFLOW = 'uCtE2eErrorOut01';
const errorOutputWorkflow = variant(
	ERROR_OUTPUT_WORKFLOW,
	'e2e: error output',
	ERROR_OUTPUT_CODE,
	TOKEN_CREDENTIAL,
);
for (const node of errorOutputWorkflow.nodes) {
	if (node.name === NODE) {
		node.onError = 'continueErrorOutput';
		(node.parameters.options as Record<string, unknown>).concurrency = 1;
	}
}

// The same items through Loop Over Items (two per batch), the node feeding back into the loop.
const LOOP = 'Loop Over Items';
const LOOP_WORKFLOW = 'uCtE2eLoopItems1';
const loopWorkflow = JSON.parse(JSON.stringify(errorOutputWorkflow)) as WorkflowFile;
loopWorkflow.id = LOOP_WORKFLOW;
loopWorkflow.name = 'e2e: Loop Over Items with the error output';
loopWorkflow.nodes.push({
	name: LOOP,
	type: 'n8n-nodes-base.splitInBatches',
	typeVersion: 3,
	position: [500, 300],
	parameters: { batchSize: 2, options: {} },
});
loopWorkflow.connections = {
	...(loopWorkflow.connections as Record<string, unknown>),
	[CODE_NODE]: { main: [[{ node: LOOP, type: 'main', index: 0 }]] },
	[LOOP]: { main: [[], [{ node: NODE, type: 'main', index: 0 }]] },
	[NODE]: {
		main: [[{ node: LOOP, type: 'main', index: 0 }], [{ node: LOOP, type: 'main', index: 0 }]],
	},
};

/** Each run of the node: its outputs, as [main, error] lists of items. */
const nodeRuns = (run: PrintedRun) =>
	(
		(run.data.resultData.runData as Record<string, Array<{ data: { main: RunItem[][] } }>>)[NODE] ??
		[]
	).map((task) => task.data.main.map((output) => output ?? []));
// Error items hold the input's Guid (n8n adds the input item's fields); others hold disposition.guid.
const routeGuid = (item: RunItem) =>
	item.json.Guid ?? (item.json.disposition as { guid?: string } | null)?.guid ?? null;

// Retry On Fail through an outage: 40 requests answered 503 after the 60th of 200.
const OUTAGE_WORKFLOW = 'uCtE2eRetryOnF01';
const outageWorkflow = variant(
	OUTAGE_WORKFLOW,
	`e2e: Retry On Fail through an outage, ${BULK} calls`,
	`return Array.from({ length: ${BULK} }, (_, i) => ({ json: {
		Campaign: 'Ventas->', Agent: 'jperez', Phone: String(59899200000 + i),
		Guid: 'outage-' + String(i).padStart(4, '0'), Result: 'Venta', Detail: '',
	} }));`,
	TOKEN_CREDENTIAL,
);
for (const node of outageWorkflow.nodes) {
	if (node.name !== NODE) continue;
	delete node.onError;
	node.parameters.options = { concurrency: 10, safeRetries: 1, maxRetryWait: 10 };
	Object.assign(node, { retryOnFail: true, maxTries: 5, waitBetweenTries: 100 });
}

// Issue 20: Dry Run given by an expression, as from a webhook's query: "true" and 1 are what n8n
// reads as true; "yes" is refused before anything is sent.
const DRY_RUN_WORKFLOW = 'uCtE2eDryRunExp1';
const dryRunWorkflow = variant(
	DRY_RUN_WORKFLOW,
	'e2e: Dry Run given by an expression',
	`return ["true", 1, "yes"].map((dry, i) => ({ json: {
		Campaign: 'Ventas->', Agent: 'jperez', Phone: String(59899300000 + i),
		Guid: 'dry-' + i, Result: 'Venta', Detail: '', dry,
	} }));`,
	TOKEN_CREDENTIAL,
);
for (const node of dryRunWorkflow.nodes) {
	if (node.name !== NODE) continue;
	node.onError = 'continueRegularOutput';
	node.parameters.options = { dryRun: '={{ $json.dry }}' };
}

const NATIVE_WORKFLOW = 'uCtE2eNativeExp1';
const FORCED_WORKFLOW = 'uCtE2eForcedExp1';

const dispositionCalls = (sim: Simulator) =>
	sim.requests.filter((request) => request.endpoint === 'DispositionCall');
const logins = (sim: Simulator) =>
	sim.requests.filter((request) => request.endpoint === 'getUserToken');
const sequence = (sim: Simulator) =>
	sim.requests.map((request: Recorded) => [request.endpoint, request.status]);
const successes = (items: RunItem[]) => items.map((item) => item.json.success);
const paired = (items: RunItem[]) => items.map((item) => item.pairedItem);

let tarball: string;
beforeAll(async () => {
	tarball = await timed('both', 'build + npm pack', () => packPackage());
});
afterAll(() => printTimings('Real n8n CLI: time per stage'));

describe.each(selectedRuntimes())('%s: the packed package in the real n8n CLI', (runtimeName) => {
	let sim: Simulator;
	let n8n: PreparedN8n;
	let filesDir: string;

	/** `n8n execute --id <id> --rawOutput`, timed; returns the printed run and n8n's full output. */
	async function execute(
		workflowId: string,
		stage: string,
		env?: Record<string, string>,
		node = NODE,
	) {
		const result = await timed(runtimeName, `execute: ${stage}`, () =>
			n8n.run(['execute', '--id', workflowId, '--rawOutput'], env ? { env } : undefined),
		);
		assertExit0(result, `n8n execute --id ${workflowId}`);
		const parse = env?.N8N_LOG_LEVEL === 'debug' ? runFromDebugOutput : parseRunOutput;
		const run = parse(result.stdout) as PrintedRun;
		expect(run).not.toBeNull();
		expect(run.data.resultData.error).toBeUndefined();
		const items = nodeOutput(run, node) as RunItem[];
		expect(items).toBeDefined();
		return { run, items, output: result.stdout + result.stderr };
	}

	beforeAll(async () => {
		sim = await startSimulator({
			campaigns: ['Ventas->'],
			users: { [LOGIN_USER]: LOGIN_PASSWORD },
		});
		n8n = await prepareN8n(runtimeName, { tarball });
		filesDir = tempDir('ucontact-e2e-files-');

		const credentials = writeJson(filesDir, 'credentials.json', [
			{
				...TOKEN_CREDENTIAL,
				type: 'uContactApi',
				data: { server: 'custom', baseUrl: sim.url, authentication: 'token', token: sim.token },
			},
			{
				...LOGIN_CREDENTIAL,
				type: 'uContactApi',
				data: {
					server: 'custom',
					baseUrl: sim.url,
					authentication: 'userPassword',
					user: LOGIN_USER,
					password: LOGIN_PASSWORD,
				},
			},
		]);
		assertExit0(
			await timed(runtimeName, 'import:credentials (2)', () =>
				n8n.run(['import:credentials', '--input', credentials]),
			),
			'n8n import:credentials',
		);

		const workflows = `${filesDir}/workflows`;
		writeJson(workflows, 'finished-calls.json', example);
		writeJson(workflows, 'login.json', loginWorkflow);
		writeJson(workflows, 'login-concurrent.json', loginConcurrentWorkflow);
		writeJson(workflows, 'bulk.json', bulkWorkflow);
		writeJson(workflows, 'error-output.json', errorOutputWorkflow);
		writeJson(workflows, 'loop.json', loopWorkflow);
		writeJson(workflows, 'outage.json', outageWorkflow);
		writeJson(workflows, 'dry-run.json', dryRunWorkflow);
		writeJson(
			workflows,
			'native.json',
			nativeExpressionWorkflow(NATIVE_WORKFLOW, 'asWritten', TOKEN_CREDENTIAL),
		);
		writeJson(
			workflows,
			'forced.json',
			nativeExpressionWorkflow(FORCED_WORKFLOW, 'forced', TOKEN_CREDENTIAL),
		);
		const imported = assertExit0(
			await timed(runtimeName, 'import:workflow --separate (10)', () =>
				n8n.run(['import:workflow', '--separate', '--input', workflows]),
			),
			'n8n import:workflow',
		);
		expect(imported.stdout + imported.stderr).toMatch(/Successfully imported 10 workflows/);
	});

	afterAll(async () => {
		await sim?.close();
		removeDir(filesDir);
		removeDir(n8n?.userFolder);
	});

	beforeEach(() => sim.reset());

	describe('examples/finished-calls.json with a token credential', () => {
		let items: RunItem[];
		let output: string;
		let wire: Recorded[];
		beforeAll(async () => {
			sim.reset();
			({ items, output } = await execute(example.id, '4 finished calls (token)'));
			wire = [...sim.requests];
		});

		it('records the calls, one output item per input item, each paired to its input', () => {
			expect(successes(items)).toEqual([true, true, true, false]);
			expect(paired(items)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
			expect(items[0].json).toEqual({
				success: true,
				dryRun: false,
				alreadyRecorded: false,
				response: 'OK',
				request: null,
				scheduleTimezone: null,
				hint: null,
				disposition: {
					campaign: 'Ventas->',
					agent: 'jperez',
					callerid: '59899123001',
					guid: 'a1f0-0001',
					l1: 'Venta',
					l2: 'Contado',
					l3: '',
					d1: '',
					d2: '',
					comment: '',
					schedule: '',
					camptoreschedule: '',
					tag: '',
				},
			});
		});

		it('sends the scheduled callback in the schedule time zone, in the documented wire format', () => {
			expect(items[2].json.disposition).toMatchObject({
				guid: 'a1f0-0003',
				schedule: '2026-12-01 15:30:00',
				camptoreschedule: 'Ventas->',
				comment: 'Prefiere por la tarde, después de las 15 h',
			});
			// The output names the zone the callback time was read in (the fixture's option).
			expect(items[2].json.scheduleTimezone).toBe(FIXTURE_SCHEDULE_ZONE);
			expect(items[0].json.scheduleTimezone).toBeNull();
			expect(wire.map((request) => [request.endpoint, request.method, request.status])).toEqual(
				Array(4).fill(['DispositionCall', 'POST', 200]),
			);
			for (const request of wire) {
				expect(request.problems).toEqual([]);
				expect(request.path).toBe('/Integra/resources/api/DispositionCall');
				expect(request.headers.authorization).toBe(`Basic ${sim.token}`);
				expect(request.form.map(([key]) => key)).toEqual([...DISPOSITION_KEYS]);
			}
			expect(wire[2].fields).toMatchObject({
				guid: 'a1f0-0003',
				l1: 'Volver a llamar',
				schedule: '2026-12-01 15:30:00',
				camptoreschedule: 'Ventas->',
				comment: 'Prefiere por la tarde, después de las 15 h',
			});
		});

		it('turns uContact\'s "0" into an error item (On Error: Continue) and goes on', () => {
			expect(wire[3].fields.campaign).toBe('Campaña inexistente->');
			expect(wire[3].answer).toBe('"0"');
			expect(items[3].json).toMatchObject({
				success: false,
				errorKind: 'rejected',
				disposition: { campaign: 'Campaña inexistente->', guid: 'a1f0-0004' },
			});
			expect(wire.map((request) => request.answer)).toEqual(['"OK"', '"OK"', '"OK"', '"0"']);
		});

		it('never prints the token', () => {
			expect(output).not.toContain(sim.token);
		});
	});

	describe('a user and password credential', () => {
		let issued: string;
		let renewed: string;
		const tokensSeen: string[] = [];

		it('logs in on the first run, and n8n stores the session token in the credential', async () => {
			const { items, output } = await execute(LOGIN_WORKFLOW, 'login (1st run)');
			expect(successes(items)).toEqual([true, true]);
			expect(sequence(sim)).toEqual([
				['getUserToken', 200],
				['DispositionCall', 200],
				['DispositionCall', 200],
			]);
			expect(logins(sim)[0].fields).toEqual({ user: LOGIN_USER, password: LOGIN_PASSWORD });
			issued = logins(sim)[0].issuedToken as string;
			tokensSeen.push(issued);
			expect(dispositionCalls(sim).map((request) => request.headers.authorization)).toEqual(
				Array(2).fill(`Basic ${issued}`),
			);
			expect(output).not.toContain(LOGIN_PASSWORD);
			expect(output).not.toContain(issued);
		});

		it('on the next run uses the stored token; when uContact answers 401 it logs in again exactly once', async () => {
			expect(issued).toBeDefined();
			sim.expireToken(issued);
			const { items, output } = await execute(LOGIN_WORKFLOW, 'token expired (2nd run)');
			expect(successes(items)).toEqual([true, true]);
			expect(paired(items)).toEqual([{ item: 0 }, { item: 1 }]);
			// No login before the first request: the token came from the credential n8n stored.
			expect(sequence(sim)).toEqual([
				['DispositionCall', 401],
				['getUserToken', 200],
				['DispositionCall', 200],
				['DispositionCall', 200],
			]);
			expect(logins(sim)).toHaveLength(1);
			renewed = logins(sim)[0].issuedToken as string;
			tokensSeen.push(renewed);
			expect(renewed).not.toBe(issued);
			expect(dispositionCalls(sim).map((request) => request.headers.authorization)).toEqual([
				`Basic ${issued}`,
				`Basic ${renewed}`,
				`Basic ${renewed}`,
			]);
			expect(dispositionCalls(sim)[0].auth).toBe('expired');
			expect(sim.dispositions.map((request) => request.fields.guid)).toEqual([
				loginGuid(0),
				loginGuid(1),
			]);
			expect(sim.requests.every((request) => request.problems.length === 0)).toBe(true);
			expect(output).not.toContain(LOGIN_PASSWORD);
			for (const token of tokensSeen) expect(output).not.toContain(token);
		});

		// On 2.x the node handles 401s itself (single-flight login); n8n 1.x's core refreshes on
		// every 401 itself, and the credential then shares one login between those refreshes.
		it('five requests in flight meeting an expired token cause one login, not five', async () => {
			expect(renewed).toBeDefined();
			sim.expireToken(renewed);
			const { items } = await execute(LOGIN_CONCURRENT_WORKFLOW, 'token expired, 5 in flight');
			expect(successes(items)).toEqual(Array(5).fill(true));
			expect(sim.dispositions.map((request) => request.fields.guid).sort()).toEqual(
				Array.from({ length: 5 }, (_, index) => loginGuid(index)),
			);
			expect(logins(sim)).toHaveLength(1);
			const login = sim.requests.indexOf(logins(sim)[0]);
			const latest = `Basic ${logins(sim)[0].issuedToken}`;
			sim.requests.forEach((request, position) => {
				if (request.endpoint !== 'DispositionCall') return;
				if (request.status === 401) expect(request.headers.authorization).toBe(`Basic ${renewed}`);
				else
					expect([request.status, request.headers.authorization, position > login]).toEqual([
						200,
						latest,
						true,
					]);
			});
			expect(sim.requests[0]).toMatchObject({ endpoint: 'DispositionCall', status: 401 });
		});
	});

	describe('On Error: Continue (using error output)', () => {
		it('sends failed items down the error output and recorded ones down the success output', async () => {
			const { run } = await execute(ERROR_OUTPUT_WORKFLOW, 'error output');
			const [[success, failed]] = nodeRuns(run);
			expect(success.map(routeGuid)).toEqual(['route-0', 'route-2']);
			expect(paired(success)).toEqual([{ item: 0 }, { item: 2 }]);
			expect(success.map((item) => item.json.success)).toEqual([true, true]);
			expect(failed.map(routeGuid)).toEqual(['route-1', 'route-3']);
			expect(paired(failed)).toEqual([{ item: 1 }, { item: 3 }]);
			// An error output item holds only `error` and `message` (and the input's fields).
			expect(failed.map((item) => item.json.error)).toEqual([
				expect.stringMatching(/\(item 2\)$/),
				expect.stringMatching(/\(item 4\)$/),
			]);
			expect(failed[0].json.message).toMatch(/^Usual causes: /);
			expect(sim.dispositions.map((request) => request.fields.guid)).toEqual([
				'route-0',
				'route-2',
			]);
		});

		it('inside Loop Over Items: each batch routes its own items', async () => {
			const { run } = await execute(LOOP_WORKFLOW, 'Loop Over Items');
			const runs = nodeRuns(run);
			expect(
				runs.map(([success, failed]) => [success.map(routeGuid), failed.map(routeGuid)]),
			).toEqual([
				[['route-0'], ['route-1']],
				[['route-2'], ['route-3']],
			]);
			// Items are paired within each batch the node received.
			expect(runs.map(([success, failed]) => [paired(success), paired(failed)])).toEqual([
				[[{ item: 0 }], [{ item: 1 }]],
				[[{ item: 0 }], [{ item: 1 }]],
			]);
			expect(sim.dispositions.map((request) => request.fields.guid)).toEqual([
				'route-0',
				'route-2',
			]);
		});
	});

	describe('Dry Run given by an expression', () => {
		it('"true" and 1 only show the request; "yes" is refused; nothing reaches uContact', async () => {
			const { items } = await execute(DRY_RUN_WORKFLOW, 'Dry Run by expression');
			expect(items.map((item) => [item.json.dryRun, item.json.success])).toEqual([
				[true, false],
				[true, false],
				[false, false],
			]);
			expect(items[2].json.error).toBe('Options > Dry Run is "yes": give true or false (item 3)');
			expect(paired(items)).toEqual([0, 1, 2].map((item) => ({ item })));
			expect(sim.requests).toEqual([]);
		});
	});

	describe('drag-and-drop expressions (the native path)', () => {
		// n8n 2.x evaluates in its vm engine by default and still has the legacy one; 1.x has legacy only.
		const engines = runtimeName === 'n8n-1' ? ['legacy'] : ['vm', 'legacy'];
		it.each(engines)(
			'give what n8n gives them, under the %s engine, in the output and on the wire',
			async (engine) => {
				const env = { N8N_LOG_LEVEL: 'debug', N8N_EXPRESSION_ENGINE: engine };
				const outputs = (run: PrintedRun) =>
					NODES.map((name) =>
						(nodeOutput(run, name) ?? []).map((item) => ({
							json: item.json,
							pairedItem: item.pairedItem,
						})),
					);
				const asWritten = await execute(
					NATIVE_WORKFLOW,
					`drag-and-drop as written (${engine})`,
					env,
					DRAGGED,
				);
				const sentAsWritten = dispositionCalls(sim).map((request) => request.fields);
				const nativeAsWritten = nativeFieldsLogged(asWritten.output);
				sim.reset();
				const byN8n = await execute(
					FORCED_WORKFLOW,
					`drag-and-drop forced (${engine})`,
					env,
					DRAGGED,
				);
				const sentByN8n = dispositionCalls(sim).map((request) => request.fields);
				const nativeByN8n = nativeFieldsLogged(byN8n.output);

				// The node took the native path for every dragged field, and for none of the near misses
				// or the refused names (their nodes drag only the guid).
				expect(nativeAsWritten).toEqual({
					[CONSTRUCTOR]: ['guid'],
					[PROTO]: ['guid'],
					[DRAGGED]: [
						'additionalFields.camptoreschedule',
						'additionalFields.comment',
						'additionalFields.d1',
						'additionalFields.d2',
						'additionalFields.schedule',
						'additionalFields.tag',
						'agent',
						'callerid',
						'campaign',
						'guid',
						'l1',
						'l2',
						'l3',
					],
				});
				expect(nativeByN8n).toEqual({});

				const [dragged, nearMisses, constructorKey, protoKey] = outputs(asWritten.run);
				expect(outputs(asWritten.run)).toEqual(outputs(byN8n.run));
				expect(sentAsWritten).toEqual(sentByN8n);
				// The comparison covers recorded items, refused ones and values of every kind.
				const errors = (items: Array<{ json: RunItem['json'] }>) =>
					items.map((item) => item.json.error ?? null);
				expect(errors(dragged)).toEqual([
					// n8n 1.x hands on the body with an own "__proto__" key without its fields (forced
					// through its evaluator too: the outputs above are equal); 2.x keeps them.
					runtimeName === 'n8n-1' ? 'Campaign (campaign) is required but empty (item 1)' : null,
					null,
					'Caller ID (callerid) is the number 1e+21, which a number cannot hold exactly (beyond about 15 digits they are lost); map it as text, e.g. keep that column as text in the source (item 3)',
					'Disposition Level 1 (l1) is required but empty (item 4)',
					'Campaign (campaign) is an object; map a single text value to it (item 5)',
					null,
				]);
				expect(
					nearMisses.map(
						(item) => (item.json.disposition as { l2?: string } | null)?.l2 ?? item.json.error,
					),
				).toEqual([
					runtimeName === 'n8n-1' ? 'Campaign (campaign) is required but empty (item 1)' : '5',
					'5',
					expect.stringMatching(/^Caller ID \(callerid\) is the number 1e\+21/u),
					'5',
					'5',
					'5',
				]);
				expect(constructorKey.map((item) => item.json.error)).toEqual(
					[0, 1, 2, 3, 4, 5].map(
						(i) =>
							`Extra Data 1 (d1): its expression could not be evaluated: Expression contains invalid constructor function call (item ${i + 1})`,
					),
				);
				expect(protoKey.map((item) => item.json.error)).toEqual(
					[0, 1, 2, 3, 4, 5].map(
						(i) =>
							`Extra Data 2 (d2): its expression could not be evaluated: Cannot access "__proto__" due to security concerns (item ${i + 1})`,
					),
				);
				const sent = Object.fromEntries(sentAsWritten.map((fields) => [fields.guid, fields]));
				expect(Object.keys(sent)).toEqual([
					...(runtimeName === 'n8n-1' ? [] : ['native-0']),
					'native-1',
					'native-5',
				]);
				if (runtimeName !== 'n8n-1')
					expect(sent['native-0']).toMatchObject({
						agent: 'ana',
						callerid: '59899000001',
						l2: 'Contado',
						l3: 'ok',
						d1: '1.5',
						comment: 'hola 0',
						tag: '0',
					});
				expect(sent['native-1']).toMatchObject({ l2: '', l3: '', d1: '0', d2: '' });
				expect(sent['native-5']).toMatchObject({
					l3: 'Ñandú 日本 😀',
					schedule: '2026-12-01 15:30:00',
					camptoreschedule: 'Ventas->',
				});
			},
		);
	});

	describe(`${BULK} items`, () => {
		it(`sends all ${BULK} to uContact in item order (5 in flight) and outputs ${BULK} items in order`, async () => {
			const { items } = await execute(BULK_WORKFLOW, `${BULK} items`);
			const guids = Array.from({ length: BULK }, (_, index) => bulkGuid(index));

			expect(items).toHaveLength(BULK);
			expect(items.every((item) => item.json.success === true)).toBe(true);
			expect(paired(items)).toEqual(guids.map((_, item) => ({ item })));
			expect(items.map((item) => (item.json.disposition as { guid: string }).guid)).toEqual(guids);

			const calls = dispositionCalls(sim);
			expect(calls).toHaveLength(BULK);
			expect(calls.map((request) => request.fields.guid).sort()).toEqual(guids);
			// Requests start in item order, at most `concurrency` (5) at a time, so each arrives
			// within the window of requests in flight with it.
			const late = calls
				.map((request, position) => [position, guids.indexOf(request.fields.guid)])
				.filter(([position, index]) => Math.abs(position - index) >= 5);
			expect(late).toEqual([]);
			expect(
				calls.every((request) => request.status === 200 && request.problems.length === 0),
			).toBe(true);
			expect(sim.dispositions).toHaveLength(BULK);
			expect(calls[7].fields).toMatchObject({
				agent: 'agent0',
				callerid: '59899100007',
				l1: 'No interesado',
			});
		});
	});

	describe("n8n's Retry On Fail", () => {
		it(`an outage after the 60th of ${BULK} items: the run completes, every item recorded exactly once`, async () => {
			sim.queue(
				...Array.from({ length: 60 }, () => ({ kind: 'normal' }) as const),
				...Array.from({ length: 40 }, () => ({ kind: 'status', status: 503 }) as const),
			);
			const { items } = await execute(OUTAGE_WORKFLOW, 'Retry On Fail through an outage');
			const recorded = sim.dispositions.map((request) => request.fields.guid);
			const duplicates = recorded.length - new Set(recorded).size;
			const skipped = items.filter((item) => item.json.alreadyRecorded === true).length;
			console.log(
				`${runtimeName}: Retry On Fail, ${BULK} items, 40 x 503 after the 60th: ` +
					`${dispositionCalls(sim).length} requests, ${recorded.length} recorded, ${duplicates} duplicates, ` +
					`${skipped} outputs from an earlier try`,
			);
			expect(items).toHaveLength(BULK);
			expect(items.every((item) => item.json.success === true)).toBe(true);
			expect(recorded).toHaveLength(BULK);
			expect(duplicates).toBe(0);
			expect(skipped).toBeGreaterThanOrEqual(60);
			expect(sim.requests.filter((request) => request.status === 503)).toHaveLength(40);
		});
	});
});
