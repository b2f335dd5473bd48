// The workflows of contexts.e2e.ts: n8n contexts (Execute Once, a sub-workflow, pinned data, a
// partial run from the editor) × the node's promises (one output per input, Retry On Fail,
// the error output, drag-and-drop fields, no secret), as n8n's REST API creates and runs them.
import { NODE, NODE_TYPE, CODE } from './dispositionWorkflow';
import { MANUAL_TRIGGER as RETRY_MANUAL_TRIGGER } from './retryExecution';

export { NODE, CODE };
/** The Manual Trigger the editor's "Execute workflow" starts from. */
export const MANUAL_TRIGGER = { ...RETRY_MANUAL_TRIGGER, position: [0, 0] };

export const CONTEXTS = [
	'Execute Once',
	'a sub-workflow',
	'pinned data',
	'a partial run (Execute step)',
] as const;
export type Context = (typeof CONTEXTS)[number];

export const PROMISES = ['order', 'retryOnFail', 'errorOutput', 'dragAndDrop', 'noSecret'] as const;
export type Promised = (typeof PROMISES)[number];

/** The parent's node that calls the sub-workflow, and the sub-workflow's trigger. */
export const EXECUTE_WORKFLOW = 'Execute Workflow';
export const WORKFLOW_TRIGGER = 'When called by another workflow';

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
	'Execute Once': 'once',
	'a sub-workflow': 'sub',
	'pinned data': 'pin',
	'a partial run (Execute step)': 'part',
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
			return {
				promise,
				calls: calls(3),
				settings: { ...executeOnce, onError: 'continueErrorOutput' },
				options: { concurrency: 1 },
			};
	}
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
			campaign: '={{ $json.campaign }}',
			agent: '={{ $json.agent }}',
			callerid: '={{ $json.callerid }}',
			guid: '={{ $json.guid }}',
			l1: '={{ $json.l1 }}',
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
 * Manual Trigger -> Code (the calls) -> uContact Disposition: the workflow of Execute Once and of
 * the partial run; with pinned data, the Code node's output is pinned and its source throws.
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
