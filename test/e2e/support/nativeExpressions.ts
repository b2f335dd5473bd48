/**
 * Workflows for the native drag-and-drop path on the real n8n CLI: tricky items (a webhook-like
 * `body`, unicode, spaced and quoted keys, null on the way, missing keys, -0, 1e21, booleans,
 * own `constructor` and `__proto__` keys, strings and lists) into two uContact Disposition nodes:
 * "Dragged", whose fields are the shapes the node reads itself, and "Near misses", shapes it must
 * leave to n8n. Each workflow comes twice: as written, and with every expression forced through
 * n8n's evaluator as `{{ (0, X) }}`. Their outputs and what uContact receives must be equal.
 */
export const DRAGGED = 'Dragged';
export const NEAR_MISSES = 'Near misses';
export const CONSTRUCTOR = 'Own constructor key';
export const PROTO = 'Own __proto__ key';
/** Every uContact node in the workflow, in the order of the canvas. */
export const NODES = [DRAGGED, NEAR_MISSES, CONSTRUCTOR, PROTO];
const ITEMS_NODE = 'Tricky items';
const TRIGGER = 'Start';

// JSON.parse, as n8n's Webhook node parses a body: `__proto__` becomes an own key there.
const ITEMS_CODE = String.raw`const bodies = [
  '{"campaign":"Ventas->","agent name":"ana","phone":59899000001,"Guid":"native-0","levels":["Venta","Contado"],"it\'s":"ok","constructor":"own","__proto__":"own too"}',
  '{"campaign":"Ventas->","agent name":"ana","phone":"598","Guid":"native-1","levels":["Venta",null],"it\'s":null,"missing":null}',
  '{"campaign":"Ventas->","agent name":"bea","phone":1e21,"Guid":"native-2","levels":["No interesado",true],"it\'s":-0}',
  '{"campaign":"Ventas->","agent name":"bea","phone":false,"Guid":"native-3","levels":[],"it\'s":""}',
  '{"campaign":{"name":"Ventas->"},"agent name":"ana","phone":"598","Guid":"native-4","levels":["Venta"]}',
  '{"campaign":"Ventas->","agent name":"  ana  ","phone":"  598  ","Guid":"native-5","levels":["Volver a llamar"],"it\'s":"Ñandú 日本 😀"}',
];
return bodies.map((text, i) => ({ json: {
  body: JSON.parse(text),
  'número': i % 2 ? -0 : 1.5,
  'say "hi"': i === 3 ? null : 'hola ' + i,
  text: 'Venta',
  list: ['a', i],
  when: i === 5 ? '2026-12-01 15:30:00' : '',
} }));`;

/** Fields as n8n's editor writes them when dragged, quotes in keys escaped the editor's way. */
const DRAGGED_FIELDS = {
	campaign: '={{ $json.body.campaign }}',
	agent: "={{ $json['body']['agent name'] }}",
	callerid: '={{$json.body.phone}}',
	guid: '={{ $json.body.Guid }}',
	l1: '={{ $json.body.levels[0] }}',
	l2: '={{ $json.body.levels[1] }}',
	l3: "={{ \n $json.body['it\\'s'] \t}}",
	additionalFields: {
		d1: '={{ $json.número }}',
		d2: '={{ $json.body.missing.deeper }}',
		comment: '={{ $json["say \\"hi\\""] }}',
		tag: '={{ $json.list[1] }}',
		schedule: '={{ $json.when }}',
		camptoreschedule: '={{ $json.body.campaign }}',
	},
};

/** Shapes that look dragged but are not, or reach names n8n's sandbox treats its own way. */
const NEAR_MISS_FIELDS = {
	campaign: '={{ $json.body.campaign }} ',
	agent: "={{ $json.body['agent name'].trim() }}",
	callerid: '={{ $json.body.phone ?? "none" }}',
	guid: '={{ $json.body.Guid }}{{ "" }}',
	l1: '={{ $json.text.toString() }}',
	l2: '={{ $json.text.length }}',
	l3: '={{ $json.list.length }}',
	additionalFields: {
		d1: '={{ $json.body.levels.length }}',
		d2: '={{ $json["número"] * 1 }}',
		comment: '={{ $json?.body?.levels[0] }}',
		tag: "={{ $('Tricky items').item.json.body.Guid }}",
	},
};

/**
 * Own keys named as n8n's sandbox refuses: read there, they fail every item ("invalid
 * constructor function call" and the like), so each has a node of its own.
 */
const literalRequired = {
	campaign: 'Ventas->',
	agent: 'ana',
	callerid: '598',
	guid: '={{ $json.body.Guid }}',
	l1: 'Venta',
};
const CONSTRUCTOR_FIELDS = {
	...literalRequired,
	additionalFields: { d1: '={{ $json.body.constructor }}' },
};
const PROTO_FIELDS = {
	...literalRequired,
	additionalFields: { d2: '={{ $json.body["__proto__"] }}' },
};

/** `{{ X }}` as `{{ (0, X) }}`: the same value, but not a shape the node reads itself. */
function forced(value: unknown): unknown {
	if (typeof value === 'object' && value !== null)
		return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, forced(inner)]));
	if (typeof value !== 'string') return value;
	const single = /^=\{\{([\s\S]*)\}\}$/u.exec(value);
	if (!single || single[1].includes('{{') || single[1].includes('}}')) return value;
	return `={{ (0, ${single[1]}) }}`;
}

export function nativeExpressionWorkflow(
	id: string,
	how: 'asWritten' | 'forced',
	credential: { id: string; name: string },
) {
	const node = (name: string, fields: object, y: number, dryRun: boolean) => ({
		id: `${id}-${name.replace(/\W/gu, '')}`,
		name,
		type: 'n8n-nodes-ucontact.uContactDisposition',
		typeVersion: 1,
		position: [440, y],
		onError: 'continueRegularOutput',
		credentials: { uContactApi: credential },
		parameters: {
			...(how === 'forced' ? (forced(fields) as object) : fields),
			// One at a time: the two runs' requests can then be compared in order.
			options: { concurrency: 1, dryRun, scheduleTimezone: 'America/Montevideo' },
		},
	});
	return {
		id,
		name: `e2e: drag-and-drop expressions, ${how === 'forced' ? "forced through n8n's evaluator" : 'as written'}`,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: `${id}-start`,
				name: TRIGGER,
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: `${id}-items`,
				name: ITEMS_NODE,
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [220, 0],
				parameters: { jsCode: ITEMS_CODE },
			},
			node(DRAGGED, DRAGGED_FIELDS, 0, false),
			// Dry runs: the same guids must not be sent twice in one run.
			node(NEAR_MISSES, NEAR_MISS_FIELDS, 200, true),
			node(CONSTRUCTOR, CONSTRUCTOR_FIELDS, 400, true),
			node(PROTO, PROTO_FIELDS, 600, true),
		],
		connections: {
			[TRIGGER]: { main: [[{ node: ITEMS_NODE, type: 'main', index: 0 }]] },
			[ITEMS_NODE]: {
				main: [NODES.map((name) => ({ node: name, type: 'main', index: 0 }))],
			},
		},
	};
}

/** The fields the node's debug log says it read without n8n's evaluator, per node. */
export function nativeFieldsLogged(output: string): Record<string, string[]> {
	const found: Record<string, string[]> = {};
	for (const line of output.split('\n')) {
		if (!line.includes("fields read from the item without n8n's evaluator")) continue;
		const node = /"?node"?:\s*"([^"]+)"/u.exec(line)?.[1] ?? '?';
		const fields = /"?fields"?:\s*\[([^\]]*)\]/u.exec(line)?.[1] ?? '';
		found[node] = fields
			.split(',')
			.map((field) => field.trim().replace(/^['"]|['"]$/gu, ''))
			.filter(Boolean)
			.sort();
	}
	return found;
}

/**
 * The run data `n8n execute --rawOutput` prints when n8n logs at debug level: then the logger
 * colours it line by line and puts a time and level before it and its metadata after it.
 */
export function runFromDebugOutput(stdout: string): unknown {
	const lines = stdout.replace(/\u001b\[[0-9;]*m/gu, '').split('\n');
	const start = lines.findIndex((line) => /^\d\d:\d\d:\d\d\.\d+\s+info\s+\{$/u.test(line));
	if (start < 0) return null;
	const end = lines.findIndex((line, index) => index > start && /^\}( \{.*\})?$/u.test(line));
	if (end < 0) return null;
	return JSON.parse(['{', ...lines.slice(start + 1, end), '}'].join('\n'));
}
