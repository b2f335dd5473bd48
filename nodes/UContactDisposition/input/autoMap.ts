/**
 * "Map Automatically": each input item's JSON is read by key, with no per-field expressions
 * (n8n spends ~0.7 ms evaluating each expression, the ceiling for bulk runs). A key matches a
 * disposition field when, ignoring case, spaces, "_" and "-", it is the API key ("callerid",
 * "Caller_ID") or the field's label in the node ("Caller ID", "Call GUID", "Disposition Level 1").
 */
import type { IDataObject } from 'n8n-workflow';

import { DispositionInputError, FIELD_LABELS, isEmpty, type DispositionInput } from './disposition';
import { DISPOSITION_KEYS, REQUIRED_KEYS, type DispositionKey } from '../../UContactApi/api';

const squash = (name: string) => name.toLowerCase().replace(/[\s_-]+/g, '');

const API_KEYS = new Map<string, DispositionKey>(DISPOSITION_KEYS.map((key) => [key, key]));
const LABELS = new Map<string, DispositionKey>(
	DISPOSITION_KEYS.map((key): [string, DispositionKey] => [squash(FIELD_LABELS[key]), key]),
);

// Most exports share their columns, so each distinct key is matched once.
const matched = new Map<string, DispositionKey | null>();

function match(name: string) {
	let found = matched.get(name);
	if (found === undefined) {
		const squashed = squash(name);
		found = API_KEYS.get(squashed) ?? LABELS.get(squashed) ?? null;
		if (matched.size < 10000) matched.set(name, found);
	}
	return found;
}

const comparable = (value: unknown) =>
	typeof value === 'string'
		? value.trim()
		: typeof value === 'object'
			? JSON.stringify(value)
			: String(value);

/**
 * The disposition values in an item's JSON; other keys are ignored. When several columns match
 * one field the result never depends on their order: equal values are fine, an empty one never
 * hides a filled one, and two different filled values refuse the item, naming both columns.
 */
export function autoMapInputData(json: IDataObject): DispositionInput {
	const columns = new Map<DispositionKey, string[]>();
	for (const name of Object.keys(json)) {
		const found = match(name);
		if (found === null) continue;
		const names = columns.get(found);
		if (names === undefined) columns.set(found, [name]);
		else names.push(name);
	}
	const input: DispositionInput = {};
	for (const [key, names] of columns) {
		const filled = names.filter((name) => !isEmpty(json[name]));
		const [first, ...others] = filled;
		const clash = others.find((name) => comparable(json[name]) !== comparable(json[first]));
		if (clash !== undefined) {
			throw new DispositionInputError(
				key,
				`is given twice with different values: column "${first}" has ${JSON.stringify(json[first])} and column "${clash}" has ${JSON.stringify(json[clash])}; keep only one of them`,
			);
		}
		input[key] = json[first ?? names[0]];
	}
	return input;
}

/** The Input Field Path does not lead to an object in this item. */
export class InputFieldPathError extends Error {}

const MAX_LISTED_KEYS = 15;

function listKeys(json: IDataObject): string {
	const keys = Object.keys(json);
	if (keys.length === 0) return 'no fields';
	const listed = keys.slice(0, MAX_LISTED_KEYS).join(', ');
	return keys.length > MAX_LISTED_KEYS
		? `${listed} and ${keys.length - MAX_LISTED_KEYS} more`
		: listed;
}

const isObject = (value: unknown): value is IDataObject =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Map Automatically on the object at `path` ("body" for a Webhook's payload, "" for the item
 * itself). A required field with no matching column is reported as not found, with the keys
 * the object does have, since "empty" would send the user looking at the wrong thing.
 */
export function autoMapItem(json: IDataObject, path: string): DispositionInput {
	const steps = path
		.split('.')
		.map((step) => step.trim())
		.filter((step) => step !== '');
	let source: unknown = json;
	let walked = '';
	for (const step of steps) {
		const here = walked === '' ? 'the item' : `"${walked}"`;
		if (!isObject(source) || !Object.prototype.hasOwnProperty.call(source, step)) {
			const has = isObject(source) ? `; ${here} has: ${listKeys(source)}` : '';
			throw new InputFieldPathError(
				`Input Field Path (inputFieldPath) "${path}" was not found: ${here} has no "${step}"${has}`,
			);
		}
		source = source[step];
		walked = walked === '' ? step : `${walked}.${step}`;
	}
	if (!isObject(source)) {
		throw new InputFieldPathError(
			`Input Field Path (inputFieldPath) "${path}" is not an object in this item (it is ${source === null ? 'null' : Array.isArray(source) ? 'a list' : typeof source})`,
		);
	}
	const input = autoMapInputData(source);
	const where = walked === '' ? 'the item' : `"${walked}"`;
	for (const key of REQUIRED_KEYS) {
		if (key in input) continue;
		const prefix = walked === '' ? '' : `${walked}.`;
		const holder = Object.keys(source).find((name) => {
			const value = source[name];
			return isObject(value) && Object.keys(value).some((column) => match(column) === key);
		});
		const advice =
			holder === undefined
				? `; name a column ${key} or "${FIELD_LABELS[key]}", or set Mapping Mode to Define Below and map the field there`
				: `; set Input Field Path to "${prefix}${holder}"`;
		throw new DispositionInputError(
			key,
			`was not found in ${where}, which has: ${listKeys(source)}${advice}`,
		);
	}
	return input;
}
