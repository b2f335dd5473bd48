/**
 * Every option × every way a user gives it, through n8n's engine against the simulator: a value
 * that cannot be read as the option's type, or is out of its range, is refused before the first
 * request, naming the option; an accepted one does what it says (observed on the wire or in the
 * node's debug log of the run's options). No Dry Run row ever reaches the simulator.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { harnessLogger } from '../support/harness';
import {
	call,
	errorKindOf,
	MAPPED,
	runDisposition,
	tokenCredentials,
} from '../support/runDisposition';
import { useSimulator } from '../support/useSimulator';

const sim = useSimulator();
beforeEach(() => {
	harnessLogger.clear();
});

/** How a row gives the option: unset, a literal in the saved workflow, or an expression. */
type Given = { unset: true } | { literal: unknown } | { expression: string };

interface Row {
	option: string;
	/** As the message must name it. */
	label: string;
	given: Given;
	/** The value the node must use, or 'refused'. */
	expect: number | boolean | 'refused';
}

const NUMBER_WAYS = (
	name: string,
	accepted: { default: number; literal: number; min: number; max: number },
	extra: Partial<Record<string, number | 'refused'>> = {},
): Array<[string, Given, number | 'refused']> => {
	const rows: Array<[string, Given, number | 'refused']> = [
		['default', { unset: true }, accepted.default],
		['a valid literal', { literal: accepted.literal }, accepted.literal],
		['its minimum', { literal: accepted.min }, accepted.min],
		['its maximum', { literal: accepted.max }, accepted.max],
		['below its minimum', { literal: accepted.min - 1 }, extra.belowMin ?? 'refused'],
		['above its maximum', { literal: accepted.max + 1 }, 'refused'],
		['a fraction', { literal: accepted.min + 0.5 }, 'refused'],
		['a negative', { literal: -3 }, 'refused'],
		['0', { literal: 0 }, accepted.min <= 0 ? 0 : 'refused'],
		[
			'an expression giving a number',
			{ expression: `={{ ${accepted.literal} }}` },
			accepted.literal,
		],
		['a numeric string', { expression: `={{ "${accepted.literal}" }}` }, accepted.literal],
		['a numeric string literal', { literal: ` ${accepted.literal} ` }, accepted.literal],
		['a non-numeric string', { expression: '={{ "five" }}' }, 'refused'],
		['an empty string', { expression: '={{ "" }}' }, 'refused'],
		['a boolean', { expression: '={{ true }}' }, 'refused'],
		['null', { expression: '={{ null }}' }, 'refused'],
		['nothing (a missing field)', { expression: '={{ $json.nothingHere }}' }, 'refused'],
		['an object', { expression: '={{ { value: 3 } }}' }, 'refused'],
		['NaN', { expression: '={{ NaN }}' }, 'refused'],
		['Infinity', { expression: '={{ Infinity }}' }, 'refused'],
		['a huge number', { expression: '={{ 1e21 }}' }, 'refused'],
		['a hexadecimal string', { expression: '={{ "0x10" }}' }, 'refused'],
	];
	return rows.map(([way, given, value]) => [`${name}: ${way}`, given, extra[way] ?? value]);
};

const BOOLEAN_WAYS = (name: string): Array<[string, Given, boolean | 'refused']> =>
	(
		[
			['default', { unset: true }, false],
			['true', { literal: true }, true],
			['false', { literal: false }, false],
			['an expression giving true', { expression: '={{ 1 < 2 }}' }, true],
			['"true" (a query parameter)', { expression: '={{ "true" }}' }, true],
			['"TRUE"', { expression: '={{ "TRUE" }}' }, true],
			['"false"', { expression: '={{ "false" }}' }, false],
			['1', { expression: '={{ 1 }}' }, true],
			['0', { expression: '={{ 0 }}' }, false],
			['"1"', { expression: '={{ "1" }}' }, true],
			['"yes"', { expression: '={{ "yes" }}' }, 'refused'],
			['"on"', { expression: '={{ "on" }}' }, 'refused'],
			['2', { expression: '={{ 2 }}' }, 'refused'],
			['a fraction', { expression: '={{ 0.5 }}' }, 'refused'],
			['an empty string', { expression: '={{ "" }}' }, 'refused'],
			['null', { expression: '={{ null }}' }, 'refused'],
			['nothing (a missing field)', { expression: '={{ $json.nothingHere }}' }, 'refused'],
			['an object', { expression: '={{ {} }}' }, 'refused'],
			['NaN', { expression: '={{ NaN }}' }, 'refused'],
			['a literal string "true"', { literal: 'true' }, true],
			['a literal string "yes"', { literal: 'yes' }, 'refused'],
		] as Array<[string, Given, boolean | 'refused']>
	).map(([way, given, value]) => [`${name}: ${way}`, given, value]);

const OPTIONS: Array<{
	option: string;
	label: string;
	ways: Array<[string, Given, number | boolean | 'refused']>;
}> = [
	{
		option: 'concurrency',
		label: 'Concurrency',
		ways: NUMBER_WAYS('Concurrency', { default: 5, literal: 3, min: 1, max: 50 }),
	},
	{
		option: 'batchSize',
		label: 'Batching > Items per Batch',
		ways: NUMBER_WAYS(
			'Items per Batch',
			{ default: -1, literal: 2, min: 1, max: 1_000_000 },
			// -1 is documented as "no batching", like the HTTP Request node's.
			{ 'a negative': 'refused' },
		).concat([['Items per Batch: -1 (no batching)', { literal: -1 }, -1]]),
	},
	{
		option: 'batchInterval',
		label: 'Batching > Batch Interval (Ms)',
		ways: NUMBER_WAYS('Batch Interval', { default: 1000, literal: 20, min: 0, max: 3_600_000 }),
	},
	{
		option: 'safeRetries',
		label: 'Safe Retries',
		ways: NUMBER_WAYS('Safe Retries', { default: 2, literal: 1, min: 0, max: 10 }),
	},
	{
		option: 'maxRetryWait',
		label: 'Max Retry Wait (Ms)',
		ways: NUMBER_WAYS('Max Retry Wait', { default: 30_000, literal: 10, min: 0, max: 3_600_000 }),
	},
	{
		option: 'timeout',
		label: 'Timeout',
		ways: NUMBER_WAYS('Timeout', { default: 30_000, literal: 5_000, min: 1, max: 3_600_000 }),
	},
	{ option: 'dryRun', label: 'Dry Run', ways: BOOLEAN_WAYS('Dry Run') },
	{
		option: 'resendUncertainOnRetry',
		label: 'Resend Uncertain Items',
		ways: BOOLEAN_WAYS('Resend Uncertain Items'),
	},
];

const BATCHING = new Set(['batchSize', 'batchInterval']);

/** The Options collection holding the row's value where the editor puts it. */
function optionsWith(option: string, given: Given): IDataObject {
	// A value as the saved workflow may hold it, whatever its type.
	type Saved = IDataObject[string];
	if ('unset' in given)
		return BATCHING.has(option) && option !== 'batchSize' ? { batching: { batch: {} } } : {};
	const value = ('literal' in given ? given.literal : given.expression) as Saved;
	if (BATCHING.has(option)) return { batching: { batch: { [option]: value } } };
	return { [option]: value };
}

const ROWS: Row[] = OPTIONS.flatMap(({ option, label, ways }) =>
	ways.map(
		([name, given, expect]) => ({ option, label, given, expect, name }) as Row & { name: string },
	),
);

function runOptionsLogged(): IDataObject | undefined {
	const entry = harnessLogger.entries.find(
		(e) => e.message === 'uContact Disposition: options of the run',
	);
	return entry?.meta as IDataObject | undefined;
}

/** The behaviour that makes an item option's value visible, and what the run must then show. */
async function runRow(row: Row, rowIndex: number) {
	const options = optionsWith(row.option, row.given);
	// Each row its own GUIDs: a request an earlier row timed out on may still land late.
	const items = [call(0, { guid: `row${rowIndex}-0` }), call(1, { guid: `row${rowIndex}-1` })];
	if (row.expect !== 'refused') {
		if (row.option === 'safeRetries') {
			sim.setBehaviour({ kind: 'status', status: 503 });
			options.maxRetryWait = 0;
		}
		if (row.option === 'maxRetryWait')
			sim.queue({ kind: 'status', status: 503, headers: { 'retry-after': '0.005' } });
		if (row.option === 'timeout') sim.setBehaviour({ kind: 'slow', ms: 30 });
	}
	const parameters = { ...MAPPED, options } as INodeParameters;
	return await runDisposition({
		parameters,
		items: row.option === 'maxRetryWait' ? [items[0]] : items,
		credentials: tokenCredentials(sim),
	});
}

describe('every option, given every way', () => {
	it.each(ROWS.map((row, index) => [(row as Row & { name: string }).name, row, index] as const))(
		'%s',
		async (_name, row, rowIndex) => {
			const result = await runRow(row, rowIndex);
			const ours = (records: typeof sim.requests) =>
				records.filter((r) => r.fields.guid?.startsWith(`row${rowIndex}-`));
			const requests = ours(sim.requests);
			const dispositions = ours(sim.dispositions);
			if (row.expect === 'refused') {
				expect(result.error?.message).toMatch(
					new RegExp(`^Options > ${row.label.replace(/[()>]/g, '\\$&')} (is |: its expression)`),
				);
				expect(result.error?.message).toMatch(/\(item 1\)$/);
				expect(requests).toHaveLength(0);
				return;
			}
			const value = row.expect;
			switch (row.option) {
				case 'dryRun':
					expect(result.error).toBeUndefined();
					expect(result.items.map((item) => item.json.dryRun)).toEqual([value, value]);
					expect(requests).toHaveLength(value ? 0 : 2);
					return;
				case 'safeRetries':
					expect(requests.filter((r) => r.fields.guid === `row${rowIndex}-0`)).toHaveLength(
						(value as number) + 1,
					);
					expect(result.error).toMatchObject({ httpCode: '503' });
					return;
				case 'maxRetryWait':
					// Retry-After asks for 5 ms: waited for when allowed, else the item fails at once.
					if ((value as number) >= 5) {
						expect(result.error).toBeUndefined();
						expect(requests).toHaveLength(2);
					} else {
						expect(result.error).toMatchObject({ httpCode: '503' });
						expect(requests).toHaveLength(1);
					}
					return;
				case 'timeout':
					// The simulator answers after 30 ms.
					if ((value as number) < 30) {
						expect(errorKindOf(result.error)).toBe('maybe-recorded');
					} else {
						expect(result.error).toBeUndefined();
						expect(dispositions).toHaveLength(2);
					}
					return;
				default:
					expect(result.error).toBeUndefined();
					expect(dispositions).toHaveLength(2);
					expect(runOptionsLogged()?.[row.option]).toBe(value);
			}
		},
	);
});

describe('options read once for the run', () => {
	it.each([
		['Concurrency', { concurrency: '={{ $json.c }}' }],
		['Batching > Items per Batch', { batching: { batch: { batchSize: '={{ $json.c }}' } } }],
		['Resend Uncertain Items', { resendUncertainOnRetry: '={{ $json.c > 2 }}' }],
	])(
		'refuse %s when an expression gives items different values, before sending',
		async (label, options) => {
			const result = await runDisposition({
				parameters: { ...MAPPED, options },
				items: [call(0, { c: 2 }), call(1, { c: 2 }), call(2, { c: 3 })],
				credentials: tokenCredentials(sim),
			});
			expect(result.error?.message).toMatch(
				new RegExp(
					`^Options > ${label.replace(/[()>]/g, '\\$&')} is read once for the whole run, but its expression gives .* for the first item and .* here: make it the same for every item \\(item 3\\)$`,
				),
			);
			expect(sim.requests).toHaveLength(0);
		},
	);

	it('take an expression that gives every item the same value', async () => {
		const result = await runDisposition({
			parameters: { ...MAPPED, options: { concurrency: '={{ $json.c }}' } },
			items: [call(0, { c: '2' }), call(1, { c: 2 })],
			credentials: tokenCredentials(sim),
		});
		expect(result.error).toBeUndefined();
		expect(runOptionsLogged()?.concurrency).toBe(2);
		expect(sim.dispositions).toHaveLength(2);
	});

	it('with Continue (regular output), give every item the refusal, naming the item that gave it', async () => {
		const result = await runDisposition({
			parameters: { ...MAPPED, options: { concurrency: '={{ $json.c }}' } },
			items: [call(0, { c: 2 }), call(1, { c: 'five' })],
			credentials: tokenCredentials(sim),
			continueOnFail: true,
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.error)).toEqual([
			'Not sent, because of item 2: Options > Concurrency is "five": give a whole number from 1 to 50 (item 1)',
			'Options > Concurrency is "five": give a whole number from 1 to 50 (item 2)',
		]);
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(sim.requests).toHaveLength(0);
	});
});

describe('options read per item', () => {
	it('Dry Run by an expression: only the items it is true for are sent', async () => {
		const result = await runDisposition({
			parameters: { ...MAPPED, options: { dryRun: '={{ $json.dry }}' } },
			items: [call(0, { dry: 'true' }), call(1, { dry: 'false' }), call(2, { dry: 1 })],
			credentials: tokenCredentials(sim),
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => [item.json.dryRun, item.json.success])).toEqual([
			[true, false],
			[false, true],
			[true, false],
		]);
		expect(sim.requests.map((r) => r.fields.guid)).toEqual(['guid-1']);
	});

	it('a refused Dry Run on one item stops the run before anything is sent', async () => {
		const result = await runDisposition({
			parameters: { ...MAPPED, options: { dryRun: '={{ $json.dry }}' } },
			items: [call(0, { dry: false }), call(1, { dry: 'yes' })],
			credentials: tokenCredentials(sim),
		});
		expect(result.error?.message).toBe('Options > Dry Run is "yes": give true or false (item 2)');
		expect(sim.requests).toHaveLength(0);
	});

	it('an expression that throws is named', async () => {
		const result = await runDisposition({
			parameters: { ...MAPPED, options: { timeout: '={{ $json.( }}' } },
			items: [call(0)],
			credentials: tokenCredentials(sim),
		});
		expect(result.error?.message).toMatch(
			/^Options > Timeout: its expression could not be evaluated: /,
		);
		expect(sim.requests).toHaveLength(0);
	});
});
