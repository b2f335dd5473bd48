/**
 * "Map Automatically": each input item's JSON is read by key, with no per-field expressions
 * (n8n spends ~0.7 ms evaluating each expression, the ceiling for bulk runs). A key matches a
 * disposition field when, ignoring case, spaces, "_" and "-", it is the API key ("callerid",
 * "Caller_ID") or the field's label in the node ("Caller ID", "Call GUID", "Disposition Level 1").
 */
import type { IDataObject } from 'n8n-workflow';

import { DispositionInputError, FIELD_LABELS, type DispositionInput } from './disposition';
import { DISPOSITION_KEYS, type DispositionKey } from '../../UContactApi/api';

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

const isEmpty = (value: unknown) =>
	value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

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
