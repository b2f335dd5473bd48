// The workflows of contexts.e2e.ts: n8n contexts (a plain run, Execute Once, a sub-workflow,
// pinned data, a partial run from the editor, Loop Over Items) × the node's promises (one output
// per input, Retry On Fail, the error output, drag-and-drop fields, no secret), as n8n's REST API
// creates and runs them.
import { NODE, NODE_TYPE, CODE, MAPPED_FIELDS } from './dispositionWorkflow';
import { MANUAL_TRIGGER as RETRY_MANUAL_TRIGGER } from './retryExecution';

export { NODE, CODE };
/** The Manual Trigger the editor's "Execute workflow" starts from. */
export const MANUAL_TRIGGER = { ...RETRY_MANUAL_TRIGGER, position: [0, 0] };

export const CONTEXTS = [
	'a plain run',
	'Execute Once',
	'a sub-workflow',
	'pinned data',
	'a partial run (Execute step)',
	'Loop Over Items',
] as const;
export type Context = (typeof CONTEXTS)[number];

export const PROMISES = ['order', 'retryOnFail', 'errorOutput', 'dragAndDrop', 'noSecret'] as const;
export type Promised = (typeof PROMISES)[number];

/** The parent's node that calls the sub-workflow, and the sub-workflow's trigger. */
export const EXECUTE_WORKFLOW = 'Execute Workflow';
export const WORKFLOW_TRIGGER = 'When called by another workflow';

/**
 * Loop Over Items (SplitInBatches v3, the version both runtimes' editors add), two items a
 * batch; our node on its "loop" output, its success output back into the loop, its error output
 * (when it has one) to "Rejected", the loop's "done" output to "Done".
 */
export const LOOP = 'Loop Over Items';
export const LOOP_BATCH_SIZE = 2;
export const DONE = 'Done';
export const REJECTED = 'Rejected';

/** A finished call, as the Code node (or its pinned data) hands it to our node. */
export interface Call {
	campaign: string;
	agent: string;
	callerid: string;
	guid: string;
	l1: string;
	a?: { b?: unknown };
}

/** The simulator knows this campaign; it answers "0" to any other. */
export const CAMPAIGN = 'Ventas->';
export const UNKNOWN_CAMPAIGN = 'Desconocida->';

/** What is dragged into Extra Data 1, and the same forced through n8n's evaluator in Extra Data 2. */
export const DRAGGED = '={{ $json.a.b }}';
export const FORCED = '={{ (0, $json.a.b) }}';
/** The values of a.b the drag-and-drop cell sends (the last item has no b at all). */
export const DRAGGED_VALUES: unknown[] = ['Ñandú 日本 😀', 1.5, 42, true, null, undefined];
/** What n8n's evaluator makes of them, as uContact receives them. */
export const DRAGGED_ON_THE_WIRE = ['Ñandú 日本 😀', '1.5', '42', 'true', '', ''];

/** Retry On Fail as the brief asks: 3 tries, a short wait between them. */
export const RETRY_SETTINGS = { retryOnFail: true, maxTries: 3, waitBetweenTries: 50 };

export interface Variant {
	promise: Promised;
	calls: Call[];
	/** Node settings (executeOnce, onError, retryOnFail, ...). */
	settings: Record<string, unknown>;
	options: Record<string, unknown>;
	additionalFields?: Record<string, unknown>;
}

const CONTEXT_TAG: Record<Context, string> = {
	'a plain run': 'plain',
	'Execute Once': 'once',
	'a sub-workflow': 'sub',
	'pinned data': 'pin',
	'a partial run (Execute step)': 'part',
	'Loop Over Items': 'loop',
};

function call(context: Context, promise: Promised, index: number, extra: Partial<Call> = {}): Call {
	return {
		campaign: CAMPAIGN,
		agent: `agente${index % 3}`,
		callerid: String(59899500000 + index),
		guid: `${CONTEXT_TAG[context]}-${promise}-${index}`,
		l1: index % 2 === 0 ? 'Venta' : 'No interesado',
		...extra,
	};
}

/**
 * The items and settings of one cell. The item that matters comes first (a rejected one, the one
 * answered with an echo page), so that Execute Once, which runs the node on the first item only,
 * meets it too.
 */
export function variant(context: Context, promise: Promised): Variant {
	const executeOnce = context === 'Execute Once' ? { executeOnce: true } : {};
	const calls = (count: number, extra: (index: number) => Partial<Call> = () => ({})) =>
		Array.from({ length: count }, (_, index) => call(context, promise, index, extra(index)));
	switch (promise) {
		case 'order':
			return { promise, calls: calls(5), settings: { ...executeOnce }, options: {} };
		case 'retryOnFail':
			// One request at a time, and no safe retry of our own: the outage fails the try at once.
			return {
				promise,
				calls: calls(6),
				settings: { ...executeOnce, ...RETRY_SETTINGS },
				options: { concurrency: 1, safeRetries: 0 },
			};
		case 'errorOutput':
			return {
				promise,
				calls: calls(4, (index) => (index % 2 === 0 ? { campaign: UNKNOWN_CAMPAIGN } : {})),
				settings: { ...executeOnce, onError: 'continueErrorOutput' },
				options: {},
			};
		case 'dragAndDrop':
			return {
				promise,
				calls: calls(DRAGGED_VALUES.length, (index) => ({
					a: DRAGGED_VALUES[index] === undefined ? {} : { b: DRAGGED_VALUES[index] },
				})),
				settings: { ...executeOnce },
				options: { concurrency: 1 },
				additionalFields: { d1: DRAGGED, d2: FORCED },
			};
		case 'noSecret':
			// In the loop, 4: every batch keeps an item on the success output, which carries it on.
			return {
				promise,
				calls: calls(context === 'Loop Over Items' ? 4 : 3),
				settings: { ...executeOnce, onError: 'continueErrorOutput' },
				options: { concurrency: 1 },
			};
	}
}

/**
 * The input items of each run of our node: Execute Once runs it on the first item only, the
 * loop once per batch, the other contexts once on all the items.
 */
export function batchesOf(context: Context, calls: Call[]): Call[][] {
	if (context === 'Execute Once') return [calls.slice(0, 1)];
	if (context !== 'Loop Over Items') return [calls];
	const batches: Call[][] = [];
	for (let start = 0; start < calls.length; start += LOOP_BATCH_SIZE)
		batches.push(calls.slice(start, start + LOOP_BATCH_SIZE));
	return batches;
}

/**
 * Where the Retry On Fail cell's 503 falls, as an index into the items sent: Execute Once at
 * its one item; the loop at batch 2's second item (batch 1 and batch 2's first recorded before
 * it); elsewhere at the third item, two being recorded before it.
 */
export function outageAt(context: Context): number {
	if (context === 'Execute Once') return 0;
	if (context === 'Loop Over Items') return LOOP_BATCH_SIZE + 1;
	return 2;
}

/**
 * The items the no-secret cell answers with an error page that echoes the request's headers
 * (the first with 200, the second with 500): the first two; in the loop, the first of batch 1
 * and of batch 2, so that each batch still hands an item back to the loop.
 */
export function echoedAt(context: Context): number[] {
	if (context === 'Execute Once') return [0];
	if (context === 'Loop Over Items') return [0, LOOP_BATCH_SIZE];
	return [0, 1];
}

const connect = (from: string, to: string) => ({
	[from]: { main: [[{ node: to, type: 'main', index: 0 }]] },
});

function dispositionNode(variant: Variant, credential: { id: string; name: string }) {
	return {
		id: 'c0e2d3f4-0003-4f00-9000-000000000003',
		name: NODE,
		type: NODE_TYPE,
		typeVersion: 1,
		position: [440, 0],
		...variant.settings,
		parameters: {
			...MAPPED_FIELDS,
			...(variant.additionalFields ? { additionalFields: variant.additionalFields } : {}),
			options: variant.options,
		},
		credentials: { uContactApi: credential },
	};
}

function codeNode(jsCode: string) {
	return {
		id: 'c0e2d3f4-0002-4f00-9000-000000000002',
		name: CODE,
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position: [220, 0],
		parameters: { mode: 'runOnceForAllItems', language: 'javaScript', jsCode },
	};
}

const callsCode = (calls: Call[]) => `return ${JSON.stringify(calls)}.map((json) => ({ json }));`;
/** The Code node's source when its output is pinned: n8n must not run it. */
export const PINNED_CODE = "throw new Error('This node is pinned: n8n must not run it');";

export interface WorkflowBody {
	name: string;
	active: boolean;
	settings: Record<string, unknown>;
	nodes: Array<Record<string, unknown>>;
	connections: Record<string, unknown>;
	pinData?: Record<string, Array<{ json: Record<string, unknown> }>>;
}

// `pinData: {}` as the editor saves a workflow: n8n 2.41's partial run fails ("Cannot read
// properties of null") on a workflow saved without it, as one created through the REST API is.
const workflow = (
	name: string,
	nodes: WorkflowBody['nodes'],
	connections: WorkflowBody['connections'],
): WorkflowBody => ({
	name,
	active: false,
	settings: { executionOrder: 'v1' },
	nodes,
	connections,
	pinData: {},
});

/**
 * Manual Trigger -> Code (the calls) -> uContact Disposition: the workflow of the plain run, of
 * Execute Once and of the partial run; with pinned data, the Code node's output is pinned and its
 * source throws.
 */
export function mainWorkflow(
	context: Context,
	v: Variant,
	credential: { id: string; name: string },
): WorkflowBody {
	const pinned = context === 'pinned data';
	const body = workflow(
		`contexts e2e: ${context}, ${v.promise}`,
		[
			MANUAL_TRIGGER,
			codeNode(pinned ? PINNED_CODE : callsCode(v.calls)),
			dispositionNode(v, credential),
		],
		{ ...connect(MANUAL_TRIGGER.name, CODE), ...connect(CODE, NODE) },
	);
	if (pinned)
		body.pinData = {
			[CODE]: v.calls.map((json) => ({ json: json as unknown as Record<string, unknown> })),
		};
	return body;
}

const noOp = (name: string, id: string, position: [number, number]) => ({
	id,
	name,
	type: 'n8n-nodes-base.noOp',
	typeVersion: 1,
	position,
	parameters: {},
});

/**
 * Manual Trigger -> Code (the calls) -> Loop Over Items (2 a batch): "loop" -> uContact
 * Disposition -> back to the loop; "done" -> Done. With the error output, it goes to Rejected,
 * outside the loop: n8n hands a node one run per connection that has items, so an error output
 * also wired back into the loop would run the loop twice per batch.
 */
export function loopWorkflow(v: Variant, credential: { id: string; name: string }): WorkflowBody {
	const errorOutput = v.settings.onError === 'continueErrorOutput';
	const toLoop = { node: LOOP, type: 'main', index: 0 };
	return workflow(
		`contexts e2e: Loop Over Items, ${v.promise}`,
		[
			MANUAL_TRIGGER,
			codeNode(callsCode(v.calls)),
			{
				id: 'c0e2d3f4-0007-4f00-9000-000000000007',
				name: LOOP,
				type: 'n8n-nodes-base.splitInBatches',
				typeVersion: 3,
				position: [440, 0],
				parameters: { batchSize: LOOP_BATCH_SIZE, options: {} },
			},
			{ ...dispositionNode(v, credential), position: [660, 100] },
			noOp(DONE, 'c0e2d3f4-0008-4f00-9000-000000000008', [660, -100]),
			...(errorOutput ? [noOp(REJECTED, 'c0e2d3f4-0009-4f00-9000-000000000009', [880, 200])] : []),
		],
		{
			...connect(MANUAL_TRIGGER.name, CODE),
			...connect(CODE, LOOP),
			[LOOP]: {
				main: [[{ node: DONE, type: 'main', index: 0 }], [{ node: NODE, type: 'main', index: 0 }]],
			},
			[NODE]: {
				main: errorOutput ? [[toLoop], [{ node: REJECTED, type: 'main', index: 0 }]] : [[toLoop]],
			},
		},
	);
}

/** The sub-workflow: Execute Workflow Trigger (accept all data) -> uContact Disposition. */
export function childWorkflow(v: Variant, credential: { id: string; name: string }): WorkflowBody {
	return workflow(
		`contexts e2e: sub-workflow, ${v.promise} (child)`,
		[
			{
				id: 'c0e2d3f4-0005-4f00-9000-000000000005',
				name: WORKFLOW_TRIGGER,
				type: 'n8n-nodes-base.executeWorkflowTrigger',
				// 1.1 is the newest version n8n 1.x has; 2.x runs it alike.
				typeVersion: 1.1,
				position: [0, 0],
				parameters: { inputSource: 'passthrough' },
			},
			dispositionNode(v, credential),
		],
		connect(WORKFLOW_TRIGGER, NODE),
	);
}

/** The parent: Manual Trigger -> Code (the calls) -> Execute Workflow (the child, once for all items). */
export function parentWorkflow(v: Variant, childId: string): WorkflowBody {
	return workflow(
		`contexts e2e: sub-workflow, ${v.promise} (parent)`,
		[
			MANUAL_TRIGGER,
			codeNode(callsCode(v.calls)),
			{
				id: 'c0e2d3f4-0006-4f00-9000-000000000006',
				name: EXECUTE_WORKFLOW,
				type: 'n8n-nodes-base.executeWorkflow',
				typeVersion: 1.2,
				position: [440, 0],
				parameters: {
					source: 'database',
					workflowId: { __rl: true, value: childId, mode: 'id' },
					mode: 'once',
					options: {},
				},
			},
		],
		{ ...connect(MANUAL_TRIGGER.name, CODE), ...connect(CODE, EXECUTE_WORKFLOW) },
	);
}
