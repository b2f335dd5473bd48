/**
 * What the benchmark runs: the finished calls it sends, the workflow around the node under test,
 * and SCENARIOS, the table of what sits in the "Under Test" slot. A new scenario is a new row.
 */
import { DISPOSITION_KEYS, DISPOSITION_PATH } from '../../nodes/UContactApi/api';
import { CEILING_TYPE } from './ceilingNode';

export const TRIGGER = 'Manual Trigger';
export const SOURCE = 'Finished Calls';
export const UNDER_TEST = 'Under Test';

export type Call = Record<(typeof DISPOSITION_KEYS)[number], string>;

/**
 * One finished call. Its source text is also pasted into the Code node, so the raw client and
 * n8n send byte-identical data. Every tenth call schedules a callback (exercises the node's
 * schedule handling, which the HTTP Request node simply passes through). Plain JavaScript inside:
 * the Code node runs its text as it is.
 */
export function makeCall(i: number): Call {
	const tenth = i % 10 === 0;
	return {
		campaign: 'Ventas->',
		agent: 'agent' + (i % 40),
		callerid: String(59899000000 + i),
		guid: '00000000-0000-4000-8000-' + String(i).padStart(12, '0'),
		l1: 'Venta',
		l2: i % 2 ? 'Contado' : 'Crédito',
		l3: '',
		d1: 'order-' + i,
		d2: '',
		comment: 'Cliente satisfecho, llamada ' + i,
		schedule: tenth ? '2026-12-01 15:30:00' : '',
		camptoreschedule: tenth ? 'Ventas->' : '',
		tag: 'bench',
	};
}

/** A run's settings a scenario may refer to: C (concurrency) and L (answer latency, ms). */
export interface Settings {
	concurrency: number;
	latency: number;
}

/** A number, or 'C' / 'L' for the run's concurrency / latency. */
export type Setting = number | 'C' | 'L';

export type UnderTest =
	| { type: 'noOp' }
	| {
			type: 'uContact';
			mappingMode: 'autoMapInputData' | 'defineBelow';
			concurrency: Setting;
			/** Define Below only: how the 13 fields are written (default 'dragged'). */
			fields?: FieldStyle;
			/** More of the node's options, as its parameters hold them. */
			options?: Record<string, unknown>;
	  }
	/** batchSize 0: unbatched. */
	| { type: 'httpRequest'; batchSize: Setting; batchInterval: Setting }
	/** The helper's ceiling (ceilingNode.ts): the same forms through this.helpers.httpRequest. */
	| { type: 'ceiling'; concurrency: Setting };

/**
 * How Define Below's fields are written: 'dragged', all 13 as the editor's drag and drop writes
 * them (`{{ $json.key }}`, read by the node itself); 'mixed', the 5 required ones dragged and
 * the other 8 typed as text; 'evaluated', all 13 as `{{ (0, $json.key) }}`, the same values
 * but a shape the node leaves to n8n's evaluator, as every expression was before.
 */
export type FieldStyle = 'dragged' | 'mixed' | 'evaluated';

export interface Scenario {
	key: string;
	/** {C} and {L} are replaced by the run's settings. */
	label: string;
	node: UnderTest;
	/** The NoOp baseline: measured on its own, subtracted from the others' CPU. */
	baseline?: boolean;
	/**
	 * Skip on vs off (issue 28, skip.ts): not in the main table; run by the skip part (and
	 * --skip-only) as bulk workflows ('bulk') or as one call per execution ('webhook').
	 */
	skip?: 'bulk' | 'webhook';
	/**
	 * Bulk: every run sends calls no run sent before (the Code node makes each guid unique per
	 * execution), so Skip Already Recorded Dispositions never skips and every item is a first claim.
	 * (The webhook POSTs are always new calls.)
	 */
	distinct?: boolean;
	/**
	 * Before the timed POSTs, the node's row in n8n's processed_data table is filled to the
	 * record's cap (MAX_SHARED_ENTRIES) with other hashes (processedData.ts).
	 */
	fullRecord?: boolean;
}

/**
 * Every scenario, in the order the table shows them (the baseline first). batchInterval is L,
 * not 0: n8n's HTTP Request node ignores batching when the interval is 0 (it only ever sleeps
 * between batches, never waits for answers), so "C items every L ms" is the setting that keeps
 * about C requests in flight, like the node's concurrency C.
 */
export const SCENARIOS: Scenario[] = [
	{ key: 'noop', label: 'NoOp (CPU baseline)', node: { type: 'noOp' }, baseline: true },
	{
		key: 'ceilingC',
		label: 'ceiling: helper only C={C}',
		node: { type: 'ceiling', concurrency: 'C' },
	},
	{
		key: 'autoMapC',
		label: 'uContact autoMap C={C}',
		node: { type: 'uContact', mappingMode: 'autoMapInputData', concurrency: 'C' },
	},
	{
		key: 'autoMap1',
		label: 'uContact autoMap C=1',
		node: { type: 'uContact', mappingMode: 'autoMapInputData', concurrency: 1 },
	},
	{
		key: 'defineC',
		label: 'uContact defineBelow 13 dragged C={C}',
		node: { type: 'uContact', mappingMode: 'defineBelow', concurrency: 'C' },
	},
	{
		key: 'defineMixedC',
		label: 'uContact defineBelow 5 dragged + 8 text C={C}',
		node: { type: 'uContact', mappingMode: 'defineBelow', concurrency: 'C', fields: 'mixed' },
	},
	{
		key: 'defineEvaluatedC',
		label: 'uContact defineBelow 13 evaluated by n8n C={C}',
		node: { type: 'uContact', mappingMode: 'defineBelow', concurrency: 'C', fields: 'evaluated' },
	},
	{
		key: 'define1',
		label: 'uContact defineBelow C=1',
		node: { type: 'uContact', mappingMode: 'defineBelow', concurrency: 1 },
	},
	{
		key: 'httpAll',
		label: 'HTTP Request unbatched',
		node: { type: 'httpRequest', batchSize: 0, batchInterval: 0 },
	},
	{
		key: 'httpBatch',
		label: 'HTTP Request {C} per {L} ms',
		node: { type: 'httpRequest', batchSize: 'C', batchInterval: 'L' },
	},
	// Skip Already Recorded Dispositions on vs off (issue 28): every run claims each disposition in
	// n8n's deduplication store; with Skip on a new claim is also read back after a settle delay.
	{
		key: 'autoMapSkipOffC',
		label: 'uContact autoMap C={C}, Skip off',
		node: {
			type: 'uContact',
			mappingMode: 'autoMapInputData',
			concurrency: 'C',
			options: { skipRecorded: false },
		},
		skip: 'bulk',
		distinct: true,
	},
	{
		key: 'autoMapSkipOnC',
		label: 'uContact autoMap C={C}, Skip on',
		node: {
			type: 'uContact',
			mappingMode: 'autoMapInputData',
			concurrency: 'C',
			options: { skipRecorded: true },
		},
		skip: 'bulk',
		distinct: true,
	},
	{
		key: 'defineSkipOffC',
		label: 'uContact defineBelow 13 dragged, Skip off',
		node: {
			type: 'uContact',
			mappingMode: 'defineBelow',
			concurrency: 'C',
			options: { skipRecorded: false },
		},
		skip: 'webhook',
	},
	{
		key: 'defineSkipOnC',
		label: 'uContact defineBelow 13 dragged, Skip on',
		node: {
			type: 'uContact',
			mappingMode: 'defineBelow',
			concurrency: 'C',
			options: { skipRecorded: true },
		},
		skip: 'webhook',
	},
	{
		key: 'defineSkipOffFullC',
		label: 'uContact defineBelow 13 dragged, Skip off, full record',
		node: {
			type: 'uContact',
			mappingMode: 'defineBelow',
			concurrency: 'C',
			options: { skipRecorded: false },
		},
		skip: 'webhook',
		fullRecord: true,
	},
	{
		key: 'defineSkipOnFullC',
		label: 'uContact defineBelow 13 dragged, Skip on, full record',
		node: {
			type: 'uContact',
			mappingMode: 'defineBelow',
			concurrency: 'C',
			options: { skipRecorded: true },
		},
		skip: 'webhook',
		fullRecord: true,
	},
];

/** The scenarios of the main table (the Skip part's rows run on their own). */
export const MAIN_SCENARIOS = SCENARIOS.filter((s) => s.skip === undefined);

export function scenario(key: string): Scenario {
	const found = SCENARIOS.find((s) => s.key === key);
	if (!found) throw new Error(`no bench scenario "${key}"`);
	return found;
}

const value = (setting: Setting, settings: Settings): number =>
	setting === 'C' ? settings.concurrency : setting === 'L' ? settings.latency : setting;

export function labelOf(s: Scenario, settings: Settings): string {
	return s.label
		.replace('{C}', String(settings.concurrency))
		.replace('{L}', String(settings.latency));
}

/** Whether the scenario's node sends one DispositionCall per item (the baseline sends none). */
export const sends = (s: Scenario): boolean => s.node.type !== 'noOp';

export interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
}

export interface Target {
	/** The simulator's URL and token, for the HTTP Request node. */
	url: string;
	token: string;
	/** The stored uContact credential, for the node under test. */
	credential: { id: string; name: string };
}

function node(
	name: string,
	type: string,
	typeVersion: number,
	x: number,
	parameters: Record<string, unknown>,
	extra: Partial<WorkflowNode> = {},
): WorkflowNode {
	return {
		id: `bench-${name.replace(/\W/g, '-')}`,
		name,
		type,
		typeVersion,
		position: [x, 0],
		parameters,
		...extra,
	};
}

const REQUIRED_KEYS: readonly string[] = ['campaign', 'agent', 'callerid', 'guid', 'l1'];
// Text a user would type once for every call: the values of a call that schedules nothing.
const TYPED = makeCall(1);

function fieldValue(key: string, style: FieldStyle, read: string): string {
	if (style === 'evaluated') return `={{ (0, $json.${read}${key}) }}`;
	if (style === 'mixed' && !REQUIRED_KEYS.includes(key)) return TYPED[key as keyof Call];
	return `={{ $json.${read}${key} }}`;
}

/**
 * The node for the "Under Test" slot. `read` is where the item holds the call: '' (the item
 * itself, as the Code node makes it) or 'body.' (a Webhook node's output).
 */
export function underTestNode(
	s: Scenario,
	settings: Settings,
	target: Target,
	read: '' | 'body.' = '',
): WorkflowNode {
	const spec = s.node;
	const expression = (key: string): string => `={{ $json.${read}${key} }}`;
	if (spec.type === 'noOp') return node(UNDER_TEST, 'n8n-nodes-base.noOp', 1, 0, {});
	if (spec.type === 'ceiling') {
		return node(UNDER_TEST, CEILING_TYPE, 1, 0, {
			baseUrl: target.url,
			token: target.token,
			concurrency: value(spec.concurrency, settings),
			callProperty: read === '' ? '' : 'body',
		});
	}
	if (spec.type === 'httpRequest') {
		const batchSize = value(spec.batchSize, settings);
		const batchInterval = value(spec.batchInterval, settings);
		return node(UNDER_TEST, 'n8n-nodes-base.httpRequest', 4.2, 0, {
			method: 'POST',
			url: target.url + DISPOSITION_PATH,
			sendHeaders: true,
			headerParameters: { parameters: [{ name: 'Authorization', value: `Basic ${target.token}` }] },
			sendBody: true,
			contentType: 'form-urlencoded',
			bodyParameters: {
				parameters: DISPOSITION_KEYS.map((key) => ({ name: key, value: expression(key) })),
			},
			options: {
				// The simulator answers "OK" as a JSON string; the node's JSON mode wants an object.
				response: { response: { responseFormat: 'text' } },
				...(batchSize ? { batching: { batch: { batchSize, batchInterval } } } : {}),
			},
		});
	}
	// The node's own fields are the keys up to l3; the rest are its additional fields.
	const fields = DISPOSITION_KEYS.slice(0, DISPOSITION_KEYS.indexOf('l3') + 1);
	const additional = DISPOSITION_KEYS.slice(fields.length);
	const parameters: Record<string, unknown> =
		spec.mappingMode === 'autoMapInputData'
			? { mappingMode: 'autoMapInputData' }
			: {
					mappingMode: 'defineBelow',
					...Object.fromEntries(
						fields.map((k) => [k, fieldValue(k, spec.fields ?? 'dragged', read)]),
					),
					additionalFields: Object.fromEntries(
						additional.map((k) => [k, fieldValue(k, spec.fields ?? 'dragged', read)]),
					),
				};
	parameters.options = { concurrency: value(spec.concurrency, settings), ...spec.options };
	return node(UNDER_TEST, 'n8n-nodes-ucontact.uContactDisposition', 1, 0, parameters, {
		credentials: { uContactApi: { id: target.credential.id, name: target.credential.name } },
	});
}

/**
 * Manual Trigger -> "Finished Calls" (a Code node generating `count` calls) -> `underTest`.
 * `distinct`: each execution's calls get guids of their own (from the execution id), so no two
 * runs send the same disposition; the other fields are makeCall's.
 */
export function workflowJson(
	name: string,
	count: number,
	underTest: WorkflowNode,
	distinct = false,
): Record<string, unknown> {
	const jsCode =
		`${makeCall.toString()}\n` +
		`const calls = [];\n` +
		(distinct
			? `const run = Number($execution.id) * 1000000;\n` +
				`for (let i = 0; i < ${count}; i++) {\n` +
				`  const call = makeCall(i);\n` +
				`  call.guid = '00000000-0000-4000-8000-' + String(run + i).padStart(12, '0');\n` +
				`  calls.push({ json: call });\n` +
				`}\n`
			: `for (let i = 0; i < ${count}; i++) calls.push({ json: makeCall(i) });\n`) +
		`return calls;\n`;
	return {
		name,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			node(TRIGGER, 'n8n-nodes-base.manualTrigger', 1, 0, {}),
			node(SOURCE, 'n8n-nodes-base.code', 2, 220, {
				mode: 'runOnceForAllItems',
				language: 'javaScript',
				jsCode,
			}),
			{ ...underTest, name: UNDER_TEST, id: 'bench-under-test', position: [440, 0] },
		],
		connections: {
			[TRIGGER]: { main: [[{ node: SOURCE, type: 'main', index: 0 }]] },
			[SOURCE]: { main: [[{ node: UNDER_TEST, type: 'main', index: 0 }]] },
		},
	};
}

export const WEBHOOK = 'Call Ended';

/**
 * Webhook (POST `path`, answering with the last node's output) -> `underTest`: the production
 * shape, one finished call per execution. `underTest` reads the call from `$json.body`.
 */
export function webhookWorkflowJson(
	name: string,
	path: string,
	webhookId: string,
	underTest: WorkflowNode,
): Record<string, unknown> {
	return {
		name,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				...node(WEBHOOK, 'n8n-nodes-base.webhook', 2, 0, {
					httpMethod: 'POST',
					path,
					responseMode: 'lastNode',
					options: {},
				}),
				webhookId,
			},
			{ ...underTest, name: UNDER_TEST, id: 'bench-under-test', position: [220, 0] },
		],
		connections: { [WEBHOOK]: { main: [[{ node: UNDER_TEST, type: 'main', index: 0 }]] } },
	};
}
