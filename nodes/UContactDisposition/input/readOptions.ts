/**
 * Reading the Options collection as the user gave it, for each item, without n8n's coercion:
 * literals from the saved parameters, expressions evaluated, every value checked (options.ts)
 * before anything is sent.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import {
	checkOption,
	defaultOf,
	OPTIONS,
	shown,
	type BooleanSpec,
	type ItemOptions,
	type NumberSpec,
	type OptionsRead,
	type RunOptions,
	type TextSpec,
} from './options';

function isExpression(value: unknown): value is string {
	return typeof value === 'string' && value.startsWith('=');
}

function child(value: unknown, key: string): unknown {
	return typeof value === 'object' && value !== null && !Array.isArray(value)
		? (value as IDataObject)[key]
		: undefined;
}

/**
 * How one option is read for an item: `unset` when the user did not add it, else its raw value.
 * Literals are read from the parameters as saved; an expression anywhere along the path (the
 * option itself, or the collection holding it) is evaluated for that item, without n8n's type
 * coercion, so the checks here see what the expression really gave.
 */
function rawReader(
	context: IExecuteFunctions,
	saved: unknown,
	path: string[],
): (itemIndex: number) => { unset: true } | { unset: false; value: unknown } {
	let value: unknown = saved;
	for (let depth = 0; depth <= path.length; depth++) {
		if (isExpression(value)) {
			const expression = value;
			const rest = path.slice(depth);
			return (itemIndex) => {
				// evaluateExpression adds the leading "=" itself.
				let evaluated: unknown = context.evaluateExpression(expression.slice(1), itemIndex);
				for (const key of rest) evaluated = child(evaluated, key);
				return { unset: false, value: evaluated };
			};
		}
		if (depth === path.length) break;
		value = child(value, path[depth]);
		if (value === undefined) return () => ({ unset: true });
	}
	const literal = value;
	return () => ({ unset: false, value: literal });
}

type AnySpec = NumberSpec | BooleanSpec | TextSpec;

function optionReader(
	context: IExecuteFunctions,
	saved: unknown,
	name: string,
	spec: AnySpec,
	version: number,
): (itemIndex: number) => { ok: true; value: unknown } | { ok: false; problem: string } {
	const raw = rawReader(context, saved, spec.path);
	// Items per Batch and Batch Interval default to the values the editor fills in once
	// Batching is added; without Batching there is none.
	const batchingAdded = name === 'batchSize' ? rawReader(context, saved, ['batching']) : undefined;
	return (itemIndex) => {
		let given;
		try {
			given = raw(itemIndex);
		} catch (error) {
			const reason = error instanceof Error ? error.message : String(error);
			return {
				ok: false,
				problem: `Options > ${spec.label}: its expression could not be evaluated: ${reason}`,
			};
		}
		if (given.unset) {
			if (batchingAdded !== undefined && batchingAdded(itemIndex).unset) {
				return { ok: true, value: -1 };
			}
			return { ok: true, value: defaultOf<unknown>(spec, version) };
		}
		return checkOption(spec, given.value);
	};
}

/**
 * Reads the options of one scope for an item. `saved` is the Options collection as saved (the
 * node's parameters, read once by the caller: n8n copies the whole node on every getNode()).
 * Without an expression in it, every item has the same options, checked once.
 */
function readerFor<T>(
	context: IExecuteFunctions,
	saved: unknown,
	scope: 'run' | 'item',
	version: number,
): (itemIndex: number) => OptionsRead<T> {
	const readers = Object.entries(OPTIONS)
		.filter(([, spec]) => spec.scope === scope)
		.map(
			([name, spec]) =>
				[name, optionReader(context, saved, name, spec as AnySpec, version)] as const,
		);
	const read = (itemIndex: number): OptionsRead<T> => {
		const options: Record<string, unknown> = {};
		for (const [name, readOne] of readers) {
			const result = readOne(itemIndex);
			if (!result.ok) return result;
			options[name] = result.value;
		}
		return { ok: true, options: options as T };
	};
	if (hasExpression(saved)) return read;
	const same = read(0);
	return () => same;
}

/** The options of each item, checked. */
export function itemOptionsReader(
	context: IExecuteFunctions,
	saved: unknown,
	version: number,
): (itemIndex: number) => OptionsRead<ItemOptions> {
	return readerFor<ItemOptions>(context, saved, 'item', version);
}

/**
 * The options of the run, checked for every item when an expression gives them: items that
 * disagree are refused rather than silently run with item 0's value, since a run cannot have two
 * concurrencies and a user who wrote an expression meant it to matter.
 */
export function readRunOptions(
	context: IExecuteFunctions,
	saved: unknown,
	itemCount: number,
	version: number,
): { ok: true; options: RunOptions } | { ok: false; problem: string; itemIndex: number } {
	const read = readerFor<RunOptions>(context, saved, 'run', version);
	const perItem = hasExpression(saved);
	const first = read(0);
	if (!first.ok) return { ...first, itemIndex: 0 };
	for (let itemIndex = 1; perItem && itemIndex < itemCount; itemIndex++) {
		const other = read(itemIndex);
		if (!other.ok) return { ...other, itemIndex };
		for (const name of Object.keys(first.options) as Array<keyof RunOptions>) {
			if (other.options[name] !== first.options[name]) {
				return {
					ok: false,
					itemIndex,
					problem:
						`Options > ${OPTIONS[name as keyof typeof OPTIONS].label} is read once for the whole run, but its expression gives ` +
						`${shown(first.options[name])} for the first item and ${shown(other.options[name])} here: make it the same for every item`,
				};
			}
		}
	}
	return first;
}

function hasExpression(value: unknown): boolean {
	if (isExpression(value)) return true;
	if (typeof value === 'object' && value !== null) return Object.values(value).some(hasExpression);
	return false;
}
