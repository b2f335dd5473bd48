import type { INodeProperties } from 'n8n-workflow';

import { dispositionProperties } from '../../../../nodes/UContactDisposition/description';
import {
	checkOption,
	defaultOf,
	OPTIONS,
} from '../../../../nodes/UContactDisposition/input/options';

/** The Options collection a node of `version` shows. */
const collectionOf = (version: number) =>
	dispositionProperties.find(
		(property) =>
			property.name === 'options' &&
			(property.displayOptions?.show?.['@version'] as number[]).includes(version),
	);

/** The editor's field for an option of a node of `version`, found by its path below Options. */
function field(path: string[], version: number): INodeProperties {
	let properties = [collectionOf(version)].filter((found) => found !== undefined);
	let found: INodeProperties | undefined;
	for (const name of ['options', ...path]) {
		found = properties.find((property) => property.name === name);
		if (found === undefined) throw new Error(`no field ${name}`);
		const nested = (found.options ??
			(found as { values?: unknown[] }).values ??
			[]) as INodeProperties[];
		properties = nested.flatMap((entry) =>
			'values' in entry ? [entry, ...(entry.values as INodeProperties[])] : [entry],
		);
	}
	return found as INodeProperties;
}

describe('the editor shows each option as options.ts defines it, in either node version', () => {
	const rows = [1, 2].flatMap((version) =>
		Object.entries(OPTIONS).map(([name, spec]) => [name, version, spec] as const),
	);
	it.each(rows)('%s, version %d', (_name, version, spec) => {
		const ui = field(spec.path, version);
		if (spec.kind === 'number') {
			expect(ui.type).toBe('number');
			// Items per Batch: the editor fills 50 in once Batching is added; without it, no batching.
			expect(ui.default).toBe(defaultOf<number>(spec, version));
			expect(ui.typeOptions).toEqual({
				minValue: spec.special?.value ?? spec.min,
				maxValue: spec.max,
				numberPrecision: 0,
			});
			// The range is the editor's to enforce (typeOptions); the description speaks plainly.
		} else {
			expect(ui.type).toBe(spec.kind === 'boolean' ? 'boolean' : 'options');
			expect(ui.default).toBe(defaultOf<unknown>(spec, version));
		}
		expect(ui.description?.includes('The same for the whole run')).toBe(spec.scope === 'run');
	});
});

describe('checkOption', () => {
	it.each([
		[true, true],
		[false, false],
		['true', true],
		['TRUE', true],
		[' 1 ', true],
		['false', false],
		[1, true],
		[0, false],
		['1', true],
		['0', false],
	])('Dry Run reads %j as n8n does: %s', (given, value) => {
		expect(checkOption(OPTIONS.dryRun, given)).toEqual({ ok: true, value });
	});

	it.each([
		['yes'],
		['no'],
		[''],
		[' '],
		[' true'],
		[null],
		[undefined],
		[2],
		[-1],
		[0.5],
		[{}],
		[[]],
		[NaN],
	])('Dry Run refuses %j, which n8n would read as false or refuse', (given) => {
		expect(checkOption(OPTIONS.dryRun, given)).toMatchObject({
			ok: false,
			problem: expect.stringMatching(/^Options > Dry Run is .*: give true or false$/),
		});
	});

	it.each([
		[5, 5],
		['5', 5],
		[' 7 ', 7],
		['1e1', 10],
		[50, 50],
		[1, 1],
	])('Concurrency takes %j as %d', (given, value) => {
		expect(checkOption(OPTIONS.concurrency, given)).toEqual({ ok: true, value });
	});

	it.each([
		[0, 'out of range'],
		[51, 'out of range'],
		[1.5, 'fractions are not rounded'],
		['2.5', 'fractions are not rounded'],
		['five', 'give a whole number from 1 to 50'],
		['0x10', 'give a whole number'],
		[true, 'give a whole number'],
		[null, 'give a whole number'],
		[Infinity, 'give a whole number'],
		[1e21, 'out of range'],
	])('Concurrency refuses %j (%s)', (given, why) => {
		const result = checkOption(OPTIONS.concurrency, given);
		expect(result.ok).toBe(false);
		expect(!result.ok && result.problem).toContain(why);
	});

	it('Items per Batch takes -1 for no batching, and no other negative', () => {
		expect(checkOption(OPTIONS.batchSize, -1)).toEqual({ ok: true, value: -1 });
		expect(checkOption(OPTIONS.batchSize, -2).ok).toBe(false);
		expect(checkOption(OPTIONS.batchSize, 0).ok).toBe(false);
	});

	it('shows a long value cut, and says what is accepted', () => {
		const result = checkOption(OPTIONS.timeout, 'x'.repeat(100));
		expect(!result.ok && result.problem).toBe(
			`Options > Timeout is "${'x'.repeat(40)}…": give a whole number from 1 to 3600000`,
		);
	});
});
