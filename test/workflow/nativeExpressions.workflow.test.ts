/**
 * nodes/UContactDisposition/input/nativeExpressions.ts, differentially: random items times
 * random drag-and-drop expressions and near misses, each run twice through WorkflowExecute as a
 * dry run. Once as written (where the node may read `$json` paths itself), once with every
 * expression wrapped as `{{ (0, X) }}`, which the node never reads itself, so n8n evaluates it.
 * The two outputs must be equal, errors included, under n8n 2.x's expression engines (quickjs
 * only where jest runs with --experimental-vm-modules: see support/harness/expression-engine.ts),
 * in a plain run and as an agent's tool, where `$json` is the agent's item.
 */
import fc from 'fast-check';
import type { IDataObject, INodeParameters, NodeParameterValueType } from 'n8n-workflow';

import { harnessLogger } from '../support/harness';
import {
	quickJsAvailable,
	startVmExpressionEngine,
	stopExpressionEngines,
	useExpressionEngine,
	type EngineName,
} from '../support/harness/expression-engine';
import { runAsTool } from '../support/runAsTool';
import { runDisposition } from '../support/runDisposition';

const CREDENTIALS = {
	server: 'custom',
	baseUrl: 'http://127.0.0.1:9',
	authentication: 'token',
	token: 'never-sent',
};
const REQUIRED = ['campaign', 'agent', 'callerid', 'guid', 'l1'] as const;
const OPTIONAL = ['l2', 'l3'] as const;
const ADDITIONAL = ['d1', 'd2', 'comment', 'tag', 'camptoreschedule', 'schedule'] as const;

// Keys users have, keys the editor brackets, and keys that trip a naive reader.
const KEYS = [
	'Guid',
	'campaign',
	'agent',
	'body',
	'call',
	'a',
	'b',
	'$x',
	'_y',
	'número',
	'teléfono',
	'ñ',
	'日本',
	'a b',
	' lead',
	"it's",
	'say "hi"',
	'back\\slash',
	'émoji😀',
	'a.b',
	'a-b',
	'{x}',
	'a}}b',
	'',
	'0',
	'1',
	'2',
	'01',
	'1abc',
	'length',
	'toString',
	'valueOf',
	'hasOwnProperty',
	'then',
	'toJSON',
	'isEmpty',
	'map',
	'__proto__',
	'constructor',
	'prototype',
	'mainModule',
	'caller',
	'__x',
	// Letters newer than n8n's parser, and text quickjs alters (a lone surrogate, NUL).
	'\u0870',
	'\u{1E4D0}',
	'x\u0870',
	'a\uD800',
	'n\u0000ul',
];
const key = fc.constantFrom(...KEYS);

const primitive = fc.oneof(
	fc.string({ unit: 'grapheme', maxLength: 12 }),
	fc.constantFrom('Ventas->', '2026-12-01 15:30:00', ' padded ', '', '  ', 'null', 'OK'),
	fc.constantFrom('lone \uD800 high', '\uDC00low', 'nul\u0000cut', '\u0870\u{1E4D0}'),
	fc.integer({ min: -1000, max: 1_000_000_000 }),
	fc.double({ noDefaultInfinity: true }),
	fc.constantFrom(0, -0, 1.5, 1e21, Number.MAX_SAFE_INTEGER),
	fc.boolean(),
	fc.constant(null),
);

/** An object with own properties, `__proto__` and `constructor` included, as JSON.parse makes. */
function own(entries: Array<[string, unknown]>): IDataObject {
	const object: IDataObject = {};
	for (const [name, value] of entries)
		Object.defineProperty(object, name, {
			value,
			enumerable: true,
			writable: true,
			configurable: true,
		});
	return object;
}

const { tree } = fc.letrec((tie) => ({
	tree: fc.oneof({ depthSize: 'small' }, primitive, tie('object'), tie('list')),
	object: fc.array(fc.tuple(key, tie('tree')), { maxLength: 5 }).map(own),
	list: fc.array(tie('tree'), { maxLength: 4 }),
}));
const itemJson = fc.array(fc.tuple(key, tree), { maxLength: 8 }).map(own);

type Step = string | number;
const randomPath = fc.array(fc.oneof(key, fc.nat({ max: 4 })), { minLength: 1, maxLength: 4 });

/** Every path to a value in this JSON, as steps, so that many expressions find something. */
function pathsIn(value: unknown, prefix: Step[] = [], found: Step[][] = []): Step[][] {
	if (prefix.length > 0) found.push(prefix);
	// Steps into a string or onto a list's length: n8n reads them, own properties or not.
	if (typeof value === 'string' || Array.isArray(value))
		found.push([...prefix, 'length'], [...prefix, 0]);
	if (typeof value === 'object' && value !== null && prefix.length < 4) {
		for (const name of Object.keys(value))
			pathsIn(
				(value as IDataObject)[name],
				[...prefix, Array.isArray(value) ? Number(name) : name],
				found,
			);
	}
	return found;
}

const blanks = fc.constantFrom('', ' ', '  ', '\t', '\n', ' \n ', '\u00a0', '\u2028');
const quote = fc.constantFrom("'", '"');

/** One step as the editor writes it (dot or brackets), or a variant a user might type. */
const rendered = (step: Step, style: number, q: string): string => {
	if (typeof step === 'number') return style === 3 ? `["${step}"]` : `[${step}]`;
	const escaped = step.replaceAll('\\', '\\\\').replaceAll(q, `\\${q}`);
	if (style === 0) return `.${step}`;
	if (style === 4) return `[${q}${step}${q}]`; // unescaped: often not valid
	return `[${q}${escaped}${q}]`;
};

function fieldValueArb(known: Step[][]) {
	const path = known.length > 0 ? fc.oneof(fc.constantFrom(...known), randomPath) : randomPath;
	const dragged = fc
		.tuple(
			path,
			fc.array(fc.nat({ max: 4 }), { minLength: 4, maxLength: 4 }),
			quote,
			blanks,
			blanks,
		)
		.map(([steps, styles, q, before, after]) => {
			const chain = steps.map((step, index) => rendered(step, styles[index % 4], q)).join('');
			return `={{${before}$json${chain}${after}}}`;
		});
	const brackets = (steps: Step[]) => steps.map((s) => `[${JSON.stringify(s)}]`).join('');
	const nearMiss = fc.oneof(
		dragged.map((value) => value.slice(1)), // no leading "=": a literal
		dragged.map((value) => `${value} `), // text after the braces
		dragged.map((value) => `=x${value.slice(1)}`), // text before
		dragged.map((value) => `${value}${value.slice(1)}`), // two expressions
		fc
			.tuple(
				dragged,
				fc.constantFrom(
					" ?? 'none'",
					'.toUpperCase()',
					'?.x',
					' + 1',
					'.length',
					'[0]',
					'.isEmpty()',
				),
			)
			.map(([value, tail]) => `${value.slice(0, -2).trimEnd()}${tail} }}`),
		path.map((steps) => `={{ $json?.${steps.join('?.')} }}`),
		path.map((steps) => `={{ $input.item.json${brackets(steps)} }}`),
		path.map((steps) => `={{ $('Manual Trigger').item.json${brackets(steps)} }}`),
		fc.constantFrom(
			'={{ $json }}',
			'={{ $json[0] }}',
			'={{ $json.a.b.c }}',
			'={{ "lit" }}',
			'={{ 42 }}',
			'={{}}',
			'={{ $json. }}',
			'=plain',
		),
	);
	return fc.oneof(
		{ weight: 4, arbitrary: dragged },
		{ weight: 2, arbitrary: nearMiss },
		{ weight: 1, arbitrary: fc.constantFrom('Venta', '') },
	);
}

const LITERALS: Record<(typeof REQUIRED)[number], string> = {
	campaign: 'Ventas->',
	agent: 'ana',
	callerid: '598',
	guid: 'g-1',
	l1: 'Venta',
};
const FIELDS = [...REQUIRED, ...OPTIONAL, ...ADDITIONAL];

/**
 * A few fields (one to three) under test, the other required ones literal: an item then fails
 * only because of a field under test, so each field's own result shows in the output.
 */
function parametersArb(known: Step[][]) {
	const fieldValue = fieldValueArb(known);
	return fc
		.uniqueArray(fc.tuple(fc.constantFrom(...FIELDS), fieldValue), {
			minLength: 1,
			maxLength: 3,
			selector: ([field]) => field,
		})
		.map((tested): INodeParameters => {
			const parameters: INodeParameters = { ...LITERALS };
			const additionalFields: IDataObject = {};
			for (const [field, value] of tested) {
				if ((ADDITIONAL as readonly string[]).includes(field)) additionalFields[field] = value;
				else parameters[field] = value;
			}
			parameters.additionalFields = additionalFields as NodeParameterValueType;
			parameters.options = { dryRun: true, scheduleTimezone: 'America/Montevideo' };
			return parameters;
		});
}

/** Items, and the node's parameters with paths drawn from the first item and at random. */
const scenario = fc
	.array(itemJson, { minLength: 1, maxLength: 3 })
	.chain((items) => fc.tuple(fc.constant(items), parametersArb(pathsIn(items[0])), fc.boolean()));

/** The same expression, forced through n8n's evaluator: `{{ X }}` becomes `{{ (0, X) }}`. */
function forced(value: unknown): unknown {
	if (typeof value !== 'string') return value;
	const single = /^=\{\{([\s\S]*)\}\}$/u.exec(value);
	if (!single || single[1].includes('{{') || single[1].includes('}}')) return value;
	return `={{ (0, ${single[1]}) }}`;
}

function forcedParameters(parameters: INodeParameters): INodeParameters {
	const copy: INodeParameters = {};
	for (const [name, value] of Object.entries(parameters)) {
		if (name === 'options') copy[name] = value;
		else if (name === 'additionalFields')
			copy[name] = Object.fromEntries(
				Object.entries(value as IDataObject).map(([k, v]) => [k, forced(v)]),
			) as NodeParameterValueType;
		else copy[name] = forced(value) as string;
	}
	return copy;
}

const nativeFieldsLogged = (): number =>
	harnessLogger.entries
		.filter((entry) => entry.message.startsWith('uContact Disposition: fields read from the item'))
		.reduce((sum, entry) => sum + ((entry.meta?.fields as string[] | undefined)?.length ?? 0), 0);

async function outputOf(
	parameters: INodeParameters,
	items: IDataObject[],
	continueOnFail: boolean,
) {
	const result = await runDisposition({
		parameters,
		items,
		credentials: CREDENTIALS,
		continueOnFail,
	});
	return {
		items: result.items.map((item) => ({ json: item.json, pairedItem: item.pairedItem })),
		error: result.error && {
			message: result.error.message,
			description: (result.error as { description?: unknown }).description,
		},
	};
}

const ENGINES: EngineName[] = ['legacy', 'vm', ...(quickJsAvailable ? (['quickjs'] as const) : [])];

/** The same parameters as an agent's tool, the items being the agent's: its calls' answers. */
async function toolOutputOf(
	parameters: INodeParameters,
	items: IDataObject[],
	continueOnFail: boolean,
) {
	const { calls } = await runAsTool({
		parameters,
		agentItems: items,
		script: [[{}]],
		credentials: CREDENTIALS,
		nodeSettings: continueOnFail ? { onError: 'continueRegularOutput' } : {},
	});
	return calls;
}

// 250 runs take 15-20 s alone on this machine kind; with the other suites sharing 2 cores in CI
// the vm engine took over 30 s. This bounds a hang, not a speed.
const PROPERTY_TIMEOUT = 300_000;

const TRICKY_NAMES = [
	'__proto__',
	'constructor',
	'prototype',
	'mainModule',
	'caller',
	'callee',
	'arguments',
	'getPrototypeOf',
	'defineProperty',
	'binding',
	'_load',
	'__lookupGetter__',
	'__x',
	'toString',
	'valueOf',
	'hasOwnProperty',
	'isPrototypeOf',
	'length',
	'map',
	'at',
	'concat',
];

beforeAll(startVmExpressionEngine);
afterAll(stopExpressionEngines);

describe.each(ENGINES)('under the %s expression engine', (engine) => {
	beforeEach(async () => await useExpressionEngine(engine));

	it.each(['\u0870', '\u{1E4D0}'])(
		"a dotted name with %s, a letter newer than n8n's parser: n8n's result, its error included",
		async (letter) => {
			const items = [
				own([
					[letter, 'Venta'],
					['body', own([[letter, 'Venta']])],
				]),
			];
			for (const expression of [
				`={{ $json.${letter} }}`,
				`={{ $json.body.${letter} }}`,
				`={{ $json.body.a${letter} }}`,
			]) {
				const parameters: INodeParameters = {
					...LITERALS,
					l2: expression,
					options: { dryRun: true },
				};
				harnessLogger.clear();
				const asWritten = await outputOf(parameters, items, false);
				expect({ expression, native: nativeFieldsLogged() }).toEqual({ expression, native: 0 });
				const byN8n = await outputOf(forcedParameters(parameters), items, false);
				expect({ expression, ...asWritten }).toEqual({ expression, ...byN8n });
				expect(asWritten.error?.message).toMatch(/could not be evaluated/);
			}
		},
	);

	it(
		"as an agent's tool, gives n8n's results for random items and expressions, errors included",
		async () => {
			await fc.assert(
				fc.asyncProperty(scenario, async ([items, parameters, continueOnFail]) => {
					const asWritten = await toolOutputOf(parameters, items, continueOnFail);
					const byN8n = await toolOutputOf(forcedParameters(parameters), items, continueOnFail);
					expect(asWritten).toEqual(byN8n);
				}),
				{ numRuns: 60 },
			);
		},
		PROPERTY_TIMEOUT,
	);

	it('n8n evaluates the forced run, and the native path is taken for drag-and-drop shapes', async () => {
		harnessLogger.clear();
		const parameters: INodeParameters = {
			campaign: '={{ $json.body.campaign }}',
			agent: "={{ $json['body']['agent'] }}",
			callerid: '={{$json.body.callerid}}',
			guid: '={{ $json.body.Guid }}',
			l1: '={{ $json.body.levels[0] }}',
			additionalFields: { comment: '={{ $json.body["it\'s"] }}' },
			options: { dryRun: true },
		};
		const items = [
			{
				body: {
					campaign: 'Ventas->',
					agent: 'ana',
					callerid: 598,
					Guid: 'g-1',
					levels: ['Venta'],
					"it's": 'ok',
				},
			},
		];
		const native = await outputOf(parameters, items, false);
		expect(nativeFieldsLogged()).toBe(6);
		harnessLogger.clear();
		const byN8n = await outputOf(forcedParameters(parameters), items, false);
		expect(nativeFieldsLogged()).toBe(0);
		expect(native).toEqual(byN8n);
		expect(native.items[0].json).toMatchObject({
			disposition: {
				campaign: 'Ventas->',
				agent: 'ana',
				callerid: '598',
				guid: 'g-1',
				l1: 'Venta',
				comment: 'ok',
			},
		});
	});

	// Each of these names is present as the item's own key, yet n8n's sandbox refuses it or reads
	// something other than the key (a string's length, a list's method): the node must leave
	// them to n8n, and the outputs must match n8n's, the sandbox's "security concerns" included.
	it.each(TRICKY_NAMES)("leaves $json.%s to n8n, with n8n's result", async (name) => {
		const dotted = /^[A-Za-z_$][\w$]*$/u.test(name);
		for (const expression of [
			...(dotted ? [`={{ $json.${name} }}`, `={{ $json.body.${name} }}`] : []),
			`={{ $json[${JSON.stringify(name)}] }}`,
			`={{ $json.text[${JSON.stringify(name)}] }}`,
			`={{ $json.list[${JSON.stringify(name)}] }}`,
		]) {
			const items = [
				own([
					[name, 'own-top'],
					['body', own([[name, 'own-nested']])],
					['text', 'Venta'],
					['list', ['a', 'b']],
				]),
			];
			const parameters: INodeParameters = {
				...LITERALS,
				l2: expression,
				options: { dryRun: true },
			};
			harnessLogger.clear();
			const asWritten = await outputOf(parameters, items, true);
			expect({ expression, native: nativeFieldsLogged() }).toEqual({ expression, native: 0 });
			const byN8n = await outputOf(forcedParameters(parameters), items, true);
			expect({ expression, ...asWritten }).toEqual({ expression, ...byN8n });
		}
	});

	it(
		"gives n8n's results for random items and expressions, errors included",
		async () => {
			let nativeFields = 0;
			await fc.assert(
				fc.asyncProperty(scenario, async ([items, parameters, continueOnFail]) => {
					harnessLogger.clear();
					const asWritten = await outputOf(parameters, items, continueOnFail);
					nativeFields += nativeFieldsLogged();
					const byN8n = await outputOf(forcedParameters(parameters), items, continueOnFail);
					expect(asWritten).toEqual(byN8n);
				}),
				{ numRuns: 250 },
			);
			// The comparison means something only if the native path was taken often. The scenarios
			// are random: the count varies from run to run (55 seen in a busy CI run, 60 was the
			// bound); the bound catches a generator that stopped producing native shapes.
			console.log(`random items and expressions: ${nativeFields} fields took the native path`);
			expect(nativeFields).toBeGreaterThan(25);
		},
		PROPERTY_TIMEOUT,
	);
});
